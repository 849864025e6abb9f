/** Cameras on the map: a dot coloured by health, and view wedges (a faint PTZ reach circle) for some of them. */

import type { Feature, FeatureCollection, Point, Polygon } from "geojson";
import { circleRing, headingEnd } from "../map/lpr-features";
import type { Health } from "./camera-health";

/** The camera fields the map needs (CameraOut has them all). */
export interface CameraGeo {
  code: string;
  name: string;
  lat: number | null;
  lon: number | null;
  bearing: number | null;
  fov_angle: number | null;
  fov_range_m: number | null;
  ptz: boolean;
  ptz_range_m: number | null;
  mobile: boolean;
  last_lat: number | null;
  last_lon: number | null;
  status: string;
}

/** A camera never surveyed is drawn as the coverage index assumes it: all round, 50 m. */
export const DEFAULT_RANGE_M = 50;
export const WEDGE_STEPS = 16;
/** More wedges than this on screen are noise: the map draws only the dots then. */
export const MAX_WEDGES = 250;

export interface Bounds {
  west: number;
  south: number;
  east: number;
  north: number;
}

/** Where the camera is now: its mount, or a mobile camera's last reported position. */
export function cameraPosition(c: CameraGeo): { lat: number; lon: number } | null {
  const lat = c.mobile ? c.last_lat : c.lat;
  const lon = c.mobile ? c.last_lon : c.lon;
  return typeof lat === "number" && typeof lon === "number" ? { lat, lon } : null;
}

/**
 * The view wedge as a closed [lon, lat] ring: apex at the camera, an arc of `steps` segments
 * across the field of view. No bearing, or a 360° view, gives a full circle.
 */
export function wedgeRing(lat: number, lon: number, bearing: number | null, fovDeg: number | null, rangeM: number | null,
  steps = WEDGE_STEPS): Array<[number, number]> {
  const range = rangeM && rangeM > 0 ? rangeM : DEFAULT_RANGE_M;
  const fov = fovDeg && fovDeg > 0 ? Math.min(fovDeg, 360) : 360;
  if (bearing === null || fov >= 360) return circleRing(lat, lon, range, steps * 2);
  const start = bearing - fov / 2;
  const arc: Array<[number, number]> = [];
  for (let i = 0; i <= steps; i += 1) arc.push(headingEnd(lat, lon, start + (fov * i) / steps, range));
  return [[lon, lat], ...arc, [lon, lat]];
}

export function cameraPoints(cameras: readonly CameraGeo[], health: (code: string) => Health): Array<Feature<Point>> {
  const features: Array<Feature<Point>> = [];
  for (const c of cameras) {
    const at = cameraPosition(c);
    if (!at) continue;
    features.push({ type: "Feature", geometry: { type: "Point", coordinates: [at.lon, at.lat] },
      properties: { id: c.code, title: c.name, health: health(c.code), ptz: c.ptz } });
  }
  return features;
}

/** Wedges for the given cameras, and a PTZ camera's reach as a faint circle under it. */
export function cameraWedges(cameras: readonly CameraGeo[], selected: string | null): Array<Feature<Polygon>> {
  const features: Array<Feature<Polygon>> = [];
  for (const c of cameras) {
    const at = cameraPosition(c);
    if (!at) continue;
    const chosen = c.code === selected;
    if (c.ptz && c.ptz_range_m) {
      features.push({ type: "Feature", geometry: { type: "Polygon", coordinates: [circleRing(at.lat, at.lon, c.ptz_range_m, 48)] },
        properties: { id: c.code, part: "ptz-reach", selected: chosen } });
    }
    features.push({ type: "Feature",
      geometry: { type: "Polygon", coordinates: [wedgeRing(at.lat, at.lon, c.bearing, c.fov_angle, c.fov_range_m)] },
      properties: { id: c.code, part: "wedge", selected: chosen } });
  }
  return features;
}

export function inBounds(c: CameraGeo, b: Bounds): boolean {
  const at = cameraPosition(c);
  return at !== null && at.lat >= b.south && at.lat <= b.north && at.lon >= b.west && at.lon <= b.east;
}

/**
 * Which cameras get a wedge: the selected (or watched) ones always; every camera on screen
 * when the map is zoomed in far enough and they are not too many.
 */
export function wedgeCameras(cameras: readonly CameraGeo[], view: (Bounds & { zoom: number }) | null,
  always: ReadonlySet<string>, minZoom = 15): CameraGeo[] {
  const chosen = cameras.filter((c) => always.has(c.code));
  if (!view || view.zoom < minZoom) return chosen;
  const onScreen = cameras.filter((c) => !always.has(c.code) && inBounds(c, view));
  return onScreen.length + chosen.length > MAX_WEDGES ? chosen : [...chosen, ...onScreen];
}

/** The whole "cameras" overlay: wedges under the dots. */
export function cameraOverlay(cameras: readonly CameraGeo[], health: (code: string) => Health,
  view: (Bounds & { zoom: number }) | null, always: ReadonlySet<string>, selected: string | null): FeatureCollection {
  const wedges = cameraWedges(wedgeCameras(cameras, view, always), selected);
  return { type: "FeatureCollection", features: [...wedges, ...cameraPoints(cameras.filter((c) => c.status !== "retired"), health)] };
}
