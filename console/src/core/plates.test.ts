import { describe, expect, it } from "vitest";
import { checkPlatePattern, compass, markSubstitutions, newestFirst, percent, severityLabel, severityRank, words } from "./plates";

describe("plate search patterns", () => {
  it("reads exact, prefix, wildcard and any the way the server does", () => {
    expect(checkPlatePattern("abc123")).toMatchObject({ ok: true, normalized: "ABC123", kind: "exact" });
    expect(checkPlatePattern("ABC*")).toMatchObject({ ok: true, normalized: "ABC*", kind: "prefix" });
    expect(checkPlatePattern("*12*")).toMatchObject({ ok: true, normalized: "*12*", kind: "wildcard" });
    expect(checkPlatePattern("A?C123")).toMatchObject({ ok: true, normalized: "A?C123", kind: "wildcard" });
    expect(checkPlatePattern("AB?*")).toMatchObject({ ok: true, kind: "wildcard" });
    expect(checkPlatePattern("***")).toMatchObject({ ok: true, normalized: "*", kind: "any" });
  });

  it("explains what a pattern will find", () => {
    expect(checkPlatePattern("ABC*").explanation).toBe("Plates starting with ABC.");
    expect(checkPlatePattern("ABC123").explanation).toBe("Exactly ABC123.");
    expect(checkPlatePattern("A?C1").explanation).toContain("? for exactly one");
  });

  it("lets spaces and dashes through as the server drops them, and allows no plate at all", () => {
    expect(checkPlatePattern(" abc-12 3 ")).toMatchObject({ ok: true, normalized: "ABC123" });
    expect(checkPlatePattern("")).toMatchObject({ ok: true, normalized: "", kind: null });
  });

  it("refuses other characters, naming them, and over-long patterns", () => {
    const odd = checkPlatePattern("AB%12_");
    expect(odd.ok).toBe(false);
    expect(odd.explanation).toContain('"%"');
    expect(odd.explanation).toContain('"_"');
    expect(checkPlatePattern("-").ok).toBe(false);
    expect(checkPlatePattern("A".repeat(33)).ok).toBe(false);
    expect(checkPlatePattern("A".repeat(32)).ok).toBe(true);
  });
});

describe("misread highlighting", () => {
  it("marks the characters where the read differs from the entry", () => {
    expect(markSubstitutions("ABC128", "ABC123").map((c) => c.substituted)).toEqual([false, false, false, false, false, true]);
    expect(markSubstitutions("8BC123", "BBC123")[0]).toEqual({ char: "8", substituted: true });
    expect(markSubstitutions("ABC123", "ABC123").some((c) => c.substituted)).toBe(false);
  });
});

describe("alert order and words", () => {
  it("puts the newest alert first with a stable tie-break", () => {
    const alerts = [
      { id: "a", raised_at: "2026-11-21T14:00:00Z" },
      { id: "c", raised_at: "2026-11-21T14:05:00Z" },
      { id: "b", raised_at: "2026-11-21T14:05:00Z" },
    ];
    expect(newestFirst(alerts).map((a) => a.id)).toEqual(["c", "b", "a"]);
  });

  it("ranks and labels severities", () => {
    expect(["low", "high", "medium"].sort((a, b) => severityRank(a) - severityRank(b))).toEqual(["high", "medium", "low"]);
    expect(severityLabel("medium")).toBe("MED");
    expect(severityLabel("high")).toBe("HIGH");
  });

  it("formats codes, fractions and headings", () => {
    expect(words("stolen_vehicle")).toBe("stolen vehicle");
    expect(words(null)).toBe("—");
    expect(percent(0.874)).toBe("87%");
    expect(percent(null)).toBe("—");
    expect(compass(0)).toBe("N (0°)");
    expect(compass(225)).toBe("SW (225°)");
    expect(compass(-90)).toBe("W (270°)");
    expect(compass(null)).toBe("—");
  });
});
