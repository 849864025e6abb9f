/**
 * The pure parts of asking for community footage: the default time window around the incident,
 * how urgently to ask (when the owner's system will have recorded over the incident), the form's
 * checks before anything is sent, the request body, and the incident's requests grouped for the list.
 */

import { fromLocalInput, toLocalInput } from "../core/local-time";
import { OPEN_STATUSES, REQUEST_KINDS, type FootageRequestRow } from "./community-model";

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;
const DAY_MS = 24 * HOUR_MS;

/** Minutes either side of the incident time the window covers unless the operator changes it. */
export const WINDOW_MARGIN_MIN = 30;
/** Footage that runs out within this many days is marked "soon". */
export const SOON_DAYS = 3;
export const REASON_MIN = 10;
export const REASON_MAX = 2000;
export const MAX_CAMERAS = 50;

/** The window for a new request: incident −30 min to +30 min, never ending after now, whole minutes. */
export function defaultWindow(incidentMs: number, nowMs: number, marginMin: number = WINDOW_MARGIN_MIN): { fromMs: number; toMs: number } {
  const floorMinute = (ms: number): number => Math.floor(ms / MINUTE_MS) * MINUTE_MS;
  const fromMs = floorMinute(Math.min(incidentMs, nowMs) - marginMin * MINUTE_MS);
  const toMs = Math.max(fromMs + MINUTE_MS, floorMinute(Math.min(incidentMs + marginMin * MINUTE_MS, nowMs)));
  return { fromMs, toMs };
}

export type Urgency = "gone" | "urgent" | "soon" | "later" | "unknown";

/** When the owner's recording of `incidentMs` is overwritten: its time plus the days they keep video. */
export function footageLostAt(incidentMs: number, retentionDays: number | null): number | null {
  return retentionDays === null || !Number.isFinite(incidentMs) ? null : incidentMs + retentionDays * DAY_MS;
}

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? "" : "s"}`;

/** "footage gone in 2 days" and how urgent that is: under a day urgent, up to SOON_DAYS soon. */
export function footageUrgency(lostAtMs: number | null, nowMs: number): { urgency: Urgency; text: string } {
  if (lostAtMs === null) return { urgency: "unknown", text: "keeps video for an unknown time" };
  const left = lostAtMs - nowMs;
  if (left <= 0) return { urgency: "gone", text: "footage probably gone already" };
  if (left < HOUR_MS) return { urgency: "urgent", text: "footage gone in under an hour" };
  if (left < DAY_MS) return { urgency: "urgent", text: `footage gone in ${plural(Math.floor(left / HOUR_MS), "hour")}` };
  const days = Math.floor(left / DAY_MS);
  return { urgency: days <= SOON_DAYS ? "soon" : "later", text: `footage gone in ${plural(days, "day")}` };
}

/** "keeps video 7 days". */
export function retentionText(days: number | null): string {
  return days === null ? "retention unknown" : `keeps video ${plural(days, "day")}`;
}

/** What the operator filled in (window as <input type="datetime-local"> values). */
export interface RequestDraft {
  incidentId: string;
  cameraIds: readonly string[];
  kind: string;
  from: string;
  to: string;
  reason: string;
}

export type DraftField = "cameras" | "kind" | "from" | "to" | "reason";
export type DraftProblems = Partial<Record<DraftField, string>>;

function windowProblems(draft: RequestDraft, nowMs: number): DraftProblems {
  const from = fromLocalInput(draft.from);
  const to = fromLocalInput(draft.to);
  const problems: DraftProblems = {};
  if (from === null) problems.from = "Give the start of the time window.";
  if (to === null) problems.to = "Give the end of the time window.";
  else if (Date.parse(to) > nowMs + MINUTE_MS) problems.to = "The window cannot end in the future.";
  else if (from !== null && Date.parse(to) <= Date.parse(from)) problems.to = "The window must end after it starts.";
  return problems;
}

/** What the browser can already tell is wrong (empty: the draft can be sent). */
export function draftProblems(draft: RequestDraft, nowMs: number): DraftProblems {
  const problems: DraftProblems = {};
  if (draft.cameraIds.length === 0) problems.cameras = "Pick at least one camera.";
  else if (draft.cameraIds.length > MAX_CAMERAS) problems.cameras = `At most ${MAX_CAMERAS} cameras in one request.`;
  if (!REQUEST_KINDS.some(([value]) => value === draft.kind)) problems.kind = "Choose what kind of request this is.";
  Object.assign(problems, windowProblems(draft, nowMs));
  const reason = draft.reason.trim();
  if (reason.length < REASON_MIN) problems.reason = `Say why (at least ${REASON_MIN} characters) — the owner reads this.`;
  else if (reason.length > REASON_MAX) problems.reason = `At most ${REASON_MAX} characters (${reason.length} now).`;
  return problems;
}

/** The POST /api/community/requests body for a draft that has no problems. */
export function requestBody(draft: RequestDraft): Record<string, unknown> {
  return { incident_id: draft.incidentId, camera_ids: [...draft.cameraIds], kind: draft.kind,
    window_from: fromLocalInput(draft.from), window_to: fromLocalInput(draft.to), reason: draft.reason.trim() };
}

/** The form's window values for an incident at `incidentMs`. */
export function windowInputs(incidentMs: number, nowMs: number): { from: string; to: string } {
  const { fromMs, toMs } = defaultWindow(Number.isFinite(incidentMs) ? incidentMs : nowMs, nowMs);
  return { from: toLocalInput(fromMs), to: toLocalInput(toMs) };
}

/** The server's field problems (JSON pointers) on the form's fields; `/camera_ids/2` names that camera. */
export function serverProblems(problems: ReadonlyArray<{ pointer: string; reason: string }>, cameraIds: readonly string[]):
  { fields: DraftProblems; cameras: Record<string, string>; other: string[] } {
  const fields: DraftProblems = {};
  const cameras: Record<string, string> = {};
  const other: string[] = [];
  const byPointer: Record<string, DraftField> = { "/kind": "kind", "/window_from": "from", "/window_to": "to", "/reason": "reason",
    "/camera_ids": "cameras" };
  for (const p of problems) {
    const camera = /^\/camera_ids\/(\d+)/.exec(p.pointer);
    const id = camera ? cameraIds[Number(camera[1])] : undefined;
    if (id !== undefined) cameras[id] = p.reason;
    else if (byPointer[p.pointer]) fields[byPointer[p.pointer] as DraftField] = p.reason;
    else other.push(p.reason);
  }
  return { fields, cameras, other };
}

/** Picked cameras by site: one request (and one e-mail) goes to each site. */
export function sitesOf<T extends { id: string; site_id: string | null }>(cameras: readonly T[], picked: ReadonlySet<string>): Map<string, T[]> {
  const sites = new Map<string, T[]>();
  for (const camera of cameras) {
    if (!picked.has(camera.id)) continue;
    const key = camera.site_id ?? `camera:${camera.id}`;
    sites.set(key, [...(sites.get(key) ?? []), camera]);
  }
  return sites;
}

/** "2 cameras at 1 site — 1 request" (what pressing the button will send). */
export function pickedSummary(cameraCount: number, siteCount: number): string {
  if (cameraCount === 0) return "No camera picked.";
  return `${plural(cameraCount, "camera")} at ${plural(siteCount, "site")} — ${plural(siteCount, "request")}`;
}

/** Does the camera's owner take this kind of request? (unknown: let the server say) */
export function accepts(acceptsKinds: readonly string[] | null, kind: string): boolean {
  return acceptsKinds === null || acceptsKinds.length === 0 || acceptsKinds.includes(kind);
}

export interface RequestGroups {
  /** Waiting for the owner (sent, opened), the soonest-lost footage first. */
  waiting: FootageRequestRow[];
  /** Answered or closed (uploaded, declined, expired, withdrawn), newest first. */
  done: FootageRequestRow[];
}

/** The incident's requests for the list: waiting ones on top. */
export function groupRequests(requests: readonly FootageRequestRow[]): RequestGroups {
  const time = (iso: string | null): number => (iso ? Date.parse(iso) : Number.POSITIVE_INFINITY);
  const waiting = requests.filter((r) => OPEN_STATUSES.has(r.status))
    .sort((a, b) => time(a.footageLostAt) - time(b.footageLostAt) || a.siteLabel.localeCompare(b.siteLabel));
  const done = requests.filter((r) => !OPEN_STATUSES.has(r.status))
    .sort((a, b) => time(b.answeredAt ?? b.createdAt) - time(a.answeredAt ?? a.createdAt));
  return { waiting, done };
}

/** Requests already asked of a site for this incident, by site id (to warn before asking twice). */
export function askedSites(requests: readonly FootageRequestRow[]): Set<string> {
  return new Set(requests.filter((r) => OPEN_STATUSES.has(r.status) && r.siteId !== null).map((r) => r.siteId as string));
}
