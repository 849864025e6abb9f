import { describe, expect, it } from "vitest";
import { readConsoleConfig } from "./config";
import { incidentHash, incidentIdFromHash, isWallLocation } from "./view-support";

describe("routes", () => {
  it("opens the wall at /wall or #/wall", () => {
    expect(isWallLocation("/wall", "")).toBe(true);
    expect(isWallLocation("/wall/", "")).toBe(true);
    expect(isWallLocation("/", "#/wall")).toBe(true);
    expect(isWallLocation("/", "")).toBe(false);
    expect(isWallLocation("/", "#/incident/abc")).toBe(false);
  });
  it("round-trips an incident id through the hash", () => {
    expect(incidentIdFromHash(incidentHash("a b/c"))).toBe("a b/c");
    expect(incidentIdFromHash("#/incident/123")).toBe("123");
    expect(incidentIdFromHash("#/wall")).toBeNull();
    expect(incidentHash(null)).toBe("");
  });
});

describe("console config", () => {
  it("reads the config and defaults what is missing", () => {
    const config = readConsoleConfig({
      idle_lock_minutes: 15, server_time: "2026-01-01T00:00:00Z", demo_mode: true, version: "0.3",
      user: { username: "kim", role: "operator", designator: "RT3" },
    }, "client");
    expect(config).toEqual({ idleLockMinutes: 15, serverTime: "2026-01-01T00:00:00Z", demoMode: true, version: "0.3",
      user: { username: "kim", role: "operator", designator: "RT3" } });
    const fallback = readConsoleConfig({ idle_lock_minutes: 0 }, "client");
    expect(fallback.idleLockMinutes).toBe(30);
    expect(fallback.serverTime).toBe("client");
    expect(fallback.user.designator).toBeNull();
  });
});
