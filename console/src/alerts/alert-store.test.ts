import { beforeEach, describe, expect, it, vi } from "vitest";

const answers = new Map<string, unknown>();
vi.mock("../api/loose", () => ({
  call: vi.fn(async (_method: string, _path: string, _body?: unknown, query?: Record<string, string>) => answers.get(query?.["status"] ?? "") ?? []),
}));

const { AlertDeskStore } = await import("./alert-store");

const changed = (id: string, over: Record<string, unknown> = {}) => ({
  type: "alert" as const, seq: 1, kind: "alert.raised", sent_at_ms: 0,
  alert: { alert_id: id, kind: "gunshot", status: "new", priority: 1, title: "Gunshot", occurred_at: "2026-11-21T14:00:00Z",
    updated_at: "2026-11-21T14:00:00Z", sources: ["alerts-gunshot"], report_count: 1, ...over },
});

describe("the alert desk store", () => {
  beforeEach(() => answers.clear());

  it("loads new and acknowledged alerts in priority order", async () => {
    answers.set("new", [{ id: "b", kind: "sensor", status: "new", priority: 3, title: "Flood", occurred_at: "2026-11-21T13:00:00Z", sources: [] }]);
    answers.set("acknowledged", [{ id: "a", kind: "panic", status: "acknowledged", priority: 1, title: "Panic", occurred_at: "2026-11-21T14:00:00Z", sources: [] }]);
    const store = new AlertDeskStore();
    await store.load();
    expect(store.rows.map((r) => r.id)).toEqual(["a", "b"]);
    expect(store.hasLoaded).toBe(true);
  });

  it("applies live changes: a new P1 is announced once, closed alerts leave, older copies are ignored", async () => {
    const store = new AlertDeskStore();
    await store.load();
    let notified = 0;
    store.subscribe(() => (notified += 1));
    expect(store.applyLive(changed("g1"))?.newP1).toBe(true);
    expect(store.applyLive({ ...changed("g1", { updated_at: "2026-11-21T14:00:05Z", title: "Gunshot, 3 rounds" }), kind: "alert.updated" })?.newP1)
      .toBe(false);
    expect(store.get("g1")?.title).toBe("Gunshot, 3 rounds");
    store.applyLive(changed("g1", { updated_at: "2026-11-21T14:00:01Z", title: "stale copy" }));
    expect(store.get("g1")?.title).toBe("Gunshot, 3 rounds");
    store.applyLive(changed("g1", { status: "closed", updated_at: "2026-11-21T14:02:00Z" }));
    expect(store.get("g1")).toBeUndefined();
    expect(store.applyLive({ ...changed("x"), alert: { nonsense: true } })).toBeNull();
    expect(notified).toBe(3);
  });

  it("does not shout about alerts that arrive before the first load", () => {
    const store = new AlertDeskStore();
    expect(store.applyLive(changed("early"))?.newP1).toBe(false);
  });
});
