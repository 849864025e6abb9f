/** Plate readers, plate alerts and search hits as GeoJSON: a dot at the place, a short line showing the heading. */

import type { Feature, FeatureCollection, LineString, Point } from "geojson";

const METRES_PER_DEGREE = 111_320;
/** How far ahead of a reader (or a read) its heading line reaches. */
export const HEADING_LINE_M = 90;

/** The point `metres` away from (lat, lon) towards `heading` degrees (flat-earth; fine at street scale). */
export function headingEnd(lat: number, lon: number, heading: number, metres: number): [number, number] {
  const radians = (heading * Math.PI) / 180;
  const dLat = (metres * Math.cos(radians)) / METRES_PER_DEGREE;
  const dLon = (metres * Math.sin(radians)) / (METRES_PER_DEGREE * Math.cos((lat * Math.PI) / 180));
  return [lon + dLon, lat + dLat];
}

/** A closed ring of `steps` points around a circle (GeoJSON [lon, lat] order). */
export function circleRing(lat: number, lon: number, radiusM: number, steps = 64): Array<[number, number]> {
  const ring: Array<[number, number]> = [];
  for (let i = 0; i <= steps; i += 1) ring.push(headingEnd(lat, lon, (360 * i) / steps, radiusM));
  return ring;
}

type Props = Record<string, string | number | boolean | null>;

interface Placed {
  lat: number | null;
  lon: number | null;
  heading: number | null;
}

function placed<T extends Placed>(p: T): p is T & { lat: number; lon: number } {
  return typeof p.lat === "number" && typeof p.lon === "number";
}

function point(lon: number, lat: number, properties: Props): Feature<Point> {
  return { type: "Feature", geometry: { type: "Point", coordinates: [lon, lat] }, properties };
}

function line(coordinates: Array<[number, number]>, properties: Props): Feature<LineString> {
  return { type: "Feature", geometry: { type: "LineString", coordinates }, properties };
}

/** A dot, and a heading line where the heading is known. */
function withHeading(p: Placed & { lat: number; lon: number }, properties: Props): Array<Feature<Point | LineString>> {
  const features: Array<Feature<Point | LineString>> = [point(p.lon, p.lat, properties)];
  if (typeof p.heading === "number" && Number.isFinite(p.heading)) {
    features.push(line([[p.lon, p.lat], headingEnd(p.lat, p.lon, p.heading, HEADING_LINE_M)], { ...properties, part: "heading" }));
  }
  return features;
}

export interface ReaderLike extends Placed {
  code: string;
  name: string;
  active: boolean;
}

export function readerFeatures(readers: readonly ReaderLike[]): FeatureCollection {
  const features = readers.filter(placed).flatMap((r) =>
    withHeading(r, { id: r.code, title: r.name, active: r.active, heading: r.heading }));
  return { type: "FeatureCollection", features };
}

export interface AlertLike extends Placed {
  id: string;
  severity: string;
  plate_read: string;
}

export function alertFeatures(alerts: readonly AlertLike[]): FeatureCollection {
  const features = alerts.filter(placed).flatMap((a) =>
    withHeading(a, { id: a.id, severity: a.severity, title: a.plate_read }));
  return { type: "FeatureCollection", features };
}

export interface HitLike extends Placed {
  id: number;
  plate: string;
  hit: boolean;
}

/** Search results as dots (and the searched circle, if one was drawn). */
export function searchFeatures(reads: readonly HitLike[], area: { lat: number; lon: number; radius_m: number } | null): FeatureCollection {
  const features: Array<Feature<Point | LineString>> = reads.filter(placed)
    .map((r) => point(r.lon, r.lat, { id: r.id, title: r.plate, hit: r.hit }));
  if (area) features.push(line(circleRing(area.lat, area.lon, area.radius_m), { part: "area" }));
  return { type: "FeatureCollection", features };
}
