/**
 * Community Connect as the operator console reads it (contract, issue 8): registered cameras
 * (GET /api/community/cameras), footage requests and their files (GET /api/community/requests),
 * the supervisor's statistics (GET /api/community/stats) — each read defensively — and the words
 * the console uses for request kinds, what a camera covers and where a request stands.
 */

export interface CommunityCameraRow {
  id: string;
  siteId: string;
  label: string;
  lat: number;
  lon: number;
  bearing: number | null;
  fovAngle: number | null;
  rangeM: number | null;
  covers: string[];
  retentionDays: number | null;
  siteKind: string;
  siteName: string | null;
  accepts: string[];
}

export interface UploadRow {
  id: string;
  filename: string;
  size: number;
  received: number;
  status: string;
  mediaType: string | null;
  sha256: string | null;
  problem: string | null;
  evidenceCode: string | null;
}

export interface FootageRequestRow {
  id: string;
  siteId: string | null;
  siteLabel: string;
  cameraIds: string[];
  incidentId: string;
  kind: string;
  windowFrom: string;
  windowTo: string;
  reason: string;
  requestedBy: string;
  status: string;
  createdAt: string;
  openedAt: string | null;
  answeredAt: string | null;
  remindedAt: string | null;
  footageLostAt: string | null;
  expiresAt: string | null;
  declineNote: string | null;
  useful: boolean | null;
  files: UploadRow[];
}

export interface RequestStats {
  since: string | null;
  until: string | null;
  sent: number;
  opened: number;
  uploaded: number;
  declined: number;
  expired: number;
  withdrawn: number;
  useful: number;
  notUseful: number;
  answerRate: number | null;
  medianHoursToAnswer: number | null;
}

export const REQUEST_KINDS: ReadonlyArray<readonly [string, string]> = [
  ["violent_crime", "Violent crime"],
  ["property_crime", "Property crime"],
  ["traffic_collision", "Traffic collision"],
  ["missing_person", "Missing person"],
  ["other", "Other"],
];

const COVERS_WORDS: Record<string, string> = {
  street: "street", sidewalk: "sidewalk", driveway: "driveway", parking_lot: "parking lot", alley: "alley",
  entrance: "entrance", yard: "yard", other: "other",
};

export const REQUEST_STATUSES = ["sent", "opened", "uploaded", "declined", "expired", "withdrawn"] as const;
export type RequestStatus = (typeof REQUEST_STATUSES)[number];

const STATUS_LABELS: Record<RequestStatus, string> = {
  sent: "Sent",
  opened: "Opened by the owner",
  uploaded: "Footage uploaded",
  declined: "Declined",
  expired: "Expired",
  withdrawn: "Withdrawn",
};

/** Still waiting for the owner: these can be withdrawn. */
export const OPEN_STATUSES: ReadonlySet<string> = new Set(["sent", "opened"]);

/** "Violent crime" for `violent_crime`; an unknown kind in plain words. */
export function kindLabel(kind: string): string {
  return REQUEST_KINDS.find(([value]) => value === kind)?.[1] ?? kind.replace(/_/g, " ");
}

/** "street, parking lot". */
export function coversText(covers: readonly string[]): string {
  return covers.map((c) => COVERS_WORDS[c] ?? c.replace(/_/g, " ")).join(", ");
}

/** Where a request stands, in words ("Opened by the owner"); an unknown status as it came. */
export function statusLabel(status: string): string {
  return (STATUS_LABELS as Record<string, string>)[status] ?? status.replace(/_/g, " ");
}

/** A business by its name; a home only as "Residence" (who lives there is never shown). */
export function ownerName(siteKind: string | null, siteName: string | null): string {
  return siteKind === "business" && siteName ? siteName : siteKind === "business" ? "Business" : "Residence";
}

type Fields = Record<string, unknown>;
const isFields = (v: unknown): v is Fields => typeof v === "object" && v !== null && !Array.isArray(v);
const str = (f: Fields, k: string): string | null => (typeof f[k] === "string" ? (f[k] as string) : null);
const num = (f: Fields, k: string): number | null => (typeof f[k] === "number" && Number.isFinite(f[k]) ? (f[k] as number) : null);
const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((s): s is string => typeof s === "string") : []);
const records = (v: unknown): Fields[] => (Array.isArray(v) ? v.filter(isFields) : []);

function readCamera(c: Fields): CommunityCameraRow | null {
  const id = str(c, "id");
  const lat = num(c, "lat");
  const lon = num(c, "lon");
  if (id === null || lat === null || lon === null) return null;
  return { id, siteId: str(c, "site_id") ?? "", label: str(c, "label") ?? "Camera", lat, lon, bearing: num(c, "bearing"),
    fovAngle: num(c, "fov_angle"), rangeM: num(c, "range_m"), covers: strings(c["covers"]), retentionDays: num(c, "retention_days"),
    siteKind: str(c, "site_kind") ?? "residence", siteName: str(c, "site_name"), accepts: strings(c["accepts"]) };
}

/** The layer's cameras (GET /api/community/cameras); anything unreadable is left out. */
export function readCameras(body: unknown): CommunityCameraRow[] {
  return records(body).flatMap((c) => readCamera(c) ?? []);
}

function readUpload(u: Fields): UploadRow | null {
  const id = str(u, "id");
  if (id === null) return null;
  return { id, filename: str(u, "filename") ?? "file", size: num(u, "size") ?? 0, received: num(u, "received") ?? 0,
    status: str(u, "status") ?? "receiving", mediaType: str(u, "media_type"), sha256: str(u, "sha256"), problem: str(u, "problem"),
    evidenceCode: str(u, "evidence_code") };
}

/** One FootageRequestOut, or null when it is not one. */
export function readRequest(raw: unknown): FootageRequestRow | null {
  if (!isFields(raw)) return null;
  const id = str(raw, "id");
  const status = str(raw, "status");
  if (id === null || status === null) return null;
  return {
    id, siteId: str(raw, "site_id"), siteLabel: str(raw, "site_label") ?? "Deleted registration", cameraIds: strings(raw["camera_ids"]),
    incidentId: str(raw, "incident_id") ?? "", kind: str(raw, "kind") ?? "other", windowFrom: str(raw, "window_from") ?? "",
    windowTo: str(raw, "window_to") ?? "", reason: str(raw, "reason") ?? "", requestedBy: str(raw, "requested_by") ?? "", status,
    createdAt: str(raw, "created_at") ?? "", openedAt: str(raw, "opened_at"), answeredAt: str(raw, "answered_at"),
    remindedAt: str(raw, "reminded_at"), footageLostAt: str(raw, "footage_lost_at"), expiresAt: str(raw, "expires_at"),
    declineNote: str(raw, "decline_note"), useful: typeof raw["useful"] === "boolean" ? raw["useful"] : null,
    files: records(raw["files"]).flatMap((u) => readUpload(u) ?? []),
  };
}

/** A list of requests (GET, or POST's one-per-site answer). */
export function readRequests(body: unknown): FootageRequestRow[] {
  return Array.isArray(body) ? body.flatMap((r) => readRequest(r) ?? []) : [];
}

/** The supervisor's figures, or null when the answer is not them. */
export function readStats(body: unknown): RequestStats | null {
  if (!isFields(body) || num(body, "sent") === null) return null;
  const count = (k: string): number => num(body, k) ?? 0;
  return { since: str(body, "since"), until: str(body, "until"), sent: count("sent"), opened: count("opened"), uploaded: count("uploaded"),
    declined: count("declined"), expired: count("expired"), withdrawn: count("withdrawn"), useful: count("useful"),
    notUseful: count("not_useful"), answerRate: num(body, "answer_rate"), medianHoursToAnswer: num(body, "median_hours_to_answer") };
}

/** "42 %" for 0.42 (a rate of 0..1); "—" when there is none yet. */
export function rateText(rate: number | null): string {
  return rate === null ? "—" : `${Math.round(rate * 100)} %`;
}

/** "5.5 h", "2 d 3 h", "—". */
export function hoursText(hours: number | null): string {
  if (hours === null) return "—";
  if (hours < 48) return `${Math.round(hours * 10) / 10} h`;
  const days = Math.floor(hours / 24);
  return `${days} d ${Math.round(hours - days * 24)} h`;
}

/** "12.4 MB", "830 kB", "512 B". */
export function sizeText(bytes: number): string {
  if (bytes >= 1e9) return `${(bytes / 1e9).toFixed(1)} GB`;
  if (bytes >= 1e6) return `${(bytes / 1e6).toFixed(1)} MB`;
  if (bytes >= 1e3) return `${Math.round(bytes / 1e3)} kB`;
  return `${bytes} B`;
}
