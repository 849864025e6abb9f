import { describe, expect, it } from "vitest";
import { checkReason, describeReason, reasonProblemsFrom } from "./reason";

describe("the viewing reason", () => {
  it("needs the incident number for an incident and the alert for an alert", () => {
    expect(checkReason({ kind: "incident", ref: "  ", note: "" })).toEqual({ problems: { ref: "Give the incident number." } });
    expect(checkReason({ kind: "alert", ref: "", note: "plate" })).toEqual({ problems: { ref: "Give the plate alert." } });
    expect(checkReason({ kind: "incident", ref: " 2026-0042 ", note: "" }))
      .toEqual({ reason: { kind: "incident", ref: "2026-0042", note: null } });
  });

  it("needs a note saying what is monitored for proactive monitoring", () => {
    expect(checkReason({ kind: "proactive", ref: "", note: "hm" })).toEqual({ problems: { note: "Say what you are monitoring and why." } });
    expect(checkReason({ kind: "proactive", ref: "", note: "Market square, Friday night crowd" }))
      .toEqual({ reason: { kind: "proactive", ref: null, note: "Market square, Friday night crowd" } });
  });

  it("refuses an unknown kind and over-long fields", () => {
    expect(checkReason({ kind: "curiosity", ref: "x", note: "" })).toEqual({ problems: { kind: "Choose why you are watching." } });
    const long = checkReason({ kind: "incident", ref: "x".repeat(101), note: "y".repeat(501) });
    expect(long).toEqual({ problems: { ref: "At most 100 characters.", note: "At most 500 characters." } });
  });

  it("puts the server's field problems next to the right field", () => {
    expect(reasonProblemsFrom([
      { pointer: "/reason/ref", reason: "unknown incident" },
      { pointer: "/reason", reason: "required" },
      { pointer: "/reason/note", reason: "too short" },
    ])).toEqual({ ref: "unknown incident", kind: "required", note: "too short" });
    expect(reasonProblemsFrom([{ pointer: "/reason", reason: "Value error, note: proactive monitoring needs a note of at least 5 characters" }]))
      .toEqual({ note: "Value error, note: proactive monitoring needs a note of at least 5 characters" });
  });

  it("describes a reason in one line", () => {
    expect(describeReason({ kind: "incident", ref: "2026-0042", note: null })).toBe("Incident 2026-0042");
    expect(describeReason({ kind: "proactive", ref: null, note: "market" })).toBe("Proactive monitoring: market");
  });
});
