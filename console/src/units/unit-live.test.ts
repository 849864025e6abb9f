import { describe, expect, it } from "vitest";
import { parseLiveMessage } from "../live/messages";

describe("the live unit message", () => {
  it("carries the changed UnitOut", () => {
    const text = JSON.stringify({ type: "unit", seq: 4, kind: "unit.changed", unit: { code: "1A10" }, sent_at_ms: 5 });
    expect(parseLiveMessage(text)).toEqual({ type: "unit", seq: 4, kind: "unit.changed", unit: { code: "1A10" }, sent_at_ms: 5 });
    expect(parseLiveMessage(JSON.stringify({ type: "unit", seq: 4, unit: "x" }))).toBeNull();
  });
});
