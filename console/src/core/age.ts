/** Call age: server-clock aware, formatted for a glance across the room. */

/** serverNow - clientNow, in ms, from a server timestamp read at clientNowMs. */
export function serverOffsetMs(serverTimeIso: string, clientNowMs: number): number {
  const serverMs = Date.parse(serverTimeIso);
  return Number.isNaN(serverMs) ? 0 : serverMs - clientNowMs;
}

/** Whole seconds since receivedAtIso by the server's clock (never negative). */
export function ageSeconds(receivedAtIso: string, clientNowMs: number, offsetMs: number): number {
  const receivedMs = Date.parse(receivedAtIso);
  if (Number.isNaN(receivedMs)) return 0;
  return Math.max(0, Math.floor((clientNowMs + offsetMs - receivedMs) / 1000));
}

function pad2(value: number): string {
  return value.toString().padStart(2, "0");
}

/** 0:07, 4:05, 1:02:03, then "2d 03h" past a day. */
export function formatAge(totalSeconds: number): string {
  const s = Math.max(0, Math.floor(totalSeconds));
  const days = Math.floor(s / 86400);
  const hours = Math.floor((s % 86400) / 3600);
  const minutes = Math.floor((s % 3600) / 60);
  const seconds = s % 60;
  if (days > 0) return `${days}d ${pad2(hours)}h`;
  if (hours > 0) return `${hours}:${pad2(minutes)}:${pad2(seconds)}`;
  return `${minutes}:${pad2(seconds)}`;
}

/** Short "how long ago" for the live indicator: 3s, 2m, 1h. */
export function formatSince(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds));
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m`;
  return `${Math.floor(s / 3600)}h`;
}

/** A local wall-clock time for timelines and headers: 14:03:27 (date added if not today). */
export function formatClock(iso: string, todayMs: number): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return "—";
  const time = `${pad2(date.getHours())}:${pad2(date.getMinutes())}:${pad2(date.getSeconds())}`;
  const today = new Date(todayMs);
  const sameDay = date.toDateString() === today.toDateString();
  if (sameDay) return time;
  return `${date.getFullYear()}-${pad2(date.getMonth() + 1)}-${pad2(date.getDate())} ${time}`;
}
