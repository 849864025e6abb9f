/**
 * The city basemap from GET /api/map/basemap (GeoJSON with name/center/zoom/bbox/attribution),
 * read defensively so a missing or odd member never breaks the map.
 */

import type { Feature, FeatureCollection } from "geojson";

export type BasemapLayer = "water" | "park" | "building" | "street" | "place";
export type Bbox = [number, number, number, number];

export interface Basemap {
  name: string;
  center: [number, number];
  zoom: number;
  bbox: Bbox | null;
  attribution: string;
  collection: FeatureCollection;
}

type Fields = Record<string, unknown>;

function isFields(value: unknown): value is Fields {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function numbers(value: unknown, length: number): number[] | null {
  if (!Array.isArray(value) || value.length !== length) return null;
  return value.every((n) => typeof n === "number" && Number.isFinite(n)) ? (value as number[]) : null;
}

function isFeature(value: unknown): value is Feature {
  return isFields(value) && value["type"] === "Feature" && isFields(value["geometry"]);
}

function centerOf(bbox: Bbox | null): [number, number] {
  if (bbox === null) return [0, 0];
  return [(bbox[0] + bbox[2]) / 2, (bbox[1] + bbox[3]) / 2];
}

/** Read the response; throws when it is not a FeatureCollection at all. */
export function parseBasemap(value: unknown): Basemap {
  if (!isFields(value) || value["type"] !== "FeatureCollection" || !Array.isArray(value["features"])) {
    throw new Error("the basemap is not a GeoJSON FeatureCollection");
  }
  const bboxNumbers = numbers(value["bbox"], 4);
  const bbox = bboxNumbers ? (bboxNumbers as Bbox) : null;
  const center = numbers(value["center"], 2);
  const zoom = value["zoom"];
  return {
    name: typeof value["name"] === "string" ? value["name"] : "",
    center: center ? [center[0] ?? 0, center[1] ?? 0] : centerOf(bbox),
    zoom: typeof zoom === "number" && Number.isFinite(zoom) ? zoom : 13,
    bbox,
    attribution: typeof value["attribution"] === "string" ? value["attribution"] : "",
    collection: { type: "FeatureCollection", features: value["features"].filter(isFeature) },
  };
}

/** An empty basemap (while the endpoint is missing or failed): the map still shows incidents. */
export function emptyBasemap(): Basemap {
  return {
    name: "",
    center: [0, 0],
    zoom: 2,
    bbox: null,
    attribution: "",
    collection: { type: "FeatureCollection", features: [] },
  };
}
