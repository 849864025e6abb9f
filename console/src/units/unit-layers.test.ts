import { describe, expect, it } from "vitest";
import { arrowImage, unitLayers, UNIT_LAYER_IDS } from "./unit-layers";

describe("unit layers", () => {
  it("draws an arrow pointing up: its tip at the top centre, nothing below the head", () => {
    const { width, height, data } = arrowImage(32);
    expect([width, height, data.length]).toEqual([32, 32, 32 * 32 * 4]);
    const alpha = (x: number, y: number): number => data[(y * 32 + x) * 4 + 3] ?? -1;
    expect(alpha(16, 1)).toBe(255);
    expect(alpha(2, 1)).toBe(0);
    expect(alpha(16, 13)).toBe(255);
    expect(alpha(16, 30)).toBe(0);
  });

  it("rotates the arrow with the heading and dashes stale trails", () => {
    const layers = unitLayers("overlay-units", 1);
    expect(layers.map((l) => l.id)).toEqual([...UNIT_LAYER_IDS]);
    const heading = layers.find((l) => l.id === "units-heading");
    expect(heading?.type === "symbol" && heading.layout?.["icon-rotate"]).toEqual(["get", "heading"]);
    const stale = layers.find((l) => l.id === "units-trail-stale");
    expect(stale?.type === "line" && stale.paint?.["line-dasharray"]).toEqual([2, 2]);
  });
});
