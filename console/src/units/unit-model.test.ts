import { describe, expect, it } from "vitest";
import { ageLabel, extendTrail, isStale, positionAge, readTrail, readUnit, statusColor, STALE_AFTER_S, trimTrail } from "./unit-model";

const NOW = Date.parse("2026-11-21T14:00:00Z");
const unitOut = {
  code: "1A10", name: "Adam 10", kind: "patrol", agency: "hpd", status: "en_route", status_at: "2026-11-21T13:50:00Z",
  incident_id: "inc-1", lat: 60.17, lon: 24.95, heading: 270, speed_mps: 12.5, position_at: "2026-11-21T13:59:30Z",
  stale: false, crew: ["Ortiz", 7], capabilities: ["k9"],
};

describe("unit model", () => {
  it("reads a UnitOut defensively", () => {
    const unit = readUnit(unitOut);
    expect(unit).toMatchObject({ code: "1A10", status: "en_route", heading: 270, incidentId: "inc-1", crew: ["Ortiz"], capabilities: ["k9"] });
    expect(readUnit({ name: "no code" })).toBeNull();
    expect(readUnit([1])).toBeNull();
    expect(readUnit({ code: "X" })).toMatchObject({ name: "X", kind: "unknown", status: "unknown", lat: null, heading: null });
  });

  it("ages positions on the server's clock and marks them stale past the limit", () => {
    const unit = readUnit(unitOut)!;
    expect(positionAge(unit, NOW)).toBe(30);
    expect(positionAge(unit, NOW, 60_000)).toBe(90);
    expect(isStale(unit, NOW)).toBe(false);
    expect(isStale(unit, NOW + STALE_AFTER_S * 1000)).toBe(true);
    expect(isStale({ ...unit, stale: true }, NOW)).toBe(true);
    expect(isStale({ ...unit, positionAt: null }, NOW)).toBe(true);
    expect(ageLabel(42)).toBe("42s");
    expect(ageLabel(7 * 60 + 3)).toBe("7m");
    expect(ageLabel(3 * 3600 + 5 * 60)).toBe("3h 05m");
    expect(ageLabel(2 * 86400 + 1)).toBe("2d");
    expect(ageLabel(null)).toBe("no position");
  });

  it("colours by status, unknown statuses neutral", () => {
    expect(statusColor("available")).toBe("#3ccf6e");
    expect(statusColor("on_scene")).not.toBe(statusColor("available"));
    expect(statusColor("napping")).toBe(statusColor("unknown"));
  });

  it("extends a trail only forward in time and keeps the window", () => {
    const trail = readTrail([
      { lat: 60.1, lon: 24.9, at: "2026-11-21T13:40:00Z", heading: null, speed_mps: null, source: "feed" },
      { lat: 60.2, lon: 24.9, at: "2026-11-21T13:55:00Z" },
      { lat: "x", lon: 24.9, at: "2026-11-21T13:56:00Z" },
    ]);
    expect(trail).toHaveLength(2);
    expect(trimTrail(trail, NOW, 15)).toEqual([trail[1]]);
    const later = extendTrail(trail, { lat: 60.3, lon: 24.9, at: "2026-11-21T13:59:00Z" }, NOW, 15);
    expect(later.map((p) => p.lat)).toEqual([60.2, 60.3]);
    const older = extendTrail(later, { lat: 60.0, lon: 24.9, at: "2026-11-21T13:50:00Z" }, NOW, 15);
    expect(older).toEqual(later);
  });
});
