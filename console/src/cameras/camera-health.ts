/** Camera health as the probe reports it (ok, degraded, offline, unknown), kept per camera code. */

export const HEALTH_STATES = ["ok", "degraded", "offline", "unknown"] as const;
export type Health = (typeof HEALTH_STATES)[number];

export const HEALTH_COLORS: Record<Health, string> = {
  ok: "#3ecf8e",
  degraded: "#f5a623",
  offline: "#ff6b6b",
  unknown: "#8b98aa",
};

export const HEALTH_WORDS: Record<Health, string> = {
  ok: "OK",
  degraded: "Degraded",
  offline: "Offline",
  unknown: "Not checked",
};

export interface HealthEntry {
  code: string;
  status: Health;
  problems: string[];
  checkedAt: string | null;
}

type Fields = Record<string, unknown>;

function isFields(value: unknown): value is Fields {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

export function asHealth(value: unknown): Health {
  return typeof value === "string" && (HEALTH_STATES as readonly string[]).includes(value) ? (value as Health) : "unknown";
}

/** A problem may come as a word or as {kind, detail}; either way, one readable line. */
function problemText(value: unknown): string | null {
  if (typeof value === "string") return value;
  if (!isFields(value)) return null;
  const parts = [value["kind"], value["detail"] ?? value["reason"]].filter((p) => typeof p === "string" && p);
  return parts.length ? parts.join(": ") : null;
}

/** One entry from a health row or a live camera_status message; null when it names no camera. */
export function readHealth(value: unknown): HealthEntry | null {
  if (!isFields(value) || typeof value["code"] !== "string") return null;
  const problems = Array.isArray(value["problems"]) ? value["problems"].map(problemText).filter((p): p is string => p !== null) : [];
  const checked = value["checked_at"];
  return { code: value["code"], status: asHealth(value["status"]), problems, checkedAt: typeof checked === "string" ? checked : null };
}

/** The latest health of every camera; a camera never reported is "unknown". */
export class HealthBook {
  private readonly entries = new Map<string, HealthEntry>();

  /** Replace everything with a full GET /api/camera-health answer. */
  replaceAll(body: unknown): void {
    this.entries.clear();
    if (!Array.isArray(body)) return;
    for (const row of body) {
      const entry = readHealth(row);
      if (entry) this.entries.set(entry.code, entry);
    }
  }

  /** Apply one change; true when the camera's status or problems changed. */
  apply(entry: HealthEntry): boolean {
    const before = this.entries.get(entry.code);
    this.entries.set(entry.code, { ...entry, checkedAt: entry.checkedAt ?? before?.checkedAt ?? null });
    return before?.status !== entry.status || before.problems.join("\n") !== entry.problems.join("\n");
  }

  of(code: string): HealthEntry {
    return this.entries.get(code) ?? { code, status: "unknown", problems: [], checkedAt: null };
  }

  status(code: string): Health {
    return this.entries.get(code)?.status ?? "unknown";
  }
}
