/**
 * A dark watch-floor style built from the basemap GeoJSON: water, parks, buildings, streets by
 * class, street and place labels. No `glyphs` URL: MapLibre draws labels with local fonts, so the
 * map works with no internet at all.
 */

import type { Basemap } from "./basemap";
import type { ExpressionSpecification, LayerSpecification, StyleSpecification } from "@maplibre/maplibre-gl-style-spec";

export const BASEMAP_SOURCE = "basemap";
/** Local font stacks (no glyph server): MapLibre rasterises these with the system fonts. */
export const LABEL_FONT = ["sans-serif"];
// A named family (not the generic keyword) so "Bold" stays valid CSS; unknown names fall back to sans-serif.
export const LABEL_FONT_BOLD = ["Sans Bold"];

export const PALETTE = {
  background: "#0a0e13",
  water: "#0d2230",
  park: "#0f2118",
  building: "#171c24",
  buildingOutline: "#222935",
  label: "#9aa7b8",
  labelHalo: "#0a0e13",
  place: "#b9c4d2",
  placeDot: "#4a5563",
} as const;

export type StreetClass =
  | "motorway" | "trunk" | "primary" | "secondary" | "tertiary"
  | "residential" | "service" | "pedestrian" | "footway" | "other";

/** Colour and width (px at zoom 16) for each street class; bigger roads brighter and wider. */
export const STREET_LOOK: Record<StreetClass, { color: string; width: number }> = {
  motorway: { color: "#6d5a34", width: 9 },
  trunk: { color: "#62533a", width: 8 },
  primary: { color: "#4d5666", width: 7 },
  secondary: { color: "#434b59", width: 6 },
  tertiary: { color: "#3a414d", width: 5 },
  residential: { color: "#2f3540", width: 3.5 },
  service: { color: "#282d36", width: 2 },
  pedestrian: { color: "#2b3029", width: 2 },
  footway: { color: "#2a2e28", width: 1.2 },
  other: { color: "#2b3038", width: 2 },
};

const layerIs = (layer: string): ExpressionSpecification => ["==", ["get", "layer"], layer];

function streetClassMatch(pick: (look: { color: string; width: number }) => string | number): ExpressionSpecification {
  const pairs = (Object.keys(STREET_LOOK) as StreetClass[]).filter((c) => c !== "other")
    .flatMap((c) => [c, pick(STREET_LOOK[c])]);
  // A variadic "match" cannot be typed element by element; MapLibre validates it at load.
  return ["match", ["get", "class"], ...pairs, pick(STREET_LOOK.other)] as unknown as ExpressionSpecification;
}

function areaLayers(): LayerSpecification[] {
  return [
    { id: "water", type: "fill", source: BASEMAP_SOURCE, filter: layerIs("water"),
      paint: { "fill-color": PALETTE.water } },
    { id: "park", type: "fill", source: BASEMAP_SOURCE, filter: layerIs("park"),
      paint: { "fill-color": PALETTE.park } },
    { id: "building", type: "fill", source: BASEMAP_SOURCE, filter: layerIs("building"), minzoom: 13,
      paint: { "fill-color": PALETTE.building, "fill-outline-color": PALETTE.buildingOutline } },
  ] as LayerSpecification[];
}

function streetLayers(scale: number): LayerSpecification[] {
  const width = streetClassMatch((look) => look.width * scale);
  return [
    { id: "street", type: "line", source: BASEMAP_SOURCE, filter: layerIs("street"),
      layout: { "line-cap": "round", "line-join": "round" },
      paint: {
        "line-color": streetClassMatch((look) => look.color),
        "line-width": ["interpolate", ["exponential", 1.6], ["zoom"], 11, ["*", width, 0.15],
          16, width, 19, ["*", width, 4]],
      } },
  ] as LayerSpecification[];
}

function labelLayers(scale: number): LayerSpecification[] {
  return [
    { id: "street-label", type: "symbol", source: BASEMAP_SOURCE, minzoom: 14,
      filter: ["all", layerIs("street"), ["has", "name"]],
      layout: { "symbol-placement": "line", "text-field": ["get", "name"], "text-font": LABEL_FONT,
        "text-size": ["interpolate", ["linear"], ["zoom"], 14, 11 * scale, 18, 15 * scale], "text-max-angle": 30 },
      paint: { "text-color": PALETTE.label, "text-halo-color": PALETTE.labelHalo, "text-halo-width": 1.5 * scale } },
    { id: "place-dot", type: "circle", source: BASEMAP_SOURCE, minzoom: 12, filter: layerIs("place"),
      paint: { "circle-radius": 2.5 * scale, "circle-color": PALETTE.placeDot } },
    { id: "place-label", type: "symbol", source: BASEMAP_SOURCE, minzoom: 12,
      filter: ["all", layerIs("place"), ["has", "name"]],
      layout: { "text-field": ["get", "name"], "text-font": LABEL_FONT_BOLD, "text-size": 12 * scale,
        "text-anchor": "top", "text-offset": [0, 0.6], "text-optional": true },
      paint: { "text-color": PALETTE.place, "text-halo-color": PALETTE.labelHalo, "text-halo-width": 1.5 * scale } },
  ] as LayerSpecification[];
}

/**
 * The whole style; overlay sources and layers are added on top by overlays.ts. `scale` grows
 * lines, dots and labels with the console's root font size (1 at 1080p, 2 on a 4K wall).
 */
export function buildBasemapStyle(basemap: Basemap, scale = 1): StyleSpecification {
  return {
    version: 8,
    name: basemap.name ? `Watchfloor dark — ${basemap.name}` : "Watchfloor dark",
    center: basemap.center,
    zoom: basemap.zoom,
    sources: {
      [BASEMAP_SOURCE]: {
        type: "geojson",
        data: basemap.collection,
        attribution: basemap.attribution,
      },
    },
    layers: [
      { id: "background", type: "background", paint: { "background-color": PALETTE.background } },
      ...areaLayers(),
      ...streetLayers(scale),
      ...labelLayers(scale),
    ],
  };
}
