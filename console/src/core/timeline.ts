/** Timeline entries as a line an operator reads: chronological, plain words. */

export interface TimelineLike {
  at: string;
  kind: string;
  actor: string;
  details: Record<string, unknown>;
}

const STATUS_WORDS: Record<string, string> = {
  received: "received",
  dispatched: "dispatched",
  en_route: "en route",
  on_scene: "on scene",
  cleared: "cleared",
  closed: "closed",
};

export function statusWord(status: string | null | undefined): string {
  if (!status) return "—";
  return STATUS_WORDS[status] ?? status.replace(/_/g, " ");
}

const text = (value: unknown): string => (typeof value === "string" ? value : value == null ? "" : String(value));

/** What happened, without the time or actor. */
export function describeTimelineEntry(entry: TimelineLike): string {
  const d = entry.details;
  switch (entry.kind) {
    case "incident.created":
      return "Call received from CAD";
    case "status.changed":
      return `Status ${statusWord(text(d["from"]) || null)} → ${statusWord(text(d["to"]))}`;
    case "unit.status.changed": {
      const from = text(d["from"]);
      return `Unit ${text(d["unit"])} ${from ? `${statusWord(from)} → ` : ""}${statusWord(text(d["to"]))}`;
    }
    case "note.added":
      return d["origin"] === "intel" ? "Intel note added" : "CAD note added";
    case "claimed":
      return text(d["previous"]) ? `Claimed (taken over from ${text(d["previous"])})` : "Claimed";
    case "released":
      return "Released";
    default:
      return entry.kind.replace(/[._]/g, " ");
  }
}

const FIRST_AT_SAME_TIME = "incident.created";

/** Oldest first; at the same instant the call's creation leads, then the server's order. */
export function chronological<T extends { at: string; kind?: string }>(entries: readonly T[]): T[] {
  const lead = (e: T): number => (e.kind === FIRST_AT_SAME_TIME ? 0 : 1);
  return [...entries].sort((a, b) => Date.parse(a.at) - Date.parse(b.at) || lead(a) - lead(b));
}
