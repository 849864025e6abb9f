import { describe, expect, it } from "vitest";
import type { EventMessage, HelloMessage, IncidentMessage } from "./messages";
import { connectQuery, decideOnHello, LiveSync } from "./sync";

const hello = (epoch: string, seq: number): HelloMessage => ({ type: "hello", epoch, seq, server_time: "" });
const incident = (seq: number, id = `i${seq}`): IncidentMessage => ({
  type: "incident", seq, kind: "incident.updated", incident_id: id, row: null, sent_at_ms: 0,
});

/** A fake console: records applied events; reloads finish when the test says so. */
function harness() {
  const applied: number[] = [];
  let reloads = 0;
  const pending: Array<() => void> = [];
  const sync = new LiveSync({
    reloadSnapshot: () => {
      reloads += 1;
      return new Promise<void>((resolve) => pending.push(resolve));
    },
    applyEvent: (m: EventMessage) => applied.push(m.seq),
  });
  const finishReload = async (): Promise<void> => {
    pending.shift()?.();
    await new Promise((r) => setTimeout(r, 0));
  };
  return { sync, applied, reloads: () => reloads, finishReload };
}

describe("hello decisions", () => {
  it("resyncs with no cursor, another epoch, or a server that went back", () => {
    expect(decideOnHello(null, hello("e1", 5))).toBe("resync");
    expect(decideOnHello({ epoch: "e1", seq: 5 }, hello("e2", 9))).toBe("resync");
    expect(decideOnHello({ epoch: "e1", seq: 9 }, hello("e1", 3))).toBe("resync");
  });
  it("catches up from the same epoch", () => {
    expect(decideOnHello({ epoch: "e1", seq: 5 }, hello("e1", 9))).toBe("catch-up");
    expect(decideOnHello({ epoch: "e1", seq: 5 }, hello("e1", 5))).toBe("catch-up");
  });
  it("reconnects with since and epoch only once it has a cursor", () => {
    expect(connectQuery(null)).toBe("");
    expect(connectQuery({ epoch: "ab12", seq: 42 })).toBe("?since=42&epoch=ab12");
  });
});

describe("LiveSync", () => {
  it("reloads on the first hello, holds events meanwhile, then applies only newer ones", async () => {
    const h = harness();
    expect(h.sync.onHello(hello("e1", 10))).toBe("resync");
    expect(h.reloads()).toBe(1);
    expect(h.sync.onEvent(incident(10))).toBe(false); // held
    h.sync.onEvent(incident(11));
    h.sync.onEvent(incident(12));
    expect(h.applied).toEqual([]);
    await h.finishReload();
    expect(h.applied).toEqual([11, 12]); // seq 10 was already in the snapshot
    expect(h.sync.cursor).toEqual({ epoch: "e1", seq: 12 });
  });

  it("skips duplicates after a catch-up and advances the cursor", async () => {
    const h = harness();
    h.sync.onHello(hello("e1", 3));
    await h.finishReload();
    h.sync.onEvent(incident(4));
    expect(h.sync.onHello(hello("e1", 6))).toBe("catch-up");
    expect(h.reloads()).toBe(1);
    expect(h.sync.onEvent(incident(4))).toBe(false); // replayed twice
    expect(h.sync.onEvent(incident(5))).toBe(true);
    expect(h.sync.onEvent(incident(6))).toBe(true);
    expect(h.applied).toEqual([4, 5, 6]);
    expect(connectQuery(h.sync.cursor)).toBe("?since=6&epoch=e1");
  });

  it("takes a server resync after a hello from another epoch without reloading twice", async () => {
    const h = harness();
    h.sync.onHello(hello("e1", 1));
    await h.finishReload();
    expect(h.sync.onHello(hello("e2", 7))).toBe("resync");
    h.sync.onResync({ type: "resync", epoch: "e2", seq: 7 });
    expect(h.reloads()).toBe(2);
    await h.finishReload();
    expect(h.sync.isReloading).toBe(false);
    expect(h.sync.cursor).toEqual({ epoch: "e2", seq: 7 });
  });

  it("reloads again when a resync arrives while a reload runs", async () => {
    const h = harness();
    h.sync.onHello(hello("e1", 1));
    h.sync.onResync({ type: "resync", epoch: "e1", seq: 5 });
    h.sync.onEvent(incident(4));
    h.sync.onEvent(incident(6));
    await h.finishReload();
    expect(h.reloads()).toBe(2);
    expect(h.applied).toEqual([]);
    await h.finishReload();
    expect(h.applied).toEqual([6]);
  });

  it("still applies held events when the reload fails", async () => {
    const applied: number[] = [];
    const sync = new LiveSync({
      reloadSnapshot: () => Promise.reject(new Error("network")),
      applyEvent: (m) => applied.push(m.seq),
    });
    sync.onHello(hello("e1", 0));
    sync.onEvent(incident(1));
    await new Promise((r) => setTimeout(r, 0));
    expect(applied).toEqual([1]);
  });
});
