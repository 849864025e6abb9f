/**
 * The incident (or alert) context packet (contract, H3: GET /api/incidents/{id}/context and the
 * live `context` message), read defensively, and the pure helpers that turn each section into
 * what the panel shows: orderings, counts and the short line an empty section says.
 */

import type { Sighting } from "../cameras/seeing-section";

export interface PacketUnit {
  code: string;
  name: string;
  kind: string | null;
  agency: string | null;
  status: string | null;
  distance_m: number | null;
  position_at: string | null;
  stale: boolean;
  incident_id: string | null;
}

export interface PriorIncidents {
  radius_m: number | null;
  since: string | null;
  at_address: number;
  nearby: number;
  by_type: Array<{ type_code: string; type_text: string | null; count: number }>;
  recent: Array<{ id: string; type_code: string; type_text: string | null; priority: number | null; received_at: string;
    address: string | null; distance_m: number | null }>;
}

export interface PlateActivity {
  since: string | null;
  radius_m: number | null;
  reads: number;
  readers: Array<{ code: string; name: string | null; reads: number; distance_m: number | null }>;
  hits: Array<{ alert_id: string; plate: string; reason_code: string; status: string; reader_code: string; distance_m: number | null;
    read_at: string }>;
}

export interface PacketGunshot {
  alert_id: string;
  occurred_at: string;
  rounds: number | null;
  type: string | null;
  distance_m: number | null;
  incident_id: string | null;
}

export interface Premise {
  id: string;
  address: string | null;
  distance_m: number | null;
  hazards: string[];
  notes: string | null;
  floor_plans: Array<{ id: string; name: string; media_type: string | null; size: number | null }>;
}

export interface CommunityCamera {
  id: string;
  name: string;
  distance_m: number | null;
  retention_days: number | null;
  covers: string[];
  /** Optional in the packet (null when it does not say): the site, who it is, what it accepts. */
  site_id: string | null;
  site_kind: string | null;
  site_name: string | null;
  accepts: string[] | null;
}

export interface PacketCaution {
  kind: string;
  kind_text: string | null;
  severity: string | null;
  source: string | null;
}

export interface PacketAlert {
  alert_id: string;
  kind: string;
  title: string;
  status: string;
  priority: number | null;
  occurred_at: string;
}

export interface ContextPacket {
  subject: { type: string; id: string };
  location: { lat: number; lon: number; address: string | null } | null;
  assembled_at: string;
  took_ms: number | null;
  cameras: Sighting[];
  units: PacketUnit[];
  prior_incidents: PriorIncidents;
  plate_activity: PlateActivity;
  gunshots: PacketGunshot[];
  premises: Premise[];
  community_cameras: CommunityCamera[];
  cautions: PacketCaution[];
  alerts: PacketAlert[];
}

type Fields = Record<string, unknown>;

const isFields = (v: unknown): v is Fields => typeof v === "object" && v !== null && !Array.isArray(v);
const str = (f: Fields, k: string): string | null => (typeof f[k] === "string" ? (f[k] as string) : null);
const num = (f: Fields, k: string): number | null => (typeof f[k] === "number" && Number.isFinite(f[k]) ? (f[k] as number) : null);
const records = (v: unknown): Fields[] => (Array.isArray(v) ? v.filter(isFields) : []);
const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((s): s is string => typeof s === "string") : []);

function readUnit(u: Fields): PacketUnit {
  return { code: str(u, "code") ?? "?", name: str(u, "name") ?? str(u, "code") ?? "Unit", kind: str(u, "kind"), agency: str(u, "agency"),
    status: str(u, "status"), distance_m: num(u, "distance_m"), position_at: str(u, "position_at"), stale: u["stale"] === true,
    incident_id: str(u, "incident_id") };
}

function readPrior(p: Fields): PriorIncidents {
  return {
    radius_m: num(p, "radius_m"), since: str(p, "since"), at_address: num(p, "at_address") ?? 0, nearby: num(p, "nearby") ?? 0,
    by_type: records(p["by_type"]).map((t) => ({ type_code: str(t, "type_code") ?? "?", type_text: str(t, "type_text"), count: num(t, "count") ?? 0 })),
    recent: records(p["recent"]).map((r) => ({ id: str(r, "id") ?? "", type_code: str(r, "type_code") ?? "?", type_text: str(r, "type_text"),
      priority: num(r, "priority"), received_at: str(r, "received_at") ?? "", address: str(r, "address"), distance_m: num(r, "distance_m") })),
  };
}

function readPlates(p: Fields): PlateActivity {
  return {
    since: str(p, "since"), radius_m: num(p, "radius_m"), reads: num(p, "reads") ?? 0,
    readers: records(p["readers"]).map((r) => ({ code: str(r, "code") ?? "?", name: str(r, "name"), reads: num(r, "reads") ?? 0,
      distance_m: num(r, "distance_m") })),
    hits: records(p["hits"]).map((x) => ({ alert_id: str(x, "alert_id") ?? "", plate: str(x, "plate") ?? "?", reason_code: str(x, "reason_code") ?? "",
      status: str(x, "status") ?? "", reader_code: str(x, "reader_code") ?? "", distance_m: num(x, "distance_m"), read_at: str(x, "read_at") ?? "" })),
  };
}

function readSighting(s: Fields): Sighting | null {
  const code = str(s, "code");
  if (code === null) return null;
  return { code, name: str(s, "name") ?? code, kind: str(s, "kind") ?? "city", access_level: str(s, "access_level") ?? "live",
    status: str(s, "status") ?? "active", coverage: str(s, "coverage") ?? "nearby", distance_m: num(s, "distance_m") ?? 0,
    bearing_to_point_deg: num(s, "bearing_to_point_deg") ?? 0, score: num(s, "score") ?? 0,
    explanation: str(s, "explanation") ?? "" };
}

function readLocation(v: unknown): ContextPacket["location"] {
  if (!isFields(v)) return null;
  const lat = num(v, "lat");
  const lon = num(v, "lon");
  return lat === null || lon === null ? null : { lat, lon, address: str(v, "address") };
}

function readSmallLists(f: Fields): Pick<ContextPacket, "gunshots" | "premises" | "community_cameras" | "cautions" | "alerts"> {
  return {
    gunshots: records(f["gunshots"]).map((g) => ({ alert_id: str(g, "alert_id") ?? "", occurred_at: str(g, "occurred_at") ?? "",
      rounds: num(g, "rounds"), type: str(g, "type"), distance_m: num(g, "distance_m"), incident_id: str(g, "incident_id") })),
    premises: records(f["premises"]).map((p) => ({ id: str(p, "id") ?? "", address: str(p, "address"), distance_m: num(p, "distance_m"),
      hazards: strings(p["hazards"]), notes: str(p, "notes"),
      floor_plans: records(p["floor_plans"]).map((fp) => ({ id: str(fp, "id") ?? "", name: str(fp, "name") ?? "floor plan",
        media_type: str(fp, "media_type"), size: num(fp, "size") })) })),
    community_cameras: records(f["community_cameras"]).map((c) => ({ id: str(c, "id") ?? "", name: str(c, "name") ?? "Camera",
      distance_m: num(c, "distance_m"), retention_days: num(c, "retention_days"), covers: strings(c["covers"]),
      site_id: str(c, "site_id"), site_kind: str(c, "site_kind"), site_name: str(c, "site_name"),
      accepts: Array.isArray(c["accepts"]) ? strings(c["accepts"]) : null })),
    cautions: records(f["cautions"]).map((c) => ({ kind: str(c, "kind") ?? "caution", kind_text: str(c, "kind_text"),
      severity: str(c, "severity"), source: str(c, "source") })),
    alerts: records(f["alerts"]).map((a) => ({ alert_id: str(a, "alert_id") ?? "", kind: str(a, "kind") ?? "", title: str(a, "title") ?? "Alert",
      status: str(a, "status") ?? "", priority: num(a, "priority"), occurred_at: str(a, "occurred_at") ?? "" })),
  };
}

/** A packet from the API or the live channel (null when it is not one). */
export function readPacket(value: unknown): ContextPacket | null {
  if (!isFields(value) || !isFields(value["subject"])) return null;
  const id = str(value["subject"], "id");
  if (id === null) return null;
  return {
    subject: { type: str(value["subject"], "type") ?? "incident", id },
    location: readLocation(value["location"]),
    assembled_at: str(value, "assembled_at") ?? "",
    took_ms: num(value, "took_ms"),
    cameras: records(value["cameras"]).flatMap((s) => readSighting(s) ?? []),
    units: records(value["units"]).map(readUnit),
    prior_incidents: readPrior(isFields(value["prior_incidents"]) ? value["prior_incidents"] : {}),
    plate_activity: readPlates(isFields(value["plate_activity"]) ? value["plate_activity"] : {}),
    ...readSmallLists(value),
  };
}

/** "85 m", "1.2 km", "—". */
export function distanceText(meters: number | null | undefined): string {
  if (typeof meters !== "number" || !Number.isFinite(meters)) return "—";
  if (meters < 1000) return `${Math.round(meters)} m`;
  return `${(meters / 1000).toFixed(1)} km`;
}

/** Units nearest first; a unit already on another call says so. */
export function unitLine(unit: PacketUnit, incidentId: string | null): string {
  const busy = unit.incident_id && unit.incident_id !== incidentId ? "on another call" : unit.incident_id ? "on this call" : null;
  return [unit.status ? unit.status.replace(/_/g, " ") : "status unknown", distanceText(unit.distance_m), busy,
    unit.stale ? "position stale" : null].filter(Boolean).join(" · ");
}

/** "2 at this address · 14 within 250 m"; by type most frequent first. */
export function priorSummary(prior: PriorIncidents): { line: string; byType: PriorIncidents["by_type"] } {
  const radius = prior.radius_m !== null ? ` within ${distanceText(prior.radius_m)}` : " nearby";
  const line = `${prior.at_address} at this address · ${prior.nearby}${radius}`;
  const byType = [...prior.by_type].sort((a, b) => b.count - a.count || a.type_code.localeCompare(b.type_code));
  return { line, byType };
}

/** "37 reads within 300 m"; readers busiest first. */
export function plateSummary(activity: PlateActivity): { line: string; readers: PlateActivity["readers"] } {
  const radius = activity.radius_m !== null ? ` within ${distanceText(activity.radius_m)}` : "";
  const hits = activity.hits.length ? ` · ${activity.hits.length} hit${activity.hits.length === 1 ? "" : "s"}` : "";
  const line = `${activity.reads} read${activity.reads === 1 ? "" : "s"}${radius}${hits}`;
  return { line, readers: [...activity.readers].sort((a, b) => b.reads - a.reads || a.code.localeCompare(b.code)) };
}

/** Premises with hazards first, then nearest. */
export function premisesInOrder(premises: readonly Premise[]): Premise[] {
  const hazardRank = (p: Premise): number => (p.hazards.length ? 0 : 1);
  return [...premises].sort((a, b) => hazardRank(a) - hazardRank(b) || (a.distance_m ?? Infinity) - (b.distance_m ?? Infinity));
}

const SEVERITY_RANK: Record<string, number> = { extreme: 0, severe: 1, high: 2, medium: 3, moderate: 3, low: 4 };

/** Cautions most severe first. */
export function cautionsInOrder(cautions: readonly PacketCaution[]): PacketCaution[] {
  const rank = (c: PacketCaution): number => SEVERITY_RANK[(c.severity ?? "").toLowerCase()] ?? 5;
  return [...cautions].sort((a, b) => rank(a) - rank(b));
}

export type SectionName = "cameras" | "units" | "prior" | "plates" | "gunshots" | "premises" | "community" | "cautions" | "alerts";

/** What an empty section says, briefly. */
export const EMPTY_TEXT: Record<SectionName, string> = {
  cameras: "No camera sees or stands near this place.",
  units: "No units with a known position.",
  prior: "No prior incidents here.",
  plates: "No plate reads nearby.",
  gunshots: "No gunshots detected nearby.",
  premises: "No premise information.",
  community: "None registered nearby.",
  cautions: "No CAD cautions.",
  alerts: "No alerts attached.",
};

/** Is the section empty (so it shows its EMPTY_TEXT)? */
export function isEmpty(packet: ContextPacket, section: SectionName): boolean {
  switch (section) {
    case "cameras": return packet.cameras.length === 0;
    case "units": return packet.units.length === 0;
    case "prior": return packet.prior_incidents.at_address === 0 && packet.prior_incidents.nearby === 0 && packet.prior_incidents.recent.length === 0;
    case "plates": return packet.plate_activity.reads === 0 && packet.plate_activity.hits.length === 0;
    case "gunshots": return packet.gunshots.length === 0;
    case "premises": return packet.premises.length === 0;
    case "community": return packet.community_cameras.length === 0;
    case "cautions": return packet.cautions.length === 0;
    case "alerts": return packet.alerts.length === 0;
  }
}
