import { describe, expect, it } from "vitest";
import { describeImport, formatListAge, importFraction, REASON_CODES, staleWarnings } from "./hotlist-status";
import { fromLocalInput, toLocalInput } from "./local-time";

const list = (name: string, stale: boolean, age: number | null, active = true) => ({ id: name.length, name, active, stale, age_minutes: age });

describe("hotlist freshness", () => {
  it("formats ages in minutes, hours and days", () => {
    expect(formatListAge(35.6)).toBe("35 min");
    expect(formatListAge(14 * 60 + 20)).toBe("14 h");
    expect(formatListAge(3 * 1440 + 5)).toBe("3 d");
    expect(formatListAge(null)).toBe("never refreshed");
  });

  it("warns of each active stale list, the oldest first", () => {
    const lists = [list("NCIC", true, 14 * 60), list("State", false, 30), list("Old", true, 3 * 1440), list("Off", true, 9999, false)];
    expect(staleWarnings(lists)).toEqual(["Old list stale 3 d", "NCIC list stale 14 h"]);
    expect(staleWarnings([list("New", true, null)])).toEqual(["New list never refreshed"]);
    expect(staleWarnings([list("NCIC", false, 10)])).toEqual([]);
  });

  it("tells import progress and outcome", () => {
    expect(importFraction({ status: "running", total_lines: 200, processed: 50 })).toBe(0.25);
    expect(importFraction({ status: "running", total_lines: null, processed: 50 })).toBeNull();
    expect(importFraction({ status: "succeeded", total_lines: 200, processed: 200 })).toBe(1);
    const done = { status: "succeeded", total_lines: 10, processed: 10, accepted: 9, rejected: 1, message: null };
    expect(describeImport(done)).toBe("succeeded: 9 accepted, 1 rejected");
    expect(describeImport({ ...done, status: "failed", message: "bad header" })).toBe("failed: bad header");
    expect(describeImport({ ...done, status: "running", processed: 4 })).toBe("importing 4 / 10");
  });

  it("offers every reason code once", () => {
    expect(new Set(REASON_CODES).size).toBe(REASON_CODES.length);
    expect(REASON_CODES).toContain("stolen_vehicle");
    expect(REASON_CODES).toContain("bolo");
  });
});

describe("local time inputs", () => {
  it("round-trips a local wall-clock minute through an ISO instant", () => {
    const ms = Date.UTC(2026, 10, 21, 14, 7, 0);
    const local = toLocalInput(ms);
    expect(local).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/);
    expect(fromLocalInput(local)).toBe(new Date(ms).toISOString());
    expect(fromLocalInput("")).toBeNull();
    expect(fromLocalInput("yesterday")).toBeNull();
  });
});
