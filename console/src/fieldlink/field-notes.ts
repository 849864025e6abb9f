/**
 * Pure parts of "Send to field" (H4, POST /api/fieldlink/notes, GET /api/incidents/{id}/field-notes):
 * the request body, reading answers defensively, and the one-line summary of who a note reached.
 */

export const NOTE_MAX_CHARS = 2000;

export type Audience = { kind: "incident" } | { kind: "group"; group: string };

export interface FieldNote {
  id: string;
  text: string;
  incidentId: string | null;
  group: string | null;
  recipients: string[];
  reached: string[];
  author: string;
  designator: string | null;
  writtenAt: string;
}

type Fields = Record<string, unknown>;
const isFields = (v: unknown): v is Fields => typeof v === "object" && v !== null && !Array.isArray(v);
const text = (v: unknown): string | null => (typeof v === "string" ? v : null);
const texts = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === "string") : []);

/** Why the text cannot be sent (null: it can). */
export function noteProblem(raw: string, max: number = NOTE_MAX_CHARS): string | null {
  const trimmed = raw.trim();
  if (trimmed.length === 0) return "Write the note first.";
  if (trimmed.length > max) return `At most ${max} characters (${trimmed.length} now).`;
  return null;
}

/** A TAK team name as typed: trimmed, or null when empty. */
export function groupName(raw: string): string | null {
  const trimmed = raw.trim();
  return trimmed.length === 0 ? null : trimmed.slice(0, 100);
}

/** The POST body for a note about this incident, to its units or to a team. */
export function noteBody(incidentId: string, raw: string, audience: Audience): Record<string, unknown> {
  const body: Record<string, unknown> = { text: raw.trim() };
  if (audience.kind === "incident") body["incident_id"] = incidentId;
  else {
    body["incident_id"] = incidentId;
    body["group"] = audience.group;
  }
  return body;
}

/** One note from the API, or null when it is not one. */
export function readNote(raw: unknown): FieldNote | null {
  if (!isFields(raw)) return null;
  const id = text(raw["id"]);
  const written = text(raw["written_at"]);
  if (id === null || written === null) return null;
  return {
    id,
    text: text(raw["text"]) ?? "",
    incidentId: text(raw["incident_id"]),
    group: text(raw["group"]),
    recipients: texts(raw["recipients"]),
    reached: texts(raw["reached"]),
    author: text(raw["author"]) ?? "",
    designator: text(raw["designator"]),
    writtenAt: written,
  };
}

/** The incident's notes, oldest first. */
export function readNotes(body: unknown): FieldNote[] {
  const notes = Array.isArray(body) ? body.map(readNote).filter((n): n is FieldNote => n !== null) : [];
  return notes.map((n, i) => ({ n, i, ms: Date.parse(n.writtenAt) })).sort((a, b) => (a.ms - b.ms) || (a.i - b.i)).map(({ n }) => n);
}

/** "Reached 2 of 3: A12, B4 (not connected: C7)" — who got the note and who did not. */
export function reachSummary(note: Pick<FieldNote, "recipients" | "reached">): string {
  const { recipients, reached } = note;
  if (reached.length === 0) return `Reached nobody connected (sent to ${recipients.length === 0 ? "no device" : recipients.join(", ")})`;
  const got = new Set(reached);
  const missing = recipients.filter((r) => !got.has(r));
  const total = Math.max(recipients.length, reached.length);
  const head = `Reached ${reached.length} of ${total}: ${reached.join(", ")}`;
  return missing.length === 0 ? head : `${head} (not connected: ${missing.join(", ")})`;
}
