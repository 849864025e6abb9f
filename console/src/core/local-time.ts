/** Between <input type="datetime-local"> values (the operator's local time) and ISO instants. */

const pad = (n: number): string => n.toString().padStart(2, "0");

/** Local wall-clock value (to the minute) for epoch ms. */
export function toLocalInput(ms: number): string {
  const d = new Date(ms);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** A local wall-clock value as an ISO instant (UTC), or null when empty or invalid. */
export function fromLocalInput(value: string): string | null {
  if (!value) return null;
  const ms = new Date(value).getTime();
  return Number.isNaN(ms) ? null : new Date(ms).toISOString();
}
