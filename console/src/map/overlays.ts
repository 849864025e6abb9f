/**
 * The operational layers on top of the basemap: incidents; plate readers, plate alerts and plate
 * search hits (dots with a heading line); units and cameras as empty sources that later features
 * fill with `setOverlayData(name, collection)`.
 */

import type { FeatureCollection, Point } from "geojson";
import type { Map as MapLibreMap, GeoJSONSource } from "maplibre-gl";
import { priorityBand, priorityLabel } from "../core/queue-order";
import type { LayerSpecification } from "@maplibre/maplibre-gl-style-spec";
import { HEALTH_COLORS } from "../cameras/camera-health";
import { installUnitLayers, UNIT_LAYER_IDS } from "../units/unit-layers";
import { COMMUNITY_COLOR, COMMUNITY_LAYER_IDS, installCommunityLayers } from "../community/community-features";

export const OVERLAYS = [
  "incidents", "geofences", "units", "cameras", "community", "plate-readers", "alerts", "plate-search", "desk-alerts",
] as const;
export type OverlayName = (typeof OVERLAYS)[number];

export const OVERLAY_TITLES: Record<OverlayName, string> = {
  incidents: "Incidents",
  units: "Units",
  cameras: "Cameras",
  community: "Community cameras",
  "plate-readers": "Plate readers",
  alerts: "Plate alerts",
  "plate-search": "Plate search",
  geofences: "Geofences",
  "desk-alerts": "Alerts (gunshot, panic, sensors…)",
};

export const PRIORITY_COLORS = { p1: "#ff4d4f", p2: "#f5a623", low: "#a9b6c8" } as const;
const OVERLAY_COLORS: Record<Exclude<OverlayName, "incidents">, string> = {
  units: "#4da3ff",
  cameras: "#3ddbd9",
  community: COMMUNITY_COLOR,
  "plate-readers": "#b58cff",
  alerts: "#ff7ab6",
  "plate-search": "#ffd166",
  geofences: "#c792ea",
  "desk-alerts": "#ff9f43",
};
const GUNSHOT_COLOR = "#ff2d2d";
const PANIC_COLOR = "#ff4dd2";
export const SEVERITY_COLORS = { high: "#ff4d4f", medium: "#f5a623", low: "#8591a3" } as const;
/** Overlays drawn as a dot plus a line (a heading, or the searched circle). */
const WITH_LINES: ReadonlySet<OverlayName> = new Set(["plate-readers", "alerts", "plate-search"]);

const sourceId = (name: OverlayName): string => `overlay-${name}`;
export const emptyCollection = (): FeatureCollection => ({ type: "FeatureCollection", features: [] });

/** Where an incident sits on the map (rows without coordinates are left off). */
export interface Placed {
  id: string;
  priority: number | null;
  type_text: string | null;
  address: string | null;
  lat?: number | null;
  lon?: number | null;
}

export function incidentFeatures(rows: readonly Placed[]): FeatureCollection<Point> {
  const features = rows
    .filter((r) => typeof r.lat === "number" && typeof r.lon === "number")
    .map((r) => ({
      type: "Feature" as const,
      id: r.id,
      geometry: { type: "Point" as const, coordinates: [r.lon as number, r.lat as number] },
      properties: {
        id: r.id,
        band: priorityBand(r.priority),
        label: priorityLabel(r.priority),
        title: r.type_text ?? "",
        address: r.address ?? "",
      },
    }));
  return { type: "FeatureCollection", features };
}

function incidentLayers(scale: number): LayerSpecification[] {
  const source = sourceId("incidents");
  const color = ["match", ["get", "band"], "p1", PRIORITY_COLORS.p1, "p2", PRIORITY_COLORS.p2, PRIORITY_COLORS.low];
  return [
    { id: "incidents-selected", type: "circle", source, filter: ["==", ["get", "id"], ""],
      paint: { "circle-radius": 16 * scale, "circle-color": "rgba(0,0,0,0)", "circle-stroke-width": 3 * scale,
        "circle-stroke-color": "#ffffff" } },
    { id: "incidents", type: "circle", source,
      paint: { "circle-radius": ["match", ["get", "band"], "p1", 10 * scale, "p2", 8 * scale, 6.5 * scale], "circle-color": color,
        "circle-stroke-width": ["match", ["get", "band"], "low", 2 * scale, 1.5 * scale],
        "circle-stroke-color": ["match", ["get", "band"], "low", "#2a3442", "#0a0e13"] } },
  ] as LayerSpecification[];
}

function circleColor(name: Exclude<OverlayName, "incidents">): unknown {
  if (name === "cameras") {
    return ["match", ["get", "health"], "ok", HEALTH_COLORS.ok, "degraded", HEALTH_COLORS.degraded, "offline", HEALTH_COLORS.offline,
      HEALTH_COLORS.unknown];
  }
  if (name === "alerts") {
    return ["match", ["get", "severity"], "high", SEVERITY_COLORS.high, "medium", SEVERITY_COLORS.medium, SEVERITY_COLORS.low];
  }
  if (name === "desk-alerts") {
    return ["case", ["get", "gunshot"], GUNSHOT_COLOR, ["==", ["get", "kind"], "panic"], PANIC_COLOR,
      ["==", ["get", "priority"], 1], PRIORITY_COLORS.p1, OVERLAY_COLORS[name]];
  }
  if (name === "plate-search") return ["case", ["get", "hit"], SEVERITY_COLORS.high, OVERLAY_COLORS[name]];
  if (name === "plate-readers") return ["case", ["get", "active"], OVERLAY_COLORS[name], "#5a5470"];
  return OVERLAY_COLORS[name];
}

function plainOverlayLayer(name: Exclude<OverlayName, "incidents">, scale: number): LayerSpecification {
  if (name === "desk-alerts") return deskAlertLayer(scale);
  const radius = name === "alerts" ? 8 : name === "plate-search" ? 5 : 6;
  return {
    id: name, type: "circle", source: sourceId(name),
    ...(WITH_LINES.has(name) || name === "cameras" ? { filter: ["==", ["geometry-type"], "Point"] } : {}),
    paint: { "circle-radius": radius * scale, "circle-color": circleColor(name), "circle-stroke-width": 1.5 * scale,
      "circle-stroke-color": "#0a0e13" },
  } as LayerSpecification;
}

function lineOverlayLayer(name: Exclude<OverlayName, "incidents">, scale: number): LayerSpecification {
  const color = name === "alerts" ? circleColor(name) : OVERLAY_COLORS[name];
  return {
    id: `${name}-lines`, type: "line", source: sourceId(name), filter: ["==", ["geometry-type"], "LineString"],
    layout: { "line-cap": "round" },
    paint: { "line-color": color, "line-width": (name === "plate-search" ? 1.5 : 3) * scale,
      ...(name === "plate-search" ? { "line-dasharray": [2, 2] } : {}) },
  } as LayerSpecification;
}

/** Camera view wedges (and a PTZ camera's reach, fainter) under the camera dots. */
function cameraAreaLayers(scale: number): LayerSpecification[] {
  const source = sourceId("cameras");
  const wedge = ["all", ["==", ["geometry-type"], "Polygon"], ["==", ["get", "part"], "wedge"]];
  const reach = ["all", ["==", ["geometry-type"], "Polygon"], ["==", ["get", "part"], "ptz-reach"]];
  const color = OVERLAY_COLORS.cameras;
  return [
    { id: "cameras-reach", type: "fill", source, filter: reach, paint: { "fill-color": color, "fill-opacity": 0.04 } },
    { id: "cameras-reach-line", type: "line", source, filter: reach,
      paint: { "line-color": color, "line-opacity": 0.25, "line-width": 1 * scale, "line-dasharray": [2, 3] } },
    { id: "cameras-wedges", type: "fill", source, filter: wedge,
      paint: { "fill-color": color, "fill-opacity": ["case", ["get", "selected"], 0.3, 0.12] } },
    { id: "cameras-wedges-line", type: "line", source, filter: wedge,
      paint: { "line-color": color, "line-opacity": ["case", ["get", "selected"], 0.9, 0.4], "line-width": 1 * scale } },
  ] as LayerSpecification[];
}

/** Alert-desk alerts: gunshots larger, red with a white ring; panic buttons magenta. */
function deskAlertLayer(scale: number): LayerSpecification {
  return {
    id: "desk-alerts", type: "circle", source: sourceId("desk-alerts"),
    paint: { "circle-radius": ["case", ["get", "gunshot"], 11 * scale, 8 * scale], "circle-color": circleColor("desk-alerts"),
      "circle-stroke-width": ["case", ["get", "gunshot"], 3 * scale, 1.5 * scale],
      "circle-stroke-color": ["case", ["get", "gunshot"], "#ffffff", "#0a0e13"] },
  } as LayerSpecification;
}

/** Geofence polygons: a faint fill and an outline (dashed while the geofence is inactive). */
function geofenceLayers(scale: number): LayerSpecification[] {
  const source = sourceId("geofences");
  const color = OVERLAY_COLORS.geofences;
  return [
    { id: "geofences-fill", type: "fill", source, paint: { "fill-color": color, "fill-opacity": ["case", ["get", "active"], 0.1, 0.03] } },
    { id: "geofences", type: "line", source, filter: ["get", "active"], paint: { "line-color": color, "line-width": 2 * scale } },
    { id: "geofences-inactive", type: "line", source, filter: ["!", ["get", "active"]],
      paint: { "line-color": color, "line-opacity": 0.5, "line-width": 1 * scale, "line-dasharray": [2, 2] } },
  ] as LayerSpecification[];
}

const CAMERA_AREA_LAYERS = ["cameras-reach", "cameras-reach-line", "cameras-wedges", "cameras-wedges-line"];

/** Layer ids that belong to each overlay (for visibility toggles). */
export function overlayLayerIds(name: OverlayName): string[] {
  if (name === "incidents") return ["incidents-selected", "incidents"];
  if (name === "cameras") return [...CAMERA_AREA_LAYERS, "cameras"];
  if (name === "geofences") return ["geofences-fill", "geofences", "geofences-inactive"];
  if (name === "units") return [...UNIT_LAYER_IDS];
  if (name === "community") return [...COMMUNITY_LAYER_IDS];
  return WITH_LINES.has(name) ? [`${name}-lines`, name] : [name];
}

/** Add every overlay source (empty) and layer to a loaded map, incidents on top. */
export function installOverlays(map: MapLibreMap, scale = 1): void {
  for (const name of OVERLAYS) {
    map.addSource(sourceId(name), { type: "geojson", data: emptyCollection() });
  }
  for (const name of OVERLAYS) {
    if (name === "incidents") continue;
    if (name === "geofences") {
      for (const layer of geofenceLayers(scale)) map.addLayer(layer);
      continue;
    }
    if (name === "units") {
      installUnitLayers(map, sourceId(name), scale);
      continue;
    }
    if (name === "community") {
      installCommunityLayers(map, sourceId(name), scale);
      continue;
    }
    if (WITH_LINES.has(name)) map.addLayer(lineOverlayLayer(name, scale));
    if (name === "cameras") for (const layer of cameraAreaLayers(scale)) map.addLayer(layer);
    map.addLayer(plainOverlayLayer(name, scale));
  }
  for (const layer of incidentLayers(scale)) map.addLayer(layer);
}

export function setOverlayData(map: MapLibreMap, name: OverlayName, data: FeatureCollection): void {
  const source = map.getSource<GeoJSONSource>(sourceId(name));
  source?.setData(data);
}

export function setOverlayVisible(map: MapLibreMap, name: OverlayName, visible: boolean): void {
  for (const id of overlayLayerIds(name)) {
    if (map.getLayer(id)) map.setLayoutProperty(id, "visibility", visible ? "visible" : "none");
  }
}

export function highlightIncident(map: MapLibreMap, incidentId: string | null): void {
  if (map.getLayer("incidents-selected")) {
    map.setFilter("incidents-selected", ["==", ["get", "id"], incidentId ?? ""]);
  }
}
