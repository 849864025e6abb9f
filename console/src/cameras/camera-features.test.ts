import { describe, expect, it } from "vitest";
import { cameraOverlay, cameraPosition, wedgeCameras, wedgeRing, type CameraGeo } from "./camera-features";
import { HealthBook, readHealth } from "./camera-health";

const METRES_PER_DEGREE = 111_320;

function camera(code: string, extra: Partial<CameraGeo> = {}): CameraGeo {
  return { code, name: code, lat: 60.17, lon: 24.94, bearing: 90, fov_angle: 60, fov_range_m: 100, ptz: false,
    ptz_range_m: null, mobile: false, last_lat: null, last_lon: null, status: "active", ...extra };
}

function metresFrom(lat: number, lon: number, [pLon, pLat]: [number, number]): number {
  const east = (pLon - lon) * METRES_PER_DEGREE * Math.cos((lat * Math.PI) / 180);
  const north = (pLat - lat) * METRES_PER_DEGREE;
  return Math.hypot(east, north);
}

function bearingTo(lat: number, lon: number, [pLon, pLat]: [number, number]): number {
  const east = (pLon - lon) * Math.cos((lat * Math.PI) / 180);
  return ((Math.atan2(east, pLat - lat) * 180) / Math.PI + 360) % 360;
}

describe("view wedges", () => {
  it("opens from the camera across the field of view, out to the range", () => {
    const ring = wedgeRing(60.17, 24.94, 90, 60, 100, 4);
    expect(ring).toHaveLength(7);
    expect(ring[0]).toEqual([24.94, 60.17]);
    expect(ring.at(-1)).toEqual([24.94, 60.17]);
    const arc = ring.slice(1, -1);
    for (const p of arc) expect(metresFrom(60.17, 24.94, p)).toBeCloseTo(100, 0);
    expect(bearingTo(60.17, 24.94, arc[0]!)).toBeCloseTo(60, 1);
    expect(bearingTo(60.17, 24.94, arc[2]!)).toBeCloseTo(90, 1);
    expect(bearingTo(60.17, 24.94, arc.at(-1)!)).toBeCloseTo(120, 1);
  });

  it("wraps a field of view across north", () => {
    const arc = wedgeRing(60, 25, 350, 40, 50, 2).slice(1, -1);
    expect(bearingTo(60, 25, arc[0]!)).toBeCloseTo(330, 1);
    expect(bearingTo(60, 25, arc[2]!)).toBeCloseTo(10, 1);
  });

  it("draws a full circle for an all-round camera or one with no bearing, and 50 m when the range is unknown", () => {
    const ring = wedgeRing(60, 25, null, null, null, 8);
    expect(ring).toHaveLength(17);
    expect(ring[0]).toEqual(ring.at(-1));
    for (const p of ring) expect(metresFrom(60, 25, p)).toBeCloseTo(50, 0);
    expect(wedgeRing(60, 25, 90, 360, 80, 8)).toHaveLength(17);
  });

  it("places a mobile camera at its last reported position", () => {
    expect(cameraPosition(camera("M", { mobile: true, last_lat: 61, last_lon: 25 }))).toEqual({ lat: 61, lon: 25 });
    expect(cameraPosition(camera("M", { mobile: true }))).toBeNull();
  });
});

describe("the camera overlay", () => {
  const view = { west: 24.9, south: 60.1, east: 25, north: 60.2, zoom: 16 };

  it("colours each dot by health and draws PTZ reach under the wedge", () => {
    const health = new HealthBook();
    health.replaceAll([{ code: "A", status: "offline", problems: ["unreachable"], checked_at: "2026-11-21T14:00:00Z" }]);
    const fc = cameraOverlay([camera("A"), camera("B", { ptz: true, ptz_range_m: 300 })], (c) => health.status(c), view, new Set(), null);
    const points = fc.features.filter((f) => f.geometry.type === "Point");
    expect(points.map((f) => [f.properties?.["id"], f.properties?.["health"]])).toEqual([["A", "offline"], ["B", "unknown"]]);
    const parts = fc.features.filter((f) => f.geometry.type === "Polygon").map((f) => `${f.properties?.["id"]}:${f.properties?.["part"]}`);
    expect(parts).toEqual(["A:wedge", "B:ptz-reach", "B:wedge"]);
  });

  it("draws wedges on screen only when zoomed in, and always for the selected ones", () => {
    const cams = [camera("A"), camera("FAR", { lon: 26 }), camera("SEL", { lon: 27 })];
    const always = new Set(["SEL"]);
    expect(wedgeCameras(cams, view, always).map((c) => c.code)).toEqual(["SEL", "A"]);
    expect(wedgeCameras(cams, { ...view, zoom: 13 }, always).map((c) => c.code)).toEqual(["SEL"]);
    expect(wedgeCameras(cams, null, new Set()).map((c) => c.code)).toEqual([]);
  });

  it("leaves retired cameras and unplaced ones off", () => {
    const fc = cameraOverlay([camera("R", { status: "retired" }), camera("U", { lat: null })], () => "ok", null, new Set(), null);
    expect(fc.features).toHaveLength(0);
  });
});

describe("camera health", () => {
  it("reads rows and live messages defensively; anything unknown is unknown", () => {
    expect(readHealth({ code: "A", status: "degraded", problems: ["frozen", { kind: "moved", detail: "view shifted" }] }))
      .toEqual({ code: "A", status: "degraded", problems: ["frozen", "moved: view shifted"], checkedAt: null });
    expect(readHealth({ code: "A", status: "exploded" })?.status).toBe("unknown");
    expect(readHealth({ status: "ok" })).toBeNull();
  });

  it("tells whether a live change changed anything", () => {
    const book = new HealthBook();
    expect(book.status("A")).toBe("unknown");
    expect(book.apply({ code: "A", status: "ok", problems: [], checkedAt: null })).toBe(true);
    expect(book.apply({ code: "A", status: "ok", problems: [], checkedAt: null })).toBe(false);
    expect(book.apply({ code: "A", status: "offline", problems: ["no route"], checkedAt: null })).toBe(true);
    expect(book.of("A").problems).toEqual(["no route"]);
  });
});
