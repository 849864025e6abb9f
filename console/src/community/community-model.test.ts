import { describe, expect, it } from "vitest";
import {
  coversText, hoursText, kindLabel, ownerName, rateText, readCameras, readRequest, readRequests, readStats, REQUEST_STATUSES, sizeText,
  statusLabel,
} from "./community-model";
import { commandFor, SHORTCUTS } from "../core/keys";
import { parseLiveMessage } from "../live/messages";
import { periodQuery, statRows } from "./stats-view";

describe("words", () => {
  it("labels every request status, and passes an unknown one through in words", () => {
    expect(REQUEST_STATUSES.map(statusLabel)).toEqual(["Sent", "Opened by the owner", "Footage uploaded", "Declined", "Expired",
      "Withdrawn"]);
    expect(statusLabel("on_hold")).toBe("on hold");
  });

  it("names kinds, what a camera covers, and the owner without naming a resident", () => {
    expect(kindLabel("traffic_collision")).toBe("Traffic collision");
    expect(kindLabel("new_kind")).toBe("new kind");
    expect(coversText(["street", "parking_lot"])).toBe("street, parking lot");
    expect(ownerName("business", "Corner Shop Oy")).toBe("Corner Shop Oy");
    expect(ownerName("residence", "Jane's house")).toBe("Residence");
    expect(ownerName("business", null)).toBe("Business");
  });

  it("writes rates, durations and sizes", () => {
    expect(rateText(0.426)).toBe("43 %");
    expect(rateText(null)).toBe("—");
    expect(hoursText(5.54)).toBe("5.5 h");
    expect(hoursText(51)).toBe("2 d 3 h");
    expect(hoursText(null)).toBe("—");
    expect(sizeText(12_400_000)).toBe("12.4 MB");
    expect(sizeText(830_000)).toBe("830 kB");
    expect(sizeText(512)).toBe("512 B");
  });
});

describe("reading the API", () => {
  it("reads the layer's cameras and leaves out what has no place", () => {
    const cameras = readCameras([
      { id: "c1", site_id: "s1", label: "Front door", lat: 60.17, lon: 24.94, bearing: 90, fov_angle: 70, range_m: 20, covers: ["street"],
        retention_days: 7, site_kind: "business", site_name: "Kiosk", accepts: ["property_crime"] },
      { id: "c2", lat: null, lon: 24.9 },
      "junk",
    ]);
    expect(cameras).toHaveLength(1);
    expect(cameras[0]).toMatchObject({ id: "c1", siteId: "s1", bearing: 90, retentionDays: 7, siteName: "Kiosk", accepts: ["property_crime"] });
    expect(readCameras({ not: "a list" })).toEqual([]);
  });

  it("reads a request with its files and evidence codes", () => {
    const row = readRequest({ id: "r1", status: "uploaded", site_id: null, site_label: "Kiosk", camera_ids: ["c1"], incident_id: "i1",
      kind: "other", useful: true, files: [{ id: "f1", filename: "clip.mp4", size: 2048, received: 2048, status: "stored",
        evidence_code: "EV-2026-000123" }, { nope: 1 }] });
    expect(row).toMatchObject({ id: "r1", status: "uploaded", siteId: null, siteLabel: "Kiosk", useful: true });
    expect(row?.files).toEqual([{ id: "f1", filename: "clip.mp4", size: 2048, received: 2048, status: "stored", mediaType: null,
      sha256: null, problem: null, evidenceCode: "EV-2026-000123" }]);
    expect(readRequest({ id: "r2" })).toBeNull();
    expect(readRequests([{ id: "r3", status: "sent" }, null]).map((r) => r.id)).toEqual(["r3"]);
    expect(readRequest({ id: "r4", status: "sent" })?.useful).toBeNull();
  });

  it("reads the supervisor's figures into rows", () => {
    const stats = readStats({ since: "2026-10-22T00:00:00Z", until: "2026-11-21T00:00:00Z", sent: 10, opened: 7, uploaded: 4,
      declined: 2, expired: 1, withdrawn: 1, useful: 3, not_useful: 1, answer_rate: 0.6, median_hours_to_answer: null });
    expect(stats).not.toBeNull();
    const rows = statRows(stats!);
    expect(rows.find(([, , id]) => id === "sent")?.[1]).toBe("10");
    expect(rows.find(([, , id]) => id === "not-useful")?.[1]).toBe("1");
    expect(rows.find(([, , id]) => id === "answer-rate")?.[1]).toBe("60 %");
    expect(rows.find(([, , id]) => id === "median")?.[1]).toBe("—");
    expect(readStats({ detail: "nope" })).toBeNull();
  });

  it("asks for the period back from now", () => {
    const now = Date.parse("2026-11-21T14:00:00Z");
    expect(periodQuery(7, now)).toEqual({ since: "2026-11-14T14:00:00.000Z", until: "2026-11-21T14:00:00.000Z" });
  });
});

describe("live messages", () => {
  it("reads a community.request message, flat or with the request inside", () => {
    expect(parseLiveMessage(JSON.stringify({ type: "community.request", seq: 4, id: "r1", incident_id: "i1", status: "opened" })))
      .toEqual({ type: "community.request", seq: 4, id: "r1", incident_id: "i1", status: "opened", sent_at_ms: 0 });
    expect(parseLiveMessage(JSON.stringify({ type: "community.request", seq: 5, request: { id: "r2", incident_id: "i2", status: "sent" } })))
      .toMatchObject({ id: "r2", incident_id: "i2", status: "sent" });
    expect(parseLiveMessage(JSON.stringify({ type: "community.request", seq: 6, id: "r3" }))).toBeNull();
  });
});

describe("the supervisors' tab", () => {
  it("opens with o, listed in the shortcut help", () => {
    expect(commandFor({ key: "o", ctrlKey: false, metaKey: false, altKey: false }, false)).toBe("show-community");
    expect(commandFor({ key: "o", ctrlKey: false, metaKey: false, altKey: false }, true)).toBeNull();
    expect(SHORTCUTS.some(([key]) => key === "o")).toBe(true);
  });
});
