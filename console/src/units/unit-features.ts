/** Units as map features: a dot per unit (status colour, heading, stale with its age) and its trail. */

import type { Feature, FeatureCollection, LineString, Point } from "geojson";
import { ageLabel, isStale, positionAge, STALE_COLOR, statusColor, type TrailPoint, type UnitRow } from "./unit-model";

export function unitFeatures(
  units: readonly UnitRow[],
  trails: ReadonlyMap<string, readonly TrailPoint[]>,
  nowMs: number,
  offsetMs = 0,
): FeatureCollection {
  const features: Feature[] = [];
  for (const unit of units) {
    if (unit.lat === null || unit.lon === null) continue;
    const stale = isStale(unit, nowMs, offsetMs);
    const color = stale ? STALE_COLOR : statusColor(unit.status);
    const trail = trails.get(unit.code) ?? [];
    const line = trailFeature(unit, trail, stale, color);
    if (line.geometry.coordinates.length >= 2) features.push(line);
    features.push(dotFeature(unit, stale, color, positionAge(unit, nowMs, offsetMs)));
  }
  return { type: "FeatureCollection", features };
}

function dotFeature(unit: UnitRow, stale: boolean, color: string, age: number | null): Feature<Point> {
  return {
    type: "Feature",
    id: unit.code,
    geometry: { type: "Point", coordinates: [unit.lon as number, unit.lat as number] },
    properties: {
      id: unit.code,
      part: "unit",
      status: unit.status,
      kind: unit.kind,
      color,
      stale,
      heading: unit.heading ?? 0,
      hasHeading: unit.heading !== null,
      label: stale ? `${unit.code} · ${ageLabel(age)}` : unit.code,
      age: age ?? -1,
    },
  };
}

function trailFeature(unit: UnitRow, trail: readonly TrailPoint[], stale: boolean, color: string): Feature<LineString> {
  const coordinates = trail.map((p) => [p.lon, p.lat]);
  const last = coordinates[coordinates.length - 1];
  const here = [unit.lon as number, unit.lat as number];
  if (!last || last[0] !== here[0] || last[1] !== here[1]) coordinates.push(here);
  return {
    type: "Feature",
    geometry: { type: "LineString", coordinates },
    properties: { id: unit.code, part: "trail", status: unit.status, color, stale },
  };
}
