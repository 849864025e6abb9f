import { describe, expect, it } from "vitest";
import {
  cautionsInOrder, distanceText, EMPTY_TEXT, isEmpty, plateSummary, premisesInOrder, priorSummary, readPacket, unitLine,
} from "./packet";

const full = {
  subject: { type: "incident", id: "i1" },
  location: { lat: 60.17, lon: 24.94, address: "Mannerheimintie 1" },
  assembled_at: "2026-11-21T14:00:00.050Z", took_ms: 3.2,
  cameras: [{ code: "CAM-1", name: "Esplanadi", kind: "city", access_level: "live", status: "active", coverage: "in_view",
    distance_m: 40, bearing_to_point_deg: 45, score: 0.9, explanation: "facing it", wedge: [[1, 2]] }, { name: "no code" }],
  units: [{ code: "1A12", name: "1A12", kind: "patrol", agency: "HPD", status: "available", distance_m: 420.4, position_at: "x",
    stale: false, incident_id: null }],
  prior_incidents: { radius_m: 250, since: "2025-11-21T14:00:00Z", at_address: 2, nearby: 14,
    by_type: [{ type_code: "THEFT", type_text: "Theft", count: 3 }, { type_code: "ASSAULT", type_text: "Assault", count: 9 }],
    recent: [{ id: "p1", type_code: "THEFT", type_text: "Theft", priority: 3, received_at: "x", address: "A", distance_m: 10 }] },
  plate_activity: { since: "x", radius_m: 300, reads: 37,
    readers: [{ code: "R1", name: "North", reads: 5, distance_m: 100 }, { code: "R2", name: "South", reads: 32, distance_m: 90 }],
    hits: [{ alert_id: "h", plate: "ABC123", reason_code: "stolen_vehicle", status: "pending", reader_code: "R2", distance_m: 90, read_at: "x" }] },
  gunshots: [{ alert_id: "g", occurred_at: "x", rounds: 3, type: "multiple", distance_m: 120, incident_id: null }],
  premises: [
    { id: "p-near", address: "B", distance_m: 5, hazards: [], notes: null, floor_plans: [] },
    { id: "p-haz", address: "C", distance_m: 80, hazards: ["dogs", "oxygen tanks"], notes: "Back door", floor_plans: [{ id: "f", name: "Ground", media_type: "application/pdf", size: 10 }] },
  ],
  community_cameras: [],
  cautions: [{ kind: "x", kind_text: "Mental health", severity: "low", source: "CAD" }, { kind: "w", kind_text: "Weapons", severity: "high", source: "CAD" }],
  alerts: [{ alert_id: "a1", kind: "gunshot", title: "Gunshot", status: "new", priority: 1, occurred_at: "x" }],
};

describe("the context packet", () => {
  it("reads every section and leaves out what it cannot read", () => {
    const p = readPacket(full);
    expect(p?.subject).toEqual({ type: "incident", id: "i1" });
    expect(p?.cameras.map((c) => c.code)).toEqual(["CAM-1"]);
    expect(p?.units[0]).toMatchObject({ code: "1A12", status: "available", distance_m: 420.4 });
    expect(p?.premises[1]?.floor_plans[0]?.name).toBe("Ground");
    expect(p?.alerts[0]?.alert_id).toBe("a1");
    expect(readPacket({ subject: {} })).toBeNull();
    expect(readPacket("x")).toBeNull();
  });

  it("treats a packet with sections missing as empty sections, each saying so", () => {
    const bare = readPacket({ subject: { type: "incident", id: "i2" } });
    expect(bare).not.toBeNull();
    if (!bare) return;
    for (const name of ["cameras", "units", "prior", "plates", "gunshots", "premises", "community", "cautions", "alerts"] as const) {
      expect(isEmpty(bare, name)).toBe(true);
      expect(EMPTY_TEXT[name].length).toBeGreaterThan(5);
    }
    expect(EMPTY_TEXT.community).toBe("None registered nearby.");
    const p = readPacket(full);
    if (!p) return;
    expect(isEmpty(p, "community")).toBe(true);
    expect(isEmpty(p, "units")).toBe(false);
    expect(isEmpty(p, "prior")).toBe(false);
  });

  it("words distances, units and counts", () => {
    expect(distanceText(84.6)).toBe("85 m");
    expect(distanceText(1240)).toBe("1.2 km");
    expect(distanceText(null)).toBe("—");
    const p = readPacket(full);
    if (!p) return;
    expect(unitLine(p.units[0]!, "i1")).toBe("available · 420 m");
    expect(unitLine({ ...p.units[0]!, incident_id: "other", stale: true }, "i1")).toBe("available · 420 m · on another call · position stale");
    expect(unitLine({ ...p.units[0]!, incident_id: "i1", status: "on_scene" }, "i1")).toBe("on scene · 420 m · on this call");
    const prior = priorSummary(p.prior_incidents);
    expect(prior.line).toBe("2 at this address · 14 within 250 m");
    expect(prior.byType.map((t) => t.type_code)).toEqual(["ASSAULT", "THEFT"]);
    const plates = plateSummary(p.plate_activity);
    expect(plates.line).toBe("37 reads within 300 m · 1 hit");
    expect(plates.readers.map((r) => r.code)).toEqual(["R2", "R1"]);
  });

  it("puts premises with hazards and the most severe cautions first", () => {
    const p = readPacket(full);
    if (!p) return;
    expect(premisesInOrder(p.premises).map((x) => x.id)).toEqual(["p-haz", "p-near"]);
    expect(cautionsInOrder(p.cautions).map((c) => c.kind_text)).toEqual(["Weapons", "Mental health"]);
  });
});
