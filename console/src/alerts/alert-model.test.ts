import { describe, expect, it } from "vitest";
import {
  alertSummary, dismissReasonProblem, isNewP1Alert, isOpen, rowFromChanged, rowFromOut, rowsFromList, sortAlerts, sourcesLabel,
  type AlertRow,
} from "./alert-model";

const out = (over: Record<string, unknown> = {}) => ({
  id: "a1", kind: "gunshot", status: "new", priority: 1, severity: null, title: "Gunshot detected",
  occurred_at: "2026-11-21T14:00:00Z", received_at: "2026-11-21T14:00:01Z", updated_at: "2026-11-21T14:00:01Z",
  lat: 60.17, lon: 24.94, location_error_m: 25, address: "Mannerheimintie 1", beat: "B1", subject: null, incident_id: null,
  merged_into: null, acknowledged_by: null, acknowledged_at: null, escalated_at: null, escalated_to: [], dismissed_reason: null,
  sources: [{ source: "alerts-gunshot", source_ref: "S1", received_at: "2026-11-21T14:00:01Z", reports: 2 }],
  details: { rounds: 3, type: "multiple", confidence: 0.92, review_status: "machine" }, ...over,
});

const row = (over: Partial<AlertRow>): AlertRow => ({ ...(rowFromOut(out()) as AlertRow), ...over });

describe("alert rows", () => {
  it("reads the REST shape, counting distinct sources", () => {
    const r = rowFromOut(out({ sources: [
      { source: "alerts-gunshot", source_ref: "S1", received_at: "x", reports: 2 },
      { source: "alerts-gunshot", source_ref: "S2", received_at: "x", reports: 1 },
      { source: "alerts-sensor", source_ref: "M", received_at: "x", reports: 1 },
    ] }));
    expect(r).toMatchObject({ id: "a1", kind: "gunshot", status: "new", priority: 1, lat: 60.17, escalated: false,
      sourceNames: ["alerts-gunshot", "alerts-sensor"] });
    expect(rowFromOut({ kind: "gunshot" })).toBeNull();
    expect(rowsFromList({ alerts: [out(), out({ id: "a2" }), { nonsense: true }] }).map((a) => a.id)).toEqual(["a1", "a2"]);
  });

  it("reads the live AlertChanged shape, escalation included", () => {
    const r = rowFromChanged({ alert_id: "a9", kind: "panic", status: "acknowledged", priority: 1, title: "Panic",
      occurred_at: "2026-11-21T14:00:00Z", updated_at: "2026-11-21T14:01:00Z", lat: null, lon: null, address: null,
      subject: "dev-7", incident_id: "i1", sources: ["alerts-panic", "alerts-panic", "alerts-sensor"], report_count: 3,
      acknowledged_by: "kim", escalated_at: "2026-11-21T14:01:00Z", merged_into: null, details: { owner: "Ann Lee" } });
    expect(r).toMatchObject({ id: "a9", kind: "panic", incidentId: "i1", escalated: true, acknowledgedBy: "kim",
      sourceNames: ["alerts-panic", "alerts-sensor"] });
    expect(rowFromChanged({ kind: "panic" })).toBeNull();
    expect(rowFromChanged({ alert_id: "z", kind: "weird", status: "odd" })).toMatchObject({ kind: "sensor", status: "new", priority: 3 });
  });

  it("orders by priority, then the oldest first", () => {
    const rows = [
      row({ id: "p3-old", priority: 3, occurredAt: "2026-11-21T13:00:00Z" }),
      row({ id: "p1-new", priority: 1, occurredAt: "2026-11-21T14:05:00Z" }),
      row({ id: "p1-old", priority: 1, occurredAt: "2026-11-21T14:00:00Z" }),
      row({ id: "p2", priority: 2, occurredAt: "2026-11-21T14:10:00Z" }),
    ];
    expect(sortAlerts(rows).map((r) => r.id)).toEqual(["p1-old", "p1-new", "p2", "p3-old"]);
  });

  it("says how many sources, and which statuses are still open", () => {
    expect(sourcesLabel(1)).toBe("1 source");
    expect(sourcesLabel(3)).toBe("3 sources");
    expect(isOpen({ status: "new" })).toBe(true);
    expect(isOpen({ status: "acknowledged" })).toBe(true);
    for (const status of ["dismissed", "merged", "closed"] as const) expect(isOpen({ status })).toBe(false);
  });

  it("gives a new Priority 1 alert the P1 treatment once", () => {
    const p1 = row({ priority: 1, status: "new" });
    expect(isNewP1Alert(undefined, p1)).toBe(true);
    expect(isNewP1Alert(p1, { ...p1, title: "updated" })).toBe(false);
    expect(isNewP1Alert(row({ priority: 3 }), p1)).toBe(true);
    expect(isNewP1Alert(undefined, row({ priority: 2 }))).toBe(false);
    expect(isNewP1Alert(undefined, row({ priority: 1, status: "acknowledged" }))).toBe(false);
  });

  it("summarises gunshots and panic presses", () => {
    expect(alertSummary(row({}))).toBe("3 rounds · multiple · 92 %");
    expect(alertSummary(row({ details: { rounds: 1, review_status: "dismissed" } }))).toBe("1 round · vendor dismissed");
    expect(alertSummary(row({ kind: "panic", details: { owner: "Ann Lee", phone: "+358 40 1" } }))).toBe("Ann Lee · +358 40 1");
    expect(alertSummary(row({ kind: "sensor", subject: "flood-12", details: {} }))).toBe("flood-12");
  });

  it("asks for a dismissal reason of three characters", () => {
    expect(dismissReasonProblem("  ")).not.toBeNull();
    expect(dismissReasonProblem("ab")).not.toBeNull();
    expect(dismissReasonProblem("test")).toBeNull();
  });
});
