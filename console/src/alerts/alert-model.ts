/**
 * Alerts from the alert desk (gunshot, panic, sensor, CAP, analytics, geofence) as the console
 * shows them: the contract's shapes (REST `AlertOut`, live `AlertChanged`), read defensively into
 * one row shape, ordered by priority then time, with the words and marks each kind gets.
 */

export type AlertKind = "gunshot" | "panic" | "sensor" | "cap" | "analytics" | "geofence";
export type AlertStatus = "new" | "acknowledged" | "dismissed" | "merged" | "closed";

/** One source's share of an alert (REST). */
export interface AlertSourceOut {
  source: string;
  source_ref: string;
  received_at: string;
  reports: number;
}

/** GET /api/alerts, /api/alerts/{id} and the action routes answer with this (contract, H1). */
export interface AlertOut {
  id: string;
  kind: AlertKind;
  status: AlertStatus;
  priority: number;
  severity: string | null;
  title: string;
  occurred_at: string;
  received_at: string;
  updated_at: string;
  lat: number | null;
  lon: number | null;
  location_error_m: number | null;
  address: string | null;
  beat: string | null;
  subject: string | null;
  incident_id: string | null;
  merged_into: string | null;
  acknowledged_by: string | null;
  acknowledged_at: string | null;
  escalated_at: string | null;
  escalated_to: string[];
  dismissed_reason: string | null;
  sources: AlertSourceOut[];
  details: Record<string, unknown>;
}

/** The live channel's `alert` payload (AlertChanged on the bus). */
export interface AlertChanged {
  alert_id: string;
  kind: AlertKind;
  status: AlertStatus;
  priority: number;
  title: string;
  occurred_at: string;
  updated_at: string;
  lat: number | null;
  lon: number | null;
  address: string | null;
  subject: string | null;
  incident_id: string | null;
  sources: string[];
  report_count: number;
  acknowledged_by: string | null;
  escalated_at: string | null;
  merged_into: string | null;
  details: Record<string, unknown>;
}

/** An alert as the list, the map and the banner use it (from either shape). */
export interface AlertRow {
  id: string;
  kind: AlertKind;
  status: AlertStatus;
  priority: number;
  title: string;
  occurredAt: string;
  updatedAt: string;
  lat: number | null;
  lon: number | null;
  address: string | null;
  subject: string | null;
  incidentId: string | null;
  sourceNames: string[];
  acknowledgedBy: string | null;
  escalated: boolean;
  details: Record<string, unknown>;
}

export const ALERT_KINDS: readonly AlertKind[] = ["gunshot", "panic", "sensor", "cap", "analytics", "geofence"];
const STATUSES: readonly AlertStatus[] = ["new", "acknowledged", "dismissed", "merged", "closed"];
const OPEN: ReadonlySet<AlertStatus> = new Set(["new", "acknowledged"]);

/** Icon (a short glyph, no image files) and label per kind. */
export const KIND_MARKS: Record<AlertKind, { icon: string; label: string }> = {
  gunshot: { icon: "✸", label: "Gunshot" },
  panic: { icon: "⚠", label: "Panic button" },
  sensor: { icon: "◉", label: "Sensor" },
  cap: { icon: "📢", label: "Public alert (CAP)" },
  analytics: { icon: "◧", label: "Video analytics" },
  geofence: { icon: "⬡", label: "Geofence" },
};

export const STATUS_WORDS: Record<AlertStatus, string> = {
  new: "New",
  acknowledged: "Acknowledged",
  dismissed: "Dismissed",
  merged: "Merged",
  closed: "Closed",
};

type Fields = Record<string, unknown>;

const isFields = (value: unknown): value is Fields => typeof value === "object" && value !== null && !Array.isArray(value);
const str = (f: Fields, key: string): string | null => (typeof f[key] === "string" ? (f[key] as string) : null);
const num = (f: Fields, key: string): number | null =>
  typeof f[key] === "number" && Number.isFinite(f[key]) ? (f[key] as number) : null;

function kindOf(value: unknown): AlertKind {
  return ALERT_KINDS.includes(value as AlertKind) ? (value as AlertKind) : "sensor";
}

function statusOf(value: unknown): AlertStatus {
  return STATUSES.includes(value as AlertStatus) ? (value as AlertStatus) : "new";
}

/** Distinct source names, in the order first seen. */
function distinct(names: string[]): string[] {
  return [...new Set(names.filter((n) => n))];
}

function common(f: Fields, id: string): AlertRow {
  const occurredAt = str(f, "occurred_at") ?? "";
  return {
    id,
    kind: kindOf(f["kind"]),
    status: statusOf(f["status"]),
    priority: num(f, "priority") ?? 3,
    title: str(f, "title") ?? "Alert",
    occurredAt,
    updatedAt: str(f, "updated_at") ?? occurredAt,
    lat: num(f, "lat"),
    lon: num(f, "lon"),
    address: str(f, "address"),
    subject: str(f, "subject"),
    incidentId: str(f, "incident_id"),
    sourceNames: [],
    acknowledgedBy: str(f, "acknowledged_by"),
    escalated: str(f, "escalated_at") !== null,
    details: isFields(f["details"]) ? f["details"] : {},
  };
}

/** A REST AlertOut as a row (null when it names no id). */
export function rowFromOut(value: unknown): AlertRow | null {
  if (!isFields(value)) return null;
  const id = str(value, "id");
  if (id === null) return null;
  const sources = Array.isArray(value["sources"]) ? value["sources"].filter(isFields) : [];
  return { ...common(value, id), sourceNames: distinct(sources.map((s) => str(s, "source") ?? "")) };
}

/** The live AlertChanged as a row (null when it names no id). */
export function rowFromChanged(value: unknown): AlertRow | null {
  if (!isFields(value)) return null;
  const id = str(value, "alert_id");
  if (id === null) return null;
  const sources = Array.isArray(value["sources"]) ? value["sources"].filter((s): s is string => typeof s === "string") : [];
  return { ...common(value, id), sourceNames: distinct(sources) };
}

/** A list answer (a bare list, or `{"alerts": [...]}`) as rows. */
export function rowsFromList(body: unknown): AlertRow[] {
  const list = Array.isArray(body) ? body : isFields(body) && Array.isArray(body["alerts"]) ? body["alerts"] : [];
  return list.flatMap((item) => rowFromOut(item) ?? []);
}

export function isOpen(row: Pick<AlertRow, "status">): boolean {
  return OPEN.has(row.status);
}

function timeMs(iso: string): number {
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? Number.POSITIVE_INFINITY : ms;
}

/** Priority 1 first, then 2 … 5; inside a priority the oldest first (it has waited longest). */
export function compareAlerts(a: AlertRow, b: AlertRow): number {
  if (a.priority !== b.priority) return a.priority - b.priority;
  const time = timeMs(a.occurredAt) - timeMs(b.occurredAt);
  return time !== 0 ? time : a.id.localeCompare(b.id);
}

export function sortAlerts(rows: readonly AlertRow[]): AlertRow[] {
  return [...rows].sort(compareAlerts);
}

/** "1 source", "3 sources". */
export function sourcesLabel(count: number): string {
  return `${count} source${count === 1 ? "" : "s"}`;
}

/** Gunshots and panic buttons are Priority 1: they get the P1 treatment (banner, tone, flash). */
export function isPriorityOne(row: Pick<AlertRow, "priority">): boolean {
  return row.priority === 1;
}

/** Does this change put a Priority 1 alert in front of the operator that was not one before? */
export function isNewP1Alert(previous: AlertRow | undefined, next: AlertRow): boolean {
  if (!isPriorityOne(next) || next.status !== "new") return false;
  return previous === undefined || !isPriorityOne(previous);
}

/** The line under the title: gunshot rounds and type, panic owner, the subject otherwise. */
export function alertSummary(row: AlertRow): string {
  const d = row.details;
  if (row.kind === "gunshot") {
    const rounds = typeof d["rounds"] === "number" ? `${d["rounds"]} round${d["rounds"] === 1 ? "" : "s"}` : null;
    const type = typeof d["type"] === "string" ? d["type"] : null;
    const confidence = typeof d["confidence"] === "number" ? `${Math.round(d["confidence"] * 100)} %` : null;
    const review = d["review_status"] === "dismissed" ? "vendor dismissed" : null;
    return [rounds, type, confidence, review].filter(Boolean).join(" · ");
  }
  if (row.kind === "panic") {
    const owner = typeof d["owner"] === "string" ? d["owner"] : row.subject;
    return [owner, typeof d["phone"] === "string" ? d["phone"] : null].filter(Boolean).join(" · ");
  }
  return row.subject ?? "";
}

/** What a dismissal needs: a reason of at least 3 characters (the server checks it too). */
export function dismissReasonProblem(reason: string): string | null {
  return reason.trim().length >= 3 ? null : "Give a reason (at least 3 characters).";
}
