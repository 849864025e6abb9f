import { describe, expect, it } from "vitest";
import { toLocalInput } from "../core/local-time";
import type { FootageRequestRow } from "./community-model";
import {
  accepts, askedSites, defaultWindow, draftProblems, footageLostAt, footageUrgency, groupRequests, pickedSummary, requestBody,
  retentionText, serverProblems, sitesOf, windowInputs, type RequestDraft,
} from "./request-logic";

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
const INCIDENT = Date.parse("2026-11-21T14:00:00Z");

describe("the default time window", () => {
  it("covers 30 minutes either side of the incident once that time has passed", () => {
    const { fromMs, toMs } = defaultWindow(INCIDENT, INCIDENT + 2 * HOUR);
    expect(fromMs).toBe(INCIDENT - 30 * MIN);
    expect(toMs).toBe(INCIDENT + 30 * MIN);
  });

  it("never ends in the future: a fresh incident's window ends now, to the whole minute", () => {
    const now = INCIDENT + 10 * MIN + 42_000;
    const { fromMs, toMs } = defaultWindow(INCIDENT, now);
    expect(fromMs).toBe(INCIDENT - 30 * MIN);
    expect(toMs).toBe(INCIDENT + 10 * MIN);
  });

  it("still spans at least a minute when the incident time is ahead of the clock", () => {
    const { fromMs, toMs } = defaultWindow(INCIDENT + 5 * MIN, INCIDENT);
    expect(fromMs).toBe(INCIDENT - 30 * MIN);
    expect(toMs).toBe(INCIDENT);
    expect(defaultWindow(INCIDENT, INCIDENT - 40 * MIN).toMs).toBeGreaterThan(defaultWindow(INCIDENT, INCIDENT - 40 * MIN).fromMs);
  });

  it("fills the form's local-time inputs", () => {
    expect(windowInputs(INCIDENT, INCIDENT + DAY)).toEqual({ from: toLocalInput(INCIDENT - 30 * MIN), to: toLocalInput(INCIDENT + 30 * MIN) });
    expect(windowInputs(Number.NaN, INCIDENT)).toEqual({ from: toLocalInput(INCIDENT - 30 * MIN), to: toLocalInput(INCIDENT) });
  });
});

describe("how urgently to ask", () => {
  it("counts from the incident's time plus the days the owner keeps video", () => {
    expect(footageLostAt(INCIDENT, 7)).toBe(INCIDENT + 7 * DAY);
    expect(footageLostAt(INCIDENT, null)).toBeNull();
    expect(footageLostAt(Number.NaN, 7)).toBeNull();
  });

  it("says when the footage will be gone, highlighting soon and urgent", () => {
    const lost = INCIDENT + 3 * DAY;
    expect(footageUrgency(lost, INCIDENT + DAY - HOUR)).toEqual({ urgency: "soon", text: "footage gone in 2 days" });
    expect(footageUrgency(lost, INCIDENT + 2 * DAY - HOUR)).toEqual({ urgency: "soon", text: "footage gone in 1 day" });
    expect(footageUrgency(lost, lost - 5 * HOUR - MIN)).toEqual({ urgency: "urgent", text: "footage gone in 5 hours" });
    expect(footageUrgency(lost, lost - 20 * MIN)).toEqual({ urgency: "urgent", text: "footage gone in under an hour" });
    expect(footageUrgency(lost, lost)).toEqual({ urgency: "gone", text: "footage probably gone already" });
    expect(footageUrgency(INCIDENT + 30 * DAY, INCIDENT)).toEqual({ urgency: "later", text: "footage gone in 30 days" });
    expect(footageUrgency(null, INCIDENT).urgency).toBe("unknown");
  });

  it("says how long a camera keeps video", () => {
    expect(retentionText(1)).toBe("keeps video 1 day");
    expect(retentionText(14)).toBe("keeps video 14 days");
    expect(retentionText(null)).toBe("retention unknown");
  });
});

function draft(change: Partial<RequestDraft> = {}): RequestDraft {
  return { incidentId: "i-1", cameraIds: ["c-1"], kind: "property_crime", from: toLocalInput(INCIDENT - 30 * MIN),
    to: toLocalInput(INCIDENT + 30 * MIN), reason: "Break-in at the corner shop, suspect fled north", ...change };
}

describe("the request form's checks", () => {
  const now = INCIDENT + 2 * HOUR;

  it("passes a complete draft and builds the body the API takes", () => {
    expect(draftProblems(draft(), now)).toEqual({});
    expect(requestBody(draft({ reason: "  Break-in at the corner shop  " }))).toEqual({
      incident_id: "i-1", camera_ids: ["c-1"], kind: "property_crime", window_from: new Date(INCIDENT - 30 * MIN).toISOString(),
      window_to: new Date(INCIDENT + 30 * MIN).toISOString(), reason: "Break-in at the corner shop",
    });
  });

  it("names each field that is missing or wrong", () => {
    const problems = draftProblems(draft({ cameraIds: [], kind: "", from: "", reason: "short" }), now);
    expect(Object.keys(problems).sort()).toEqual(["cameras", "from", "kind", "reason"]);
    expect(problems.reason).toContain("at least 10 characters");
    expect(draftProblems(draft({ cameraIds: Array.from({ length: 51 }, (_, i) => `c-${i}`) }), now).cameras).toContain("At most 50");
    expect(draftProblems(draft({ kind: "gossip" }), now).kind).toBeDefined();
    expect(draftProblems(draft({ reason: "x".repeat(2001) }), now).reason).toContain("At most 2000");
  });

  it("requires the reason in words, not spaces", () => {
    expect(draftProblems(draft({ reason: "            " }), now).reason).toBeDefined();
  });

  it("refuses a window that ends before it starts or in the future", () => {
    expect(draftProblems(draft({ to: toLocalInput(INCIDENT - HOUR) }), now).to).toBe("The window must end after it starts.");
    expect(draftProblems(draft({ to: toLocalInput(now + HOUR) }), now).to).toBe("The window cannot end in the future.");
    expect(draftProblems(draft({ to: "" }), now).to).toBe("Give the end of the time window.");
  });

  it("puts the server's problems on the fields, and /camera_ids/<i> on that camera", () => {
    const out = serverProblems([{ pointer: "/camera_ids/1", reason: "This owner has paused their registration." },
      { pointer: "/reason", reason: "Too short" }, { pointer: "", reason: "Something else" }], ["c-1", "c-2"]);
    expect(out.cameras).toEqual({ "c-2": "This owner has paused their registration." });
    expect(out.fields).toEqual({ reason: "Too short" });
    expect(out.other).toEqual(["Something else"]);
  });

  it("greys out cameras whose owners do not take the kind (unknown: let the server say)", () => {
    expect(accepts(["violent_crime"], "property_crime")).toBe(false);
    expect(accepts(["violent_crime", "property_crime"], "property_crime")).toBe(true);
    expect(accepts(null, "other")).toBe(true);
  });
});

function request(id: string, status: string, change: Partial<FootageRequestRow> = {}): FootageRequestRow {
  return { id, siteId: `s-${id}`, siteLabel: `Site ${id}`, cameraIds: [], incidentId: "i-1", kind: "other", windowFrom: "", windowTo: "",
    reason: "", requestedBy: "op", status, createdAt: "2026-11-21T14:10:00Z", openedAt: null, answeredAt: null, remindedAt: null,
    footageLostAt: null, expiresAt: null, declineNote: null, useful: null, files: [], ...change };
}

describe("grouping", () => {
  it("sends one request per site: picked cameras by site", () => {
    const cameras = [{ id: "a", site_id: "s1" }, { id: "b", site_id: "s1" }, { id: "c", site_id: "s2" }, { id: "d", site_id: null }];
    const sites = sitesOf(cameras, new Set(["a", "b", "c", "d"]));
    expect([...sites.keys()]).toEqual(["s1", "s2", "camera:d"]);
    expect(sites.get("s1")?.map((c) => c.id)).toEqual(["a", "b"]);
    expect(sitesOf(cameras, new Set(["c"])).size).toBe(1);
    expect(pickedSummary(3, 2)).toBe("3 cameras at 2 sites — 2 requests");
    expect(pickedSummary(1, 1)).toBe("1 camera at 1 site — 1 request");
    expect(pickedSummary(0, 0)).toBe("No camera picked.");
  });

  it("lists waiting requests first (soonest-lost footage on top), then the rest newest first", () => {
    const rows = [
      request("old", "declined", { answeredAt: "2026-11-21T15:00:00Z" }),
      request("late", "sent", { footageLostAt: "2026-11-30T14:00:00Z" }),
      request("new", "uploaded", { answeredAt: "2026-11-21T18:00:00Z" }),
      request("soon", "opened", { footageLostAt: "2026-11-23T14:00:00Z" }),
      request("gone", "withdrawn"),
    ];
    const { waiting, done } = groupRequests(rows);
    expect(waiting.map((r) => r.id)).toEqual(["soon", "late"]);
    expect(done.map((r) => r.id)).toEqual(["new", "old", "gone"]);
  });

  it("knows which sites were already asked (and still wait) for the incident", () => {
    expect([...askedSites([request("a", "sent"), request("b", "declined"), request("c", "opened", { siteId: null })])]).toEqual(["s-a"]);
  });
});
