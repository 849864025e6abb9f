import { describe, expect, it } from "vitest";
import { BACKOFF_MAX_MS, backoffCeilingMs, backoffDelayMs } from "./backoff";

describe("reconnect backoff", () => {
  it("doubles from 0.5 s and stops at 10 s", () => {
    expect([0, 1, 2, 3, 4, 5, 6, 50].map(backoffCeilingMs)).toEqual([500, 1000, 2000, 4000, 8000, 10_000, 10_000, 10_000]);
  });
  it("jitters between half the ceiling and the ceiling", () => {
    expect(backoffDelayMs(0, () => 0)).toBe(250);
    expect(backoffDelayMs(0, () => 0.999999)).toBe(500);
    expect(backoffDelayMs(3, () => 0.5)).toBe(3000);
    for (let attempt = 0; attempt < 30; attempt += 1) {
      const delay = backoffDelayMs(attempt);
      expect(delay).toBeGreaterThanOrEqual(backoffCeilingMs(attempt) / 2);
      expect(delay).toBeLessThanOrEqual(BACKOFF_MAX_MS);
    }
  });
  it("clamps a misbehaving random source", () => {
    expect(backoffDelayMs(1, () => 7)).toBe(1000);
    expect(backoffDelayMs(1, () => -3)).toBe(500);
  });
});
