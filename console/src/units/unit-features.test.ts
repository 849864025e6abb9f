import { describe, expect, it } from "vitest";
import type { Point } from "geojson";
import { unitFeatures } from "./unit-features";
import { readUnit, STALE_COLOR, statusColor, type TrailPoint, type UnitRow } from "./unit-model";

const NOW = Date.parse("2026-11-21T14:00:00Z");

function unit(code: string, fields: Record<string, unknown> = {}): UnitRow {
  return readUnit({ code, status: "en_route", lat: 60.17, lon: 24.95, heading: 90, position_at: "2026-11-21T13:59:50Z", ...fields })!;
}

describe("unit features", () => {
  it("draws a dot per positioned unit with its status colour and heading", () => {
    const collection = unitFeatures([unit("A"), unit("B", { lat: null }), unit("C", { heading: null, status: "available" })], new Map(), NOW);
    const dots = collection.features.filter((f) => f.properties?.["part"] === "unit");
    expect(dots.map((f) => f.properties?.["id"])).toEqual(["A", "C"]);
    expect(dots[0]?.properties).toMatchObject({ color: statusColor("en_route"), heading: 90, hasHeading: true, stale: false, label: "A" });
    expect(dots[1]?.properties).toMatchObject({ color: statusColor("available"), hasHeading: false });
    expect((dots[0]?.geometry as Point).coordinates).toEqual([24.95, 60.17]);
  });

  it("greys a stale unit, labels it with its age and dashes its trail", () => {
    const trail: TrailPoint[] = [{ lat: 60.16, lon: 24.94, at: "2026-11-21T13:40:00Z" }];
    const old = unit("OLD", { position_at: "2026-11-21T13:48:00Z" });
    const collection = unitFeatures([old], new Map([["OLD", trail]]), NOW);
    const [line, dot] = collection.features;
    expect(dot?.properties).toMatchObject({ stale: true, color: STALE_COLOR, label: "OLD · 12m", age: 720 });
    expect(line?.properties).toMatchObject({ part: "trail", stale: true });
    expect(line?.geometry).toEqual({ type: "LineString", coordinates: [[24.94, 60.16], [24.95, 60.17]] });
  });
});

describe("a trail of one point", () => {
  it("is not drawn until the unit has moved from it", () => {
    const here: TrailPoint[] = [{ lat: 60.17, lon: 24.95, at: "2026-11-21T13:59:50Z" }];
    const collection = unitFeatures([unit("A")], new Map([["A", here]]), NOW);
    expect(collection.features.map((f) => f.properties?.["part"])).toEqual(["unit"]);
  });
});
