/** The alert desk's alerts and the geofences as GeoJSON for their map overlays (pure). */

import type { Feature, FeatureCollection, Point, Polygon } from "geojson";
import type { AlertRow } from "./alert-model";

export function deskAlertFeatures(rows: readonly AlertRow[]): FeatureCollection<Point> {
  const features: Array<Feature<Point>> = rows
    .filter((r) => r.lat !== null && r.lon !== null)
    .map((r) => ({
      type: "Feature",
      id: r.id,
      geometry: { type: "Point", coordinates: [r.lon as number, r.lat as number] },
      properties: { id: r.id, kind: r.kind, gunshot: r.kind === "gunshot", priority: r.priority, status: r.status, title: r.title },
    }));
  return { type: "FeatureCollection", features };
}

/** A geofence as GET /api/geofences returns it (contract, H7); only what the map draws. */
export interface GeofenceOut {
  id: string;
  name: string;
  kind: string;
  polygon: Array<[number, number]>;
  active: boolean;
}

type Fields = Record<string, unknown>;
const isFields = (value: unknown): value is Fields => typeof value === "object" && value !== null && !Array.isArray(value);

function readPolygon(value: unknown): Array<[number, number]> {
  if (!Array.isArray(value)) return [];
  return value.flatMap((p) => (Array.isArray(p) && typeof p[0] === "number" && typeof p[1] === "number" ? [[p[0], p[1]] as [number, number]] : []));
}

/** The list answer (a bare list or `{"geofences": [...]}`) read defensively. */
export function readGeofences(body: unknown): GeofenceOut[] {
  const list = Array.isArray(body) ? body : isFields(body) && Array.isArray(body["geofences"]) ? body["geofences"] : [];
  return list.filter(isFields).flatMap((g) => {
    const id = typeof g["id"] === "string" ? g["id"] : null;
    const polygon = readPolygon(g["polygon"]);
    if (id === null || polygon.length < 3) return [];
    return [{ id, name: typeof g["name"] === "string" ? g["name"] : id, kind: typeof g["kind"] === "string" ? g["kind"] : "",
      polygon, active: g["active"] !== false }];
  });
}

/** Polygons with [lat, lon] corners become closed GeoJSON rings of [lon, lat]. */
export function geofenceFeatures(fences: readonly GeofenceOut[]): FeatureCollection<Polygon> {
  const features: Array<Feature<Polygon>> = fences.map((g) => {
    const ring: Array<[number, number]> = g.polygon.map(([lat, lon]) => [lon, lat]);
    const first = ring[0];
    const last = ring[ring.length - 1];
    if (first && last && (first[0] !== last[0] || first[1] !== last[1])) ring.push([first[0], first[1]]);
    return { type: "Feature", id: g.id, geometry: { type: "Polygon", coordinates: [ring] },
      properties: { id: g.id, name: g.name, kind: g.kind, active: g.active } };
  });
  return { type: "FeatureCollection", features };
}
