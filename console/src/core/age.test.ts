import { describe, expect, it } from "vitest";
import { ageSeconds, formatAge, formatClock, formatSince, serverOffsetMs } from "./age";

describe("formatAge", () => {
  it("shows m:ss under an hour", () => {
    expect(formatAge(0)).toBe("0:00");
    expect(formatAge(7)).toBe("0:07");
    expect(formatAge(245)).toBe("4:05");
    expect(formatAge(3599)).toBe("59:59");
  });
  it("shows h:mm:ss from an hour and days past a day", () => {
    expect(formatAge(3600)).toBe("1:00:00");
    expect(formatAge(3723)).toBe("1:02:03");
    expect(formatAge(2 * 86400 + 3 * 3600 + 59)).toBe("2d 03h");
  });
  it("never goes negative and drops fractions", () => {
    expect(formatAge(-5)).toBe("0:00");
    expect(formatAge(61.9)).toBe("1:01");
  });
});

describe("server-clock age", () => {
  it("measures the offset between the server's clock and ours", () => {
    expect(serverOffsetMs("2026-01-01T10:00:05Z", Date.parse("2026-01-01T10:00:00Z"))).toBe(5000);
    expect(serverOffsetMs("not a time", 123)).toBe(0);
  });
  it("counts the age by the server's clock", () => {
    const clientNow = Date.parse("2026-01-01T10:00:00Z");
    // The server is 30 s ahead of this workstation: a call received 10:00:10 server time is 20 s old.
    expect(ageSeconds("2026-01-01T10:00:10Z", clientNow, 30_000)).toBe(20);
    expect(ageSeconds("2026-01-01T10:05:00Z", clientNow, 0)).toBe(0);
    expect(ageSeconds("garbage", clientNow, 0)).toBe(0);
  });
});

describe("short formats", () => {
  it("formats the last-event age", () => {
    expect([formatSince(3), formatSince(125), formatSince(7300)]).toEqual(["3s", "2m", "2h"]);
  });
  it("shows only the time for today and the date otherwise", () => {
    const at = new Date(2026, 0, 2, 14, 3, 27);
    expect(formatClock(at.toISOString(), new Date(2026, 0, 2, 20, 0, 0).getTime())).toBe("14:03:27");
    expect(formatClock(at.toISOString(), new Date(2026, 0, 3, 1, 0, 0).getTime())).toBe("2026-01-02 14:03:27");
    expect(formatClock("nope", 0)).toBe("—");
  });
});
