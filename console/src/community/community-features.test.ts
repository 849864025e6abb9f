import { describe, expect, it } from "vitest";
import { communityFeatures, communityLayers, COMMUNITY_LAYER_IDS } from "./community-features";
import type { CommunityCameraRow } from "./community-model";
import { boxAround, contains } from "./viewport-box";

function camera(id: string, change: Partial<CommunityCameraRow> = {}): CommunityCameraRow {
  return { id, siteId: "s1", label: `Cam ${id}`, lat: 60.17, lon: 24.94, bearing: null, fovAngle: null, rangeM: null, covers: ["street"],
    retentionDays: 7, siteKind: "residence", siteName: null, accepts: ["other"], ...change };
}

describe("the community cameras layer", () => {
  it("draws a dot per camera and a wedge only where the owner gave a direction", () => {
    const features = communityFeatures([camera("a"), camera("b", { bearing: 90, fovAngle: 60, rangeM: 25, siteKind: "business",
      siteName: "Kiosk" })], new Set(["b"])).features;
    const wedges = features.filter((f) => f.properties?.["part"] === "wedge");
    const dots = features.filter((f) => f.properties?.["part"] === "camera");
    expect(wedges.map((f) => f.properties?.["id"])).toEqual(["b"]);
    expect(wedges[0]?.properties?.["picked"]).toBe(true);
    expect(dots).toHaveLength(2);
    expect(dots[0]?.properties).toMatchObject({ id: "a", owner: "Residence", business: false, picked: false, covers: "street" });
    expect(dots[1]?.properties).toMatchObject({ owner: "Kiosk", business: true, picked: true });
    expect(features.indexOf(wedges[0]!)).toBeLessThan(features.indexOf(dots[0]!));
  });

  it("has a layer for every id it toggles", () => {
    expect(communityLayers("overlay-community", 1).map((l) => l.id)).toEqual([...COMMUNITY_LAYER_IDS]);
  });

  it("reads a box with a margin and asks again only when the view leaves it", () => {
    const view = { west: 24.9, south: 60.1, east: 25.0, north: 60.2 };
    const box = boxAround(view);
    expect(box).toEqual({ west: 24.85, south: 60.05, east: 25.05, north: 60.25 });
    expect(contains(box, { west: 24.92, south: 60.12, east: 25.02, north: 60.22 })).toBe(true);
    expect(contains(box, { west: 24.8, south: 60.1, east: 24.9, north: 60.2 })).toBe(false);
    expect(boxAround({ west: -179.9, south: -89.9, east: 179.9, north: 89.9 })).toEqual({ west: -180, south: -90, east: 180, north: 90 });
  });
});
