import { describe, expect, it } from "vitest";
import { UnitStore } from "./unit-store";

const NOW = Date.parse("2026-11-21T14:00:00Z");
const UNITS = [
  { code: "A", status: "available", lat: 60.17, lon: 24.95, position_at: "2026-11-21T13:59:00Z" },
  { code: "B", status: "en_route", lat: 60.18, lon: 24.96, position_at: "2026-11-21T10:00:00Z", stale: true },
];

describe("unit store", () => {
  it("loads units and the trails of recent ones, then extends them from live messages", async () => {
    const asked: string[] = [];
    const fetch = async (path: string, query?: Record<string, string>): Promise<unknown> => {
      asked.push(`${path}${query ? `?minutes=${query["minutes"]}` : ""}`);
      if (path === "/api/units") return UNITS;
      return [{ lat: 60.16, lon: 24.95, at: "2026-11-21T13:55:00Z" }, { lat: 60.17, lon: 24.95, at: "2026-11-21T13:59:00Z" }];
    };
    const store = new UnitStore(fetch, () => NOW);
    let changes = 0;
    store.subscribe(() => (changes += 1));
    await store.load();
    expect(asked).toEqual(["/api/units", "/api/units/A/trail?minutes=15"]);
    expect(store.units.map((u) => u.code)).toEqual(["A", "B"]);
    expect(store.trails.get("A")).toHaveLength(2);
    expect(store.trails.has("B")).toBe(false);
    store.applyLive({ ...UNITS[0], lat: 60.175, position_at: "2026-11-21T13:59:40Z", status: "dispatched" });
    expect(store.get("A")?.status).toBe("dispatched");
    expect(store.trails.get("A")?.map((p) => p.lat)).toEqual([60.16, 60.17, 60.175]);
    expect(store.applyLive({ nonsense: true })).toBeNull();
    expect(changes).toBeGreaterThanOrEqual(3);
  });

  it("names the problem when the roster cannot be read", async () => {
    const store = new UnitStore(async () => {
      throw new Error("down");
    }, () => NOW);
    await store.load();
    expect(store.hasLoaded).toBe(true);
    expect(store.problem).toBeTruthy();
    expect(store.units).toEqual([]);
  });
});
