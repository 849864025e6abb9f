/**
 * The operational layers on top of the basemap: incidents now; units, cameras, plate readers and
 * alerts as empty sources that later features fill with `setOverlayData(name, collection)`.
 */

import type { FeatureCollection, Point } from "geojson";
import type { Map as MapLibreMap, GeoJSONSource } from "maplibre-gl";
import { priorityBand, priorityLabel } from "../core/queue-order";
import type { LayerSpecification } from "@maplibre/maplibre-gl-style-spec";

export const OVERLAYS = ["incidents", "units", "cameras", "plate-readers", "alerts"] as const;
export type OverlayName = (typeof OVERLAYS)[number];

export const OVERLAY_TITLES: Record<OverlayName, string> = {
  incidents: "Incidents",
  units: "Units",
  cameras: "Cameras",
  "plate-readers": "Plate readers",
  alerts: "Alerts",
};

export const PRIORITY_COLORS = { p1: "#ff4d4f", p2: "#f5a623", low: "#a9b6c8" } as const;
const OVERLAY_COLORS: Record<Exclude<OverlayName, "incidents">, string> = {
  units: "#4da3ff",
  cameras: "#3ddbd9",
  "plate-readers": "#b58cff",
  alerts: "#ff7ab6",
};

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

function plainOverlayLayer(name: Exclude<OverlayName, "incidents">, scale: number): LayerSpecification {
  return {
    id: name, type: "circle", source: sourceId(name),
    paint: { "circle-radius": 6 * scale, "circle-color": OVERLAY_COLORS[name], "circle-stroke-width": 1.5 * scale,
      "circle-stroke-color": "#0a0e13" },
  } as LayerSpecification;
}

/** Layer ids that belong to each overlay (for visibility toggles). */
export function overlayLayerIds(name: OverlayName): string[] {
  return name === "incidents" ? ["incidents-selected", "incidents"] : [name];
}

/** Add every overlay source (empty) and layer to a loaded map, incidents on top. */
export function installOverlays(map: MapLibreMap, scale = 1): void {
  for (const name of OVERLAYS) {
    map.addSource(sourceId(name), { type: "geojson", data: emptyCollection() });
  }
  for (const name of OVERLAYS) {
    if (name !== "incidents") map.addLayer(plainOverlayLayer(name, scale));
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
