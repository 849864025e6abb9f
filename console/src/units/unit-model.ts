/** Units as the console reads them: the roster's UnitOut and trail points, status colours, staleness. */

export interface UnitRow {
  code: string;
  name: string;
  kind: string;
  agency: string | null;
  status: string;
  incidentId: string | null;
  lat: number | null;
  lon: number | null;
  heading: number | null;
  speedMps: number | null;
  positionAt: string | null;
  /** The server's verdict when it sent the unit (the console also ages positions itself). */
  stale: boolean;
  crew: string[];
  capabilities: string[];
}

export interface TrailPoint {
  lat: number;
  lon: number;
  at: string;
}

/** A position older than this is stale (the roster's default `context.unit_stale_after_s`). */
export const STALE_AFTER_S = 300;
/** How much trail the map shows. */
export const TRAIL_MINUTES = 15;

export const STATUS_COLORS: Record<string, string> = {
  available: "#3ccf6e",
  cleared: "#3ccf6e",
  assigned: "#4da3ff",
  dispatched: "#4da3ff",
  en_route: "#f5a623",
  on_scene: "#ff4d4f",
  transporting: "#c792ea",
  out_of_service: "#6b7687",
  unknown: "#a9b6c8",
};
export const STALE_COLOR = "#59616d";

export const STATUS_WORDS: Record<string, string> = {
  available: "Available",
  cleared: "Cleared",
  assigned: "Assigned",
  dispatched: "Dispatched",
  en_route: "En route",
  on_scene: "On scene",
  transporting: "Transporting",
  out_of_service: "Out of service",
  unknown: "Unknown",
};

type Fields = Record<string, unknown>;

function isFields(value: unknown): value is Fields {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

const str = (f: Fields, key: string): string | null => (typeof f[key] === "string" ? (f[key] as string) : null);
const num = (f: Fields, key: string): number | null =>
  typeof f[key] === "number" && Number.isFinite(f[key]) ? (f[key] as number) : null;
const strings = (f: Fields, key: string): string[] =>
  Array.isArray(f[key]) ? (f[key] as unknown[]).filter((v): v is string => typeof v === "string") : [];

/** One UnitOut, or null when it is not one. */
export function readUnit(value: unknown): UnitRow | null {
  if (!isFields(value)) return null;
  const code = str(value, "code");
  if (code === null) return null;
  return {
    code,
    name: str(value, "name") ?? code,
    kind: str(value, "kind") ?? "unknown",
    agency: str(value, "agency"),
    status: str(value, "status") ?? "unknown",
    incidentId: str(value, "incident_id"),
    lat: num(value, "lat"),
    lon: num(value, "lon"),
    heading: num(value, "heading"),
    speedMps: num(value, "speed_mps"),
    positionAt: str(value, "position_at"),
    stale: value["stale"] === true,
    crew: strings(value, "crew"),
    capabilities: strings(value, "capabilities"),
  };
}

export function readUnits(value: unknown): UnitRow[] {
  return Array.isArray(value) ? value.map(readUnit).filter((u): u is UnitRow => u !== null) : [];
}

export function readTrail(value: unknown): TrailPoint[] {
  if (!Array.isArray(value)) return [];
  const points: TrailPoint[] = [];
  for (const item of value) {
    if (!isFields(item)) continue;
    const lat = num(item, "lat");
    const lon = num(item, "lon");
    const at = str(item, "at");
    if (lat !== null && lon !== null && at !== null) points.push({ lat, lon, at });
  }
  return points;
}

/** Seconds since the unit's position by the server's clock; null without a position. */
export function positionAge(unit: UnitRow, nowMs: number, offsetMs = 0): number | null {
  if (unit.positionAt === null) return null;
  const at = Date.parse(unit.positionAt);
  return Number.isNaN(at) ? null : Math.max(0, Math.floor((nowMs + offsetMs - at) / 1000));
}

/** Stale: no position, the server said so, or the position aged past STALE_AFTER_S since. */
export function isStale(unit: UnitRow, nowMs: number, offsetMs = 0, staleAfterS = STALE_AFTER_S): boolean {
  const age = positionAge(unit, nowMs, offsetMs);
  return unit.stale || age === null || age > staleAfterS;
}

export function statusColor(status: string): string {
  return STATUS_COLORS[status] ?? STATUS_COLORS["unknown"] ?? "#a9b6c8";
}

export function statusWord(status: string): string {
  return STATUS_WORDS[status] ?? status.replace(/_/g, " ");
}

/** "42s", "7m", "3h 05m", "2d": how old a position is, compact for the map and the panel. */
export function ageLabel(seconds: number | null): string {
  if (seconds === null) return "no position";
  if (seconds < 60) return `${seconds}s`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)}m`;
  if (seconds < 86400) return `${Math.floor(seconds / 3600)}h ${String(Math.floor((seconds % 3600) / 60)).padStart(2, "0")}m`;
  return `${Math.floor(seconds / 86400)}d`;
}

/** The trail with a new point appended when it is newer than the last; then trimmed to the window. */
export function extendTrail(trail: readonly TrailPoint[], point: TrailPoint, nowMs: number, minutes = TRAIL_MINUTES): TrailPoint[] {
  const last = trail[trail.length - 1];
  const newer = !last || Date.parse(point.at) > Date.parse(last.at);
  return trimTrail(newer ? [...trail, point] : [...trail], nowMs, minutes);
}

/** Only the points of the last `minutes` (by nowMs on the server's clock). */
export function trimTrail(trail: readonly TrailPoint[], nowMs: number, minutes = TRAIL_MINUTES): TrailPoint[] {
  const since = nowMs - minutes * 60_000;
  return trail.filter((p) => Date.parse(p.at) >= since);
}

/** Panel order: fresh positions before stale ones, then by code. */
export function compareUnits(a: UnitRow, b: UnitRow, nowMs: number, offsetMs = 0): number {
  const staleA = isStale(a, nowMs, offsetMs);
  const staleB = isStale(b, nowMs, offsetMs);
  if (staleA !== staleB) return staleA ? 1 : -1;
  return a.code.localeCompare(b.code);
}
