import { describe, expect, it } from "vitest";
import { compareByPolicy, isNewP1, priorityBand, priorityLabel, removeRow, sortByPolicy, stepSelection, upsertRow } from "./queue-order";

const row = (id: string, priority: number | null, receivedAt: string) => ({ id, priority, received_at: receivedAt });

describe("queue policy order", () => {
  it("puts P1 first, then P2, then P3-5 and unknown, oldest first in each band", () => {
    const rows = [
      row("p3-old", 3, "2026-01-01T10:00:00Z"),
      row("p2-new", 2, "2026-01-01T10:05:00Z"),
      row("unknown", null, "2026-01-01T09:00:00Z"),
      row("p1-new", 1, "2026-01-01T10:10:00Z"),
      row("p2-old", 2, "2026-01-01T10:01:00Z"),
      row("p1-old", 1, "2026-01-01T10:02:00Z"),
      row("p5", 5, "2026-01-01T09:30:00Z"),
    ];
    expect(sortByPolicy(rows).map((r) => r.id)).toEqual(["p1-old", "p1-new", "p2-old", "p2-new", "unknown", "p5", "p3-old"]);
  });

  it("keeps the server's order for ties (stable sort)", () => {
    const at = "2026-01-01T10:00:00Z";
    expect(sortByPolicy([row("b", 2, at), row("a", 2, at)]).map((r) => r.id)).toEqual(["b", "a"]);
    expect(compareByPolicy(row("x", 1, at), row("y", 1, at))).toBe(0);
  });

  it("upserts a live row into its place and replaces an existing one", () => {
    const start = [row("a", 1, "2026-01-01T10:00:00Z"), row("b", 3, "2026-01-01T09:00:00Z")];
    const added = upsertRow(start, row("c", 2, "2026-01-01T11:00:00Z"));
    expect(added.map((r) => r.id)).toEqual(["a", "c", "b"]);
    const upgraded = upsertRow(added, row("b", 1, "2026-01-01T09:00:00Z"));
    expect(upgraded.map((r) => r.id)).toEqual(["b", "a", "c"]);
    expect(upgraded).toHaveLength(3);
    expect(start).toHaveLength(2); // inputs are not mutated
  });

  it("removes a row that is no longer open", () => {
    const rows = [row("a", 1, "2026-01-01T10:00:00Z"), row("b", 2, "2026-01-01T10:00:00Z")];
    expect(removeRow(rows, "a").map((r) => r.id)).toEqual(["b"]);
    expect(removeRow(rows, "zzz")).toHaveLength(2);
  });

  it("names bands and labels", () => {
    expect([priorityBand(1), priorityBand(2), priorityBand(3), priorityBand(null)]).toEqual(["p1", "p2", "low", "low"]);
    expect([priorityLabel(1), priorityLabel(4), priorityLabel(null)]).toEqual(["P1", "P4", "P?"]);
  });
});

describe("queue selection", () => {
  const ids = ["a", "b", "c"];
  it("starts at the top, moves one step and stops at the ends", () => {
    expect(stepSelection(ids, null, 1)).toBe("a");
    expect(stepSelection(ids, "a", 1)).toBe("b");
    expect(stepSelection(ids, "c", 1)).toBe("c");
    expect(stepSelection(ids, "a", -1)).toBe("a");
    expect(stepSelection(ids, "gone", -1)).toBe("a");
    expect(stepSelection([], null, 1)).toBeNull();
  });
});

describe("new P1 detection", () => {
  const p1 = row("x", 1, "2026-01-01T10:00:00Z");
  it("fires for a P1 not in the queue, or one upgraded to P1", () => {
    expect(isNewP1(undefined, p1)).toBe(true);
    expect(isNewP1({ ...p1, priority: 2 }, p1)).toBe(true);
  });
  it("stays quiet for updates to a known P1, other priorities and removals", () => {
    expect(isNewP1(p1, p1)).toBe(false);
    expect(isNewP1(undefined, { ...p1, priority: 2 })).toBe(false);
    expect(isNewP1(p1, null)).toBe(false);
  });
});
