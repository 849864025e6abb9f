import { describe, expect, it } from "vitest";
import { formatPrecision, precisionBand, worstFirst } from "./precision";

const row = (name: string, hits: number, confirmed: number, precision: number | null) => ({ key: name, name, hits, confirmed, precision });

describe("precision", () => {
  it("shows the worst reader or list first, undecided ones last", () => {
    const rows = [row("good", 10, 9, 0.9), row("none", 0, 0, null), row("bad", 4, 1, 0.25), row("bad-busy", 40, 10, 0.25)];
    expect(worstFirst(rows).map((r) => r.name)).toEqual(["bad-busy", "bad", "good", "none"]);
  });

  it("formats percentages for a glance", () => {
    expect(formatPrecision(0.5)).toBe("50.0 %");
    expect(formatPrecision(1)).toBe("100 %");
    expect(formatPrecision(0)).toBe("0 %");
    expect(formatPrecision(2 / 3)).toBe("66.7 %");
    expect(formatPrecision(null)).toBe("—");
  });

  it("bands precision for colour", () => {
    expect(precisionBand(0.2)).toBe("poor");
    expect(precisionBand(0.6)).toBe("fair");
    expect(precisionBand(0.95)).toBe("good");
    expect(precisionBand(null)).toBe("none");
  });
});
