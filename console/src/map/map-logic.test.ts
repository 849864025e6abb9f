import { describe, expect, it } from "vitest";
import { parseBasemap } from "./basemap";
import { incidentFeatures, overlayLayerIds, OVERLAYS } from "./overlays";
import { buildBasemapStyle, LABEL_FONT } from "./style";

const basemapBody = {
  type: "FeatureCollection",
  name: "Helsinki",
  center: [24.94, 60.17],
  zoom: 14,
  bbox: [24.9, 60.15, 24.98, 60.19],
  attribution: "© OpenStreetMap contributors, ODbL",
  features: [
    { type: "Feature", geometry: { type: "LineString", coordinates: [[24.93, 60.17], [24.94, 60.17]] },
      properties: { layer: "street", class: "primary", name: "Mannerheimintie" } },
    { type: "Feature", geometry: null, properties: { layer: "broken" } },
  ],
};

describe("basemap", () => {
  it("reads the city's members and keeps only real features", () => {
    const basemap = parseBasemap(basemapBody);
    expect(basemap.name).toBe("Helsinki");
    expect(basemap.center).toEqual([24.94, 60.17]);
    expect(basemap.bbox).toEqual([24.9, 60.15, 24.98, 60.19]);
    expect(basemap.attribution).toContain("OpenStreetMap");
    expect(basemap.collection.features).toHaveLength(1);
  });

  it("falls back to the bbox centre and a default zoom", () => {
    const basemap = parseBasemap({ type: "FeatureCollection", features: [], bbox: [0, 0, 2, 4] });
    expect(basemap.center).toEqual([1, 2]);
    expect(basemap.zoom).toBe(13);
  });

  it("refuses what is not a FeatureCollection", () => {
    expect(() => parseBasemap({ type: "Feature" })).toThrow();
    expect(() => parseBasemap(null)).toThrow();
  });
});

describe("dark style", () => {
  it("has no glyphs URL (labels use local fonts) and labels streets and places", () => {
    const style = buildBasemapStyle(parseBasemap(basemapBody));
    expect(style).not.toHaveProperty("glyphs");
    expect(style).not.toHaveProperty("sprite");
    const ids = style.layers.map((l) => l.id);
    expect(ids).toEqual(expect.arrayContaining(["background", "water", "park", "building", "street", "street-label", "place-label"]));
    const streetLabel = style.layers.find((l) => l.id === "street-label");
    expect(streetLabel?.type === "symbol" && streetLabel.layout?.["text-font"]).toEqual(LABEL_FONT);
    expect(JSON.stringify(style)).not.toMatch(/https?:\/\//); // nothing fetched from the internet
  });
});

describe("incident overlay", () => {
  it("places incidents with coordinates and skips the rest", () => {
    const features = incidentFeatures([
      { id: "a", priority: 1, type_text: "Shots", address: "Main St", lat: 60.1, lon: 24.9 },
      { id: "b", priority: 3, type_text: null, address: null, lat: null, lon: null },
      { id: "c", priority: null, type_text: "Theft", address: "x" },
    ]).features;
    expect(features).toHaveLength(1);
    expect(features[0]?.geometry.coordinates).toEqual([24.9, 60.1]);
    expect(features[0]?.properties).toMatchObject({ id: "a", band: "p1", label: "P1" });
  });

  it("has a toggle target for every overlay", () => {
    expect(OVERLAYS).toEqual(["incidents", "geofences", "units", "cameras", "community", "plate-readers", "alerts", "plate-search",
      "desk-alerts"]);
    expect(overlayLayerIds("community")).toEqual(["community-wedges", "community-wedges-line", "community", "community-picked"]);
    expect(overlayLayerIds("geofences")).toEqual(["geofences-fill", "geofences", "geofences-inactive"]);
    expect(overlayLayerIds("desk-alerts")).toEqual(["desk-alerts"]);
    expect(overlayLayerIds("incidents")).toContain("incidents");
    expect(overlayLayerIds("units")).toEqual(["units-trail", "units-trail-stale", "units", "units-heading", "units-age"]);
    expect(overlayLayerIds("plate-readers")).toEqual(["plate-readers-lines", "plate-readers"]);
    expect(overlayLayerIds("alerts")).toEqual(["alerts-lines", "alerts"]);
  });
});
