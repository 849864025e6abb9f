import { describe, expect, it } from "vitest";
import { deskAlertFeatures, geofenceFeatures, readGeofences } from "./alert-features";
import { rowFromChanged, type AlertRow } from "./alert-model";

const alert = (id: string, kind: string, lat: number | null): AlertRow =>
  rowFromChanged({ alert_id: id, kind, status: "new", priority: kind === "gunshot" ? 1 : 3, title: id, occurred_at: "x",
    lat, lon: lat === null ? null : 24.9, sources: [] }) as AlertRow;

describe("alert map features", () => {
  it("places alerts with a location and marks gunshots", () => {
    const features = deskAlertFeatures([alert("g", "gunshot", 60.1), alert("s", "sensor", 60.2), alert("n", "cap", null)]).features;
    expect(features.map((f) => f.properties?.["id"])).toEqual(["g", "s"]);
    expect(features[0]?.geometry.coordinates).toEqual([24.9, 60.1]);
    expect(features[0]?.properties).toMatchObject({ gunshot: true, kind: "gunshot", priority: 1 });
    expect(features[1]?.properties).toMatchObject({ gunshot: false });
  });
});

describe("geofences", () => {
  it("reads the list defensively and skips shapes that are not polygons", () => {
    const fences = readGeofences([
      { id: "school", name: "School zone", kind: "school", polygon: [[60.1, 24.9], [60.1, 25.0], [60.2, 25.0]], active: true },
      { id: "line", name: "Too few", polygon: [[60.1, 24.9], [60.2, 25.0]] },
      { name: "no id", polygon: [[1, 2], [3, 4], [5, 6]] },
      { id: "off", polygon: [[1, 2], [3, 4], [5, 6]], active: false },
    ]);
    expect(fences.map((f) => [f.id, f.name, f.active])).toEqual([["school", "School zone", true], ["off", "off", false]]);
    expect(readGeofences({ geofences: [] })).toEqual([]);
    expect(readGeofences("nope")).toEqual([]);
  });

  it("draws [lat, lon] corners as closed [lon, lat] rings", () => {
    const [school] = geofenceFeatures(readGeofences([{ id: "s", name: "S", polygon: [[60.1, 24.9], [60.1, 25.0], [60.2, 25.0]] }])).features;
    expect(school?.geometry.coordinates[0]).toEqual([[24.9, 60.1], [25.0, 60.1], [25.0, 60.2], [24.9, 60.1]]);
    const closed = geofenceFeatures(readGeofences([{ id: "c", polygon: [[1, 2], [3, 4], [5, 6], [1, 2]] }])).features[0];
    expect(closed?.geometry.coordinates[0]).toHaveLength(4);
  });
});
