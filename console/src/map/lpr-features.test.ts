import { describe, expect, it } from "vitest";
import { alertFeatures, circleRing, headingEnd, HEADING_LINE_M, readerFeatures, searchFeatures } from "./lpr-features";

describe("heading lines", () => {
  it("points north, east, south and west by the heading", () => {
    const [lonN, latN] = headingEnd(60, 25, 0, 1000);
    expect(lonN).toBeCloseTo(25, 9);
    expect(latN).toBeGreaterThan(60);
    const [lonE, latE] = headingEnd(60, 25, 90, 1000);
    expect(latE).toBeCloseTo(60, 9);
    expect(lonE).toBeGreaterThan(25);
    // At 60° north a degree of longitude is half as long: 1 km east is about twice the degrees of 1 km north.
    expect((lonE - 25) / (latN - 60)).toBeCloseTo(2, 2);
    expect(headingEnd(60, 25, 180, 1000)[1]).toBeLessThan(60);
    expect(headingEnd(60, 25, 270, 1000)[0]).toBeLessThan(25);
  });

  it("draws a reader as a dot and a heading line, and leaves unplaced readers off", () => {
    const fc = readerFeatures([
      { code: "R1", name: "Main St", active: true, lat: 60, lon: 25, heading: 90 },
      { code: "R2", name: "Mobile", active: true, lat: null, lon: null, heading: null },
      { code: "R3", name: "No heading", active: false, lat: 60.1, lon: 25.1, heading: null },
    ]);
    expect(fc.features.map((f) => f.geometry.type)).toEqual(["Point", "LineString", "Point"]);
    const lineFeature = fc.features[1];
    if (lineFeature?.geometry.type !== "LineString") throw new Error("no heading line");
    const [from, to] = lineFeature.geometry.coordinates;
    expect(from).toEqual([25, 60]);
    expect(to?.[0]).toBeGreaterThan(25);
    expect(lineFeature.properties?.["id"]).toBe("R1");
    expect(HEADING_LINE_M).toBeGreaterThan(0);
  });

  it("carries an alert's severity for its colour", () => {
    const fc = alertFeatures([{ id: "a1", severity: "high", plate_read: "ABC123", lat: 60, lon: 25, heading: null }]);
    expect(fc.features).toHaveLength(1);
    expect(fc.features[0]?.properties).toMatchObject({ id: "a1", severity: "high", title: "ABC123" });
  });

  it("draws search hits and the searched circle", () => {
    const fc = searchFeatures([{ id: 1, plate: "ABC123", hit: true, lat: 60, lon: 25, heading: 0 }], { lat: 60, lon: 25, radius_m: 500 });
    expect(fc.features.map((f) => f.geometry.type)).toEqual(["Point", "LineString"]);
    const ring = circleRing(60, 25, 500, 8);
    expect(ring).toHaveLength(9);
    expect(ring[0]?.[0]).toBeCloseTo(ring[8]?.[0] ?? NaN, 9);
  });
});
