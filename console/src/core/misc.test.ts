import { describe, expect, it } from "vitest";
import { pushBounded } from "./metrics";
import { readFlag, writeFlag } from "./preferences";
import { chronological, describeTimelineEntry, statusWord } from "./timeline";

describe("bounded metrics", () => {
  it("keeps only the newest entries", () => {
    const items: number[] = [];
    for (let i = 0; i < 1005; i += 1) pushBounded(items, i);
    expect(items).toHaveLength(1000);
    expect(items[0]).toBe(5);
    expect(items[999]).toBe(1004);
    expect(pushBounded([1, 2, 3], 4, 2)).toEqual([3, 4]);
  });
});

describe("preferences", () => {
  it("round-trips a flag and falls back when unset or unreadable", () => {
    const data = new Map<string, string>();
    const store = { getItem: (k: string) => data.get(k) ?? null, setItem: (k: string, v: string) => void data.set(k, v) };
    expect(readFlag("sound", false, store)).toBe(false);
    writeFlag("sound", true, store);
    expect(readFlag("sound", false, store)).toBe(true);
    writeFlag("sound", false, store);
    expect(readFlag("sound", true, store)).toBe(false);
    expect(readFlag("x", true, null)).toBe(true);
  });
});

describe("timeline", () => {
  const entry = (kind: string, details: Record<string, unknown> = {}, at = "2026-01-01T10:00:00Z") => ({ at, kind, actor: "RT3 (kim)", details });

  it("describes each kind of entry in plain words", () => {
    expect(describeTimelineEntry(entry("incident.created"))).toBe("Call received from CAD");
    expect(describeTimelineEntry(entry("status.changed", { from: "received", to: "en_route" }))).toBe("Status received → en route");
    expect(describeTimelineEntry(entry("unit.status.changed", { unit: "1A12", from: null, to: "on_scene" }))).toBe("Unit 1A12 on scene");
    expect(describeTimelineEntry(entry("note.added", { origin: "intel" }))).toBe("Intel note added");
    expect(describeTimelineEntry(entry("note.added", { origin: "cad" }))).toBe("CAD note added");
    expect(describeTimelineEntry(entry("claimed", { previous: "RT5" }))).toBe("Claimed (taken over from RT5)");
    expect(describeTimelineEntry(entry("released"))).toBe("Released");
    expect(describeTimelineEntry(entry("camera.viewed"))).toBe("camera viewed");
    expect(statusWord(null)).toBe("—");
  });

  it("orders entries oldest first", () => {
    const later = entry("released", {}, "2026-01-01T10:05:00Z");
    const earlier = entry("claimed", {}, "2026-01-01T10:01:00Z");
    expect(chronological([later, earlier]).map((e) => e.kind)).toEqual(["claimed", "released"]);
    const status = entry("status.changed", {}, "2026-01-01T10:00:00Z");
    const created = entry("incident.created", {}, "2026-01-01T10:00:00Z");
    expect(chronological([status, created]).map((e) => e.kind)).toEqual(["incident.created", "status.changed"]);
  });
});
