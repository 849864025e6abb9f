import { describe, expect, it } from "vitest";
import { ApiError } from "../api/errors";
import { LiveViewSession, parseStatusFrame, readViewOpened, type SocketLike, type Timers, type ViewTransport } from "./view-session";
import type { ViewReason } from "./reason";

class FakeSocket implements SocketLike {
  binaryType = "blob";
  onmessage: ((event: { data: unknown }) => void) | null = null;
  onclose: ((event: { code: number; reason: string }) => void) | null = null;
  closed: number | null = null;
  constructor(readonly viewId: string) {}
  close(code = 1000): void {
    this.closed = code;
  }
  send(data: unknown): void {
    this.onmessage?.({ data });
  }
  drop(code = 1006, reason = ""): void {
    this.onclose?.({ code, reason });
  }
}

class FakeTransport implements ViewTransport {
  opened: Array<{ camera: string; reason: ViewReason }> = [];
  ended: string[] = [];
  sockets: FakeSocket[] = [];
  failures: ApiError[] = [];
  open(camera: string, reason: ViewReason) {
    this.opened.push({ camera, reason });
    const failure = this.failures.shift();
    if (failure) return Promise.reject(failure);
    return Promise.resolve({ viewId: `v${this.opened.length}`, camera, startedAt: null });
  }
  end(viewId: string) {
    this.ended.push(viewId);
    return Promise.resolve();
  }
  connect(viewId: string) {
    const socket = new FakeSocket(viewId);
    this.sockets.push(socket);
    return socket;
  }
}

class FakeTimers implements Timers {
  pending: Array<{ callback: () => void; ms: number }> = [];
  set(callback: () => void, ms: number): number {
    this.pending.push({ callback, ms });
    return this.pending.length;
  }
  clear(): void {
    this.pending = [];
  }
  fire(): void {
    const due = this.pending.splice(0);
    for (const t of due) t.callback();
  }
}

const settle = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 0));
const REASON: ViewReason = { kind: "incident", ref: "2026-0042", note: null };

function setup() {
  const transport = new FakeTransport();
  const timers = new FakeTimers();
  const states: string[] = [];
  const views: Array<string | null> = [];
  const segments: ArrayBuffer[] = [];
  const codecs: Array<string | null> = [];
  const session = new LiveViewSession("CAM-1", REASON, transport, {
    state: (state, detail) => states.push(detail ? `${state}: ${detail}` : state),
    status: (frame) => codecs.push(frame.codec),
    segment: (data) => segments.push(data),
    view: (id) => views.push(id),
  }, timers, () => 0);
  return { transport, timers, states, views, segments, codecs, session };
}

describe("status frames and view answers", () => {
  it("reads a status frame and ignores anything else", () => {
    expect(parseStatusFrame('{"type":"status","state":"live","reason":null,"codec":"avc1.64001f"}'))
      .toEqual({ state: "live", reason: null, codec: "avc1.64001f" });
    expect(parseStatusFrame('{"type":"status","state":"no_signal","reason":"camera stopped sending"}'))
      .toEqual({ state: "no_signal", reason: "camera stopped sending", codec: null });
    expect(parseStatusFrame('{"type":"status","state":"dancing"}')).toBeNull();
    expect(parseStatusFrame("not json")).toBeNull();
    expect(readViewOpened({ view_id: "abc", camera: "CAM-1", action: "live", started_at: "2026-11-21T14:00:00Z" }))
      .toEqual({ viewId: "abc", camera: "CAM-1", startedAt: "2026-11-21T14:00:00Z" });
    expect(readViewOpened({ camera: "CAM-1" })).toBeNull();
  });
});

describe("a live view session", () => {
  it("opens a view with the reason, connects its socket and passes status and media on", async () => {
    const { transport, states, views, segments, codecs, session } = setup();
    session.start();
    await settle();
    expect(transport.opened).toEqual([{ camera: "CAM-1", reason: REASON }]);
    const socket = transport.sockets[0]!;
    expect(socket.viewId).toBe("v1");
    expect(socket.binaryType).toBe("arraybuffer");
    socket.send('{"type":"status","state":"live","reason":null,"codec":"avc1.42E01E"}');
    socket.send(new ArrayBuffer(8));
    expect(states).toEqual(["opening", "connecting", "live"]);
    expect(codecs).toEqual(["avc1.42E01E"]);
    expect(segments).toHaveLength(1);
    expect(views).toEqual(["v1"]);
    expect(session.viewId).toBe("v1");
  });

  it("shows no signal while the server reconnects to the camera", async () => {
    const { transport, states, session } = setup();
    session.start();
    await settle();
    transport.sockets[0]!.send('{"type":"status","state":"no_signal","reason":"no frames for 5 s"}');
    expect(states.at(-1)).toBe("no_signal: no frames for 5 s");
    expect(transport.opened).toHaveLength(1);
  });

  it("opens a NEW view with the same reason after the socket drops, never reusing the old id", async () => {
    const { transport, timers, states, views, session } = setup();
    session.start();
    await settle();
    transport.sockets[0]!.drop(1006);
    expect(states.at(-1)).toBe("reconnecting");
    expect(transport.ended).toEqual(["v1"]);
    expect(timers.pending[0]?.ms).toBe(250);
    timers.fire();
    await settle();
    expect(transport.opened.map((o) => o.reason)).toEqual([REASON, REASON]);
    expect(transport.sockets.map((s) => s.viewId)).toEqual(["v1", "v2"]);
    expect(views).toEqual(["v1", null, "v2"]);
  });

  it("backs off while the server cannot be reached", async () => {
    const { transport, timers, session } = setup();
    transport.failures.push(new ApiError(0, "network", "down"), new ApiError(503, "http_503", "busy"));
    session.start();
    await settle();
    expect(timers.pending[0]?.ms).toBe(250);
    timers.fire();
    await settle();
    expect(timers.pending[0]?.ms).toBe(500);
    timers.fire();
    await settle();
    expect(transport.sockets).toHaveLength(1);
  });

  it("shows the server's refusal and does not retry (access level)", async () => {
    const { transport, timers, states, session } = setup();
    transport.failures.push(new ApiError(403, "forbidden", "This camera is recorded only: no live view."));
    session.start();
    await settle();
    expect(states.at(-1)).toBe("refused: This camera is recorded only: no live view.");
    expect(timers.pending).toHaveLength(0);
  });

  it("stays failed when the server said why it failed, until the operator retries", async () => {
    const { transport, timers, states, session } = setup();
    session.start();
    await settle();
    const socket = transport.sockets[0]!;
    socket.send('{"type":"status","state":"failed","reason":"wrong credentials"}');
    socket.drop(1011);
    expect(states.at(-1)).toBe("failed: wrong credentials");
    expect(timers.pending).toHaveLength(0);
    session.start();
    await settle();
    expect(transport.opened).toHaveLength(2);
  });

  it("ends the view and closes the socket when the tile closes", async () => {
    const { transport, timers, states, session } = setup();
    session.start();
    await settle();
    await session.stop();
    const socket = transport.sockets[0]!;
    expect(socket.closed).toBe(1000);
    expect(transport.ended).toEqual(["v1"]);
    expect(states.at(-1)).toBe("ended");
    socket.drop(1006);
    expect(timers.pending).toHaveLength(0);
  });
});
