import { describe, expect, it } from "vitest";
import { toLocalInput } from "./local-time";
import { attachmentName, searchRequest, trailsByPlate, type SearchForm } from "./search-form";

const start = Date.UTC(2026, 10, 20, 14, 0);
const form = (change: Partial<SearchForm> = {}): SearchForm => ({
  plate: "abc*", since: toLocalInput(start), until: toLocalInput(start + 86_400_000), area: null, readerCodes: [],
  make: "", model: "", colour: "", purpose: "stolen_vehicle", caseNumber: " 2026-0042 ", limit: 500, ...change,
});

describe("search form → request", () => {
  it("builds the body the API takes", () => {
    const { body, problems } = searchRequest(form({ area: { lat: 60.17, lon: 24.94, radius_m: 500 }, readerCodes: ["ALPR-1"], make: " Volvo ", colour: "" }));
    expect(problems).toEqual([]);
    expect(body).toEqual({
      plate: "ABC*", since: new Date(start).toISOString(), until: new Date(start + 86_400_000).toISOString(),
      area: { lat: 60.17, lon: 24.94, radius_m: 500 }, reader_codes: ["ALPR-1"], make: "Volvo", model: null, colour: null,
      purpose: "stolen_vehicle", case_number: "2026-0042", limit: 500,
    });
  });

  it("sends no plate filter for an empty pattern", () => {
    expect(searchRequest(form({ plate: "  " })).body?.plate).toBeNull();
  });

  it("requires a purpose and a case number, naming each", () => {
    const { body, problems } = searchRequest(form({ purpose: "", caseNumber: "  " }));
    expect(body).toBeNull();
    expect(problems.map((p) => p.field)).toEqual(["purpose", "caseNumber"]);
  });

  it("refuses a bad pattern, a backwards window and an impossible radius", () => {
    const { problems } = searchRequest(form({ plate: "AB%", since: toLocalInput(start + 86_400_000), until: toLocalInput(start),
      area: { lat: 60, lon: 24, radius_m: 0 } }));
    expect(problems.map((p) => p.field)).toEqual(["plate", "until", "area"]);
    expect(searchRequest(form({ since: "" })).problems.map((p) => p.field)).toEqual(["since"]);
  });
});

describe("where was this vehicle seen", () => {
  it("groups sightings per plate in time order, the plate seen last first", () => {
    const reads = [
      { id: 3, plate: "ABC123", captured_at: "2026-11-21T14:10:00Z" },
      { id: 1, plate: "ABC123", captured_at: "2026-11-21T13:00:00Z" },
      { id: 2, plate: "XYZ9", captured_at: "2026-11-21T14:30:00Z" },
      { id: 4, plate: "ABC123", captured_at: "2026-11-21T13:30:00Z" },
    ];
    const trails = trailsByPlate(reads);
    expect(trails.map((t) => t.plate)).toEqual(["XYZ9", "ABC123"]);
    expect(trails[1]?.sightings.map((s) => s.id)).toEqual([1, 4, 3]);
    expect(trailsByPlate([])).toEqual([]);
  });
});

describe("export file name", () => {
  it("takes a safe name from Content-Disposition", () => {
    expect(attachmentName('attachment; filename="lpr-search-1a2b.csv"', "x.csv")).toBe("lpr-search-1a2b.csv");
    expect(attachmentName('attachment; filename="../../etc/passwd"', "x.csv")).toBe("x.csv");
    expect(attachmentName(null, "x.csv")).toBe("x.csv");
  });
});
