import { describe, expect, it } from "vitest";
import { parseLiveMessage } from "./messages";
import { sessionFailureOfClose } from "./socket";

describe("live message parsing", () => {
  it("reads hello, resync and ping", () => {
    expect(parseLiveMessage('{"type":"hello","epoch":"e","seq":3,"server_time":"2026-01-01T00:00:00Z"}'))
      .toEqual({ type: "hello", epoch: "e", seq: 3, server_time: "2026-01-01T00:00:00Z" });
    expect(parseLiveMessage('{"type":"resync","epoch":"e","seq":9,"server_time":"x"}')).toEqual({ type: "resync", epoch: "e", seq: 9 });
    expect(parseLiveMessage('{"type":"ping","epoch":"e","seq":9,"server_time":"t"}')).toEqual({ type: "ping", seq: 9, server_time: "t" });
  });

  it("reads incident events with and without a row", () => {
    const withRow = parseLiveMessage('{"type":"incident","seq":4,"kind":"incident.created","incident_id":"a","row":{"id":"a"},"sent_at_ms":1.5}');
    expect(withRow).toMatchObject({ type: "incident", seq: 4, incident_id: "a", row: { id: "a" }, sent_at_ms: 1.5 });
    const closed = parseLiveMessage('{"type":"incident","seq":5,"kind":"incident.updated","incident_id":"a","row":null,"sent_at_ms":2}');
    expect(closed).toMatchObject({ row: null });
  });

  it("reads note events whose author or note id may be null", () => {
    expect(parseLiveMessage('{"type":"note","seq":6,"incident_id":"a","note_id":null,"author":null,"sent_at_ms":3}'))
      .toEqual({ type: "note", seq: 6, incident_id: "a", note_id: "", author: "", sent_at_ms: 3 });
  });

  it("ignores garbage and messages missing what they need", () => {
    expect(parseLiveMessage("not json")).toBeNull();
    expect(parseLiveMessage("[1,2]")).toBeNull();
    expect(parseLiveMessage('{"type":"hello","seq":1}')).toBeNull();
    expect(parseLiveMessage('{"type":"incident","incident_id":"a"}')).toBeNull();
    expect(parseLiveMessage('{"type":"mystery"}')).toBeNull();
  });
});

describe("plate alert messages", () => {
  it("reads a raised alert's summary", () => {
    const text = JSON.stringify({ type: "plate_alert", kind: "lpr.alert.raised", seq: 7, sent_at_ms: 5,
      alert: { alert_id: "a1", plate: "ABC123", reason_code: "wanted_person", severity: "high", match_kind: "misread",
        status: "pending", stale: true, reader_code: "ALPR-1", lat: 60.1, lon: 24.9, heading: 90 } });
    expect(parseLiveMessage(text)).toEqual({ type: "plate_alert", kind: "lpr.alert.raised", seq: 7, sent_at_ms: 5,
      alert: { alert_id: "a1", plate: "ABC123", reason_code: "wanted_person", severity: "high", match_kind: "misread",
        status: "pending", stale: true, reader_code: "ALPR-1", lat: 60.1, lon: 24.9, heading: 90 } });
  });

  it("fills gaps safely and drops alerts without an id or plate", () => {
    const sparse = parseLiveMessage('{"type":"plate_alert","seq":8,"alert":{"alert_id":"a2","plate":"X1","lat":null}}');
    expect(sparse).toMatchObject({ kind: "lpr.alert.updated", alert: { severity: "low", status: "pending", stale: false, lat: null, heading: null } });
    expect(parseLiveMessage('{"type":"plate_alert","seq":9,"alert":{"plate":"X1"}}')).toBeNull();
    expect(parseLiveMessage('{"type":"plate_alert","alert":{"alert_id":"a","plate":"X1"}}')).toBeNull();
  });
});

describe("close codes", () => {
  it("tells a lock from a logoff and leaves other closes to the reconnect loop", () => {
    expect(sessionFailureOfClose(4401, "session_locked")).toBe("locked");
    expect(sessionFailureOfClose(4401, "not_authenticated")).toBe("logged-off");
    expect(sessionFailureOfClose(4401, "session_expired")).toBe("logged-off");
    expect(sessionFailureOfClose(4409, "fell_behind")).toBeNull();
    expect(sessionFailureOfClose(1006, "")).toBeNull();
  });
});

describe("issue 6 messages", () => {
  it("reads alert, context and playbook messages and keeps their payloads for their readers", () => {
    expect(parseLiveMessage('{"type":"alert","seq":3,"kind":"alert.raised","alert":{"alert_id":"a"},"sent_at_ms":1}'))
      .toEqual({ type: "alert", seq: 3, kind: "alert.raised", alert: { alert_id: "a" }, sent_at_ms: 1 });
    expect(parseLiveMessage('{"type":"context","seq":4,"subject":{"type":"incident","id":"i1"},"packet":{"units":[]}}'))
      .toEqual({ type: "context", seq: 4, subject: { type: "incident", id: "i1" }, packet: { units: [] }, sent_at_ms: 0 });
    expect(parseLiveMessage('{"type":"playbook","seq":5,"kind":"playbook.step.lapsed","incident_id":"i1","run":{"steps":[]}}'))
      .toMatchObject({ type: "playbook", kind: "playbook.step.lapsed", incident_id: "i1", run: { steps: [] } });
  });

  it("drops them when they lack what they need", () => {
    expect(parseLiveMessage('{"type":"alert","seq":3}')).toBeNull();
    expect(parseLiveMessage('{"type":"context","seq":4,"subject":{"type":"incident"},"packet":{}}')).toBeNull();
    expect(parseLiveMessage('{"type":"playbook","seq":5,"run":{}}')).toBeNull();
  });
});
