/**
 * The units overlay's MapLibre layers: trails (dashed once stale), a dot in the status colour
 * (greyed when stale), a heading arrow rotated with the map, and the age of a stale position.
 */

import type { ExpressionSpecification, LayerSpecification } from "@maplibre/maplibre-gl-style-spec";
import type { Map as MapLibreMap } from "maplibre-gl";
import { LABEL_FONT } from "../map/style";

export const UNIT_ARROW = "unit-arrow";
export const UNIT_LAYER_IDS = ["units-trail", "units-trail-stale", "units", "units-heading", "units-age"] as const;

/** A white arrow pointing up (north), RGBA, `size` × `size`: drawn here so the map needs no sprite. */
export function arrowImage(size: number): { width: number; height: number; data: Uint8Array } {
  const data = new Uint8Array(size * size * 4);
  const mid = (size - 1) / 2;
  for (let y = 0; y < size; y += 1) {
    for (let x = 0; x < size; x += 1) {
      if (!insideArrow(x - mid, y, size)) continue;
      data.set([255, 255, 255, 255], (y * size + x) * 4);
    }
  }
  return { width: size, height: size, data };
}

/** The arrow: a head from the top edge to 45 % down, full width at its base. */
function insideArrow(dx: number, y: number, size: number): boolean {
  const headEnd = size * 0.45;
  if (y > headEnd) return false;
  const halfWidth = (y / headEnd) * (size * 0.32);
  return Math.abs(dx) <= halfWidth;
}

export function unitLayers(source: string, scale: number): LayerSpecification[] {
  const trail: ExpressionSpecification = ["==", ["get", "part"], "trail"];
  const dot: ExpressionSpecification = ["==", ["get", "part"], "unit"];
  return [
    { id: "units-trail", type: "line", source, filter: ["all", trail, ["!", ["get", "stale"]]],
      layout: { "line-cap": "round", "line-join": "round" },
      paint: { "line-color": ["get", "color"], "line-width": 2.5 * scale, "line-opacity": 0.65 } },
    { id: "units-trail-stale", type: "line", source, filter: ["all", trail, ["get", "stale"]],
      paint: { "line-color": ["get", "color"], "line-width": 1.5 * scale, "line-opacity": 0.6, "line-dasharray": [2, 2] } },
    { id: "units", type: "circle", source, filter: dot,
      paint: { "circle-radius": 7 * scale, "circle-color": ["get", "color"], "circle-opacity": ["case", ["get", "stale"], 0.5, 1],
        "circle-stroke-width": ["case", ["get", "stale"], 1.5 * scale, 2 * scale],
        "circle-stroke-color": ["case", ["get", "stale"], "#9aa3ad", "#0a0e13"], "circle-stroke-opacity": ["case", ["get", "stale"], 0.8, 1] } },
    { id: "units-heading", type: "symbol", source, filter: ["all", dot, ["get", "hasHeading"]],
      layout: { "icon-image": UNIT_ARROW, "icon-size": 0.5 * scale, "icon-rotate": ["get", "heading"],
        "icon-rotation-alignment": "map", "icon-allow-overlap": true, "icon-ignore-placement": true },
      paint: { "icon-opacity": ["case", ["get", "stale"], 0.5, 1] } },
    { id: "units-age", type: "symbol", source, filter: ["all", dot, ["get", "stale"]],
      layout: { "text-field": ["get", "label"], "text-font": LABEL_FONT, "text-size": 11 * scale, "text-offset": [0, 1.4],
        "text-anchor": "top", "text-allow-overlap": false },
      paint: { "text-color": "#9aa3ad", "text-halo-color": "#0a0e13", "text-halo-width": 1.5 } },
  ] as LayerSpecification[];
}

/** Add the arrow image and the units layers (the source is already there). */
export function installUnitLayers(map: MapLibreMap, source: string, scale: number): void {
  if (!map.hasImage(UNIT_ARROW)) map.addImage(UNIT_ARROW, arrowImage(32), { pixelRatio: 1 });
  for (const layer of unitLayers(source, scale)) map.addLayer(layer);
}
