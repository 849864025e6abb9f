/**
 * The community cameras map layer: a dot per registered camera (a business in another shade
 * than a home) and, where the owner gave a direction, a wedge for what it sees.
 */

import type { ExpressionSpecification, LayerSpecification } from "@maplibre/maplibre-gl-style-spec";
import type { Feature, FeatureCollection, Point, Polygon } from "geojson";
import type { Map as MapLibreMap } from "maplibre-gl";
import { wedgeRing } from "../cameras/camera-features";
import { coversText, ownerName, type CommunityCameraRow } from "./community-model";

export const COMMUNITY_COLOR = "#7ee081";
const BUSINESS_COLOR = "#c4f07a";
/** A community camera's view wedge without a surveyed range: shorter than a city camera's guess. */
export const COMMUNITY_RANGE_M = 30;
export const COMMUNITY_LAYER_IDS = ["community-wedges", "community-wedges-line", "community", "community-picked"] as const;
/** The dot's layer (clicks and the pointer cursor). */
export const COMMUNITY_DOT_LAYER = "community";

/** A camera's point with what the popup shows. */
function point(c: CommunityCameraRow, picked: ReadonlySet<string>): Feature<Point> {
  return { type: "Feature", geometry: { type: "Point", coordinates: [c.lon, c.lat] },
    properties: { id: c.id, part: "camera", label: c.label, owner: ownerName(c.siteKind, c.siteName), business: c.siteKind === "business",
      covers: coversText(c.covers), retention: c.retentionDays ?? -1, accepts: c.accepts.join(","), picked: picked.has(c.id) } };
}

function wedge(c: CommunityCameraRow, picked: ReadonlySet<string>): Feature<Polygon> | null {
  if (c.bearing === null) return null;
  return { type: "Feature", geometry: { type: "Polygon", coordinates: [wedgeRing(c.lat, c.lon, c.bearing, c.fovAngle, c.rangeM ?? COMMUNITY_RANGE_M)] },
    properties: { id: c.id, part: "wedge", picked: picked.has(c.id) } };
}

/** The overlay: wedges (for cameras with a bearing) under the dots. */
export function communityFeatures(cameras: readonly CommunityCameraRow[], picked: ReadonlySet<string> = new Set()): FeatureCollection {
  const wedges = cameras.flatMap((c) => wedge(c, picked) ?? []);
  return { type: "FeatureCollection", features: [...wedges, ...cameras.map((c) => point(c, picked))] };
}

export function communityLayers(source: string, scale: number): LayerSpecification[] {
  const isWedge: ExpressionSpecification = ["==", ["get", "part"], "wedge"];
  const isDot: ExpressionSpecification = ["==", ["get", "part"], "camera"];
  return [
    { id: "community-wedges", type: "fill", source, filter: isWedge,
      paint: { "fill-color": COMMUNITY_COLOR, "fill-opacity": ["case", ["get", "picked"], 0.3, 0.12] } },
    { id: "community-wedges-line", type: "line", source, filter: isWedge,
      paint: { "line-color": COMMUNITY_COLOR, "line-opacity": ["case", ["get", "picked"], 0.9, 0.45], "line-width": 1 * scale } },
    { id: COMMUNITY_DOT_LAYER, type: "circle", source, filter: isDot,
      paint: { "circle-radius": 5 * scale, "circle-color": ["case", ["get", "business"], BUSINESS_COLOR, COMMUNITY_COLOR],
        "circle-stroke-width": 1.5 * scale, "circle-stroke-color": "#0a0e13" } },
    { id: "community-picked", type: "circle", source, filter: ["all", isDot, ["get", "picked"]],
      paint: { "circle-radius": 9 * scale, "circle-color": "rgba(0,0,0,0)", "circle-stroke-width": 2 * scale,
        "circle-stroke-color": "#ffffff" } },
  ] as LayerSpecification[];
}

/** Add the community layers (the source is already there). */
export function installCommunityLayers(map: MapLibreMap, source: string, scale: number): void {
  for (const layer of communityLayers(source, scale)) map.addLayer(layer);
}
