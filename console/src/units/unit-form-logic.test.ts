import { describe, expect, it } from "vitest";
import { formProblemsFrom } from "../cameras/camera-form-logic";
import { FORM_FIELDS } from "./unit-form";
import { tagsOf, unitBody, valuesOf } from "./unit-form-logic";
import type { UnitRow } from "./unit-model";

const UNIT: UnitRow = {
  code: "2A14", name: "Adam 14", kind: "patrol", agency: "HPD", status: "on_scene", incidentId: "inc-1",
  lat: 60.17, lon: 24.94, heading: 90, speedMps: 3, positionAt: "2026-11-21T13:59:00Z", stale: false,
  crew: ["Ofc. Virtanen", "Ofc. Laine"], capabilities: ["K9"],
};

const made = (values: ReturnType<typeof valuesOf>, creating: boolean): Record<string, unknown> => {
  const result = unitBody(values, creating);
  if (!("body" in result)) throw new Error(`refused: ${JSON.stringify(result.problems)}`);
  return result.body as Record<string, unknown>;
};

describe("the unit form", () => {
  it("prefills from the unit, leaving a name that is only the code empty", () => {
    expect(valuesOf(UNIT)).toEqual({ code: "2A14", name: "Adam 14", kind: "patrol", agency: "HPD",
      crew: "Ofc. Virtanen, Ofc. Laine", capabilities: "K9" });
    expect(valuesOf({ ...UNIT, name: "2A14" }).name).toBe("");
    expect(valuesOf(null)).toMatchObject({ code: "", kind: "patrol", crew: "" });
  });

  it("creates with the code, trimmed tags and nulls for what is left empty", () => {
    const values = { ...valuesOf(null), code: " 3B2 ", kind: "ems", crew: " Medic Aho ,, Medic Berg, ", capabilities: "" };
    expect(made(values, true)).toEqual({ code: "3B2", name: null, kind: "ems", agency: null,
      crew: ["Medic Aho", "Medic Berg"], capabilities: [] });
  });

  it("edits without the code, keeps the name when emptied and clears crew, capabilities and agency", () => {
    const body = made({ ...valuesOf(UNIT), name: " ", agency: "", crew: "", capabilities: "K9, drone pilot" }, false);
    expect(body).toEqual({ kind: "patrol", agency: null, crew: [], capabilities: ["K9", "drone pilot"] });
    expect(made({ ...valuesOf(UNIT), name: "Adam 14 (night)" }, false)["name"]).toBe("Adam 14 (night)");
  });

  it("refuses what the server would, naming the field", () => {
    expect(unitBody(valuesOf(null), true)).toEqual({ problems: { code: "Give the unit a code." } });
    const bad = unitBody({ ...valuesOf(null), code: "-2A", name: "n".repeat(201), agency: "a".repeat(101),
      crew: Array.from({ length: 21 }, (_, i) => `Ofc. ${i}`).join(","), capabilities: `K9, ${"x".repeat(101)}` }, true);
    if (!("problems" in bad)) throw new Error("accepted");
    expect(Object.keys(bad.problems).sort()).toEqual(["agency", "capabilities", "code", "crew", "name"]);
    expect(bad.problems["crew"]).toBe("At most 20 crew members (21 now).");
    expect(bad.problems["capabilities"]).toMatch(/^Each at most 100 characters/);
    expect(unitBody({ ...valuesOf(null), code: "2A 14" }, true)).toMatchObject({ problems: { code: expect.stringMatching(/^Letters, digits/) } });
    expect(unitBody({ ...valuesOf(null), code: "x".repeat(65) }, true)).toEqual({ problems: { code: "At most 64 characters." } });
  });

  it("counts characters as the server does (code points)", () => {
    const hundredEmoji = "🚓".repeat(100);
    expect(hundredEmoji.length).toBe(200);
    expect(made({ ...valuesOf(null), code: "U1", agency: hundredEmoji }, true)["agency"]).toBe(hundredEmoji);
  });

  it("accepts the largest crew and capability lists the server takes", () => {
    const crew = Array.from({ length: 20 }, (_, i) => `Ofc. ${i}`).join(", ");
    const capabilities = Array.from({ length: 50 }, (_, i) => `skill ${i}`).join(", ");
    const body = made({ ...valuesOf(null), code: "U1", crew, capabilities }, true);
    expect([(body["crew"] as string[]).length, (body["capabilities"] as string[]).length]).toEqual([20, 50]);
  });

  it("splits tags on commas only", () => {
    expect(tagsOf("Ofc. Virtanen; night, K9 ")).toEqual(["Ofc. Virtanen; night", "K9"]);
  });

  it("puts the server's problems beside the unit's fields", () => {
    expect(formProblemsFrom([
      { pointer: "/crew/3", reason: "String should have at most 100 characters" },
      { pointer: "/kind", reason: "Input should be 'patrol'" },
      { pointer: "", reason: "bad unit" },
    ], FORM_FIELDS)).toEqual({ crew: "String should have at most 100 characters", kind: "Input should be 'patrol'", form: "bad unit" });
  });
});
