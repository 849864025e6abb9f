/**
 * One live view of one camera: open it (POST, with the reason), play its socket, and when the
 * socket drops, open a NEW view with the same reason after a backoff — a closed view id is
 * never reused. A refusal (403: the camera's access level) or a failure the server names is
 * final until the operator retries.
 */

import { ApiError, describeError } from "../api/errors";
import { backoffDelayMs } from "../core/backoff";
import type { ViewReason } from "./reason";

export interface ViewOpened {
  viewId: string;
  camera: string;
  startedAt: string | null;
}

export type ServerState = "connecting" | "live" | "no_signal" | "failed";
export type TileState = "opening" | "connecting" | "live" | "no_signal" | "reconnecting" | "failed" | "refused" | "ended";

export interface StatusFrame {
  state: ServerState;
  reason: string | null;
  codec: string | null;
}

export interface SocketLike {
  binaryType: string;
  onmessage: ((event: { data: unknown }) => void) | null;
  onclose: ((event: { code: number; reason: string }) => void) | null;
  close(code?: number, reason?: string): void;
}

export interface ViewTransport {
  open(camera: string, reason: ViewReason): Promise<ViewOpened>;
  end(viewId: string): Promise<void>;
  connect(viewId: string): SocketLike;
}

export interface ViewHooks {
  state(state: TileState, detail: string | null): void;
  status(frame: StatusFrame): void;
  segment(data: ArrayBuffer): void;
  /** A new view was opened (or the last one closed: null): PTZ, snapshots and recording use its id. */
  view(viewId: string | null): void;
}

export interface Timers {
  set(callback: () => void, ms: number): number;
  clear(handle: number | undefined): void;
}

const BROWSER_TIMERS: Timers = {
  set: (callback, ms) => window.setTimeout(callback, ms),
  clear: (handle) => window.clearTimeout(handle),
};

export const SESSION_CLOSE_CODE = 4401;
export const FORBIDDEN_CLOSE_CODE = 4403;
const SERVER_STATES: readonly string[] = ["connecting", "live", "no_signal", "failed"];

/** A text frame as a status, or null when it is not one. */
export function parseStatusFrame(text: string): StatusFrame | null {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return null;
  }
  if (typeof value !== "object" || value === null) return null;
  const f = value as Record<string, unknown>;
  if (f["type"] !== "status" || typeof f["state"] !== "string" || !SERVER_STATES.includes(f["state"])) return null;
  return {
    state: f["state"] as ServerState,
    reason: typeof f["reason"] === "string" ? f["reason"] : null,
    codec: typeof f["codec"] === "string" && f["codec"] ? f["codec"] : null,
  };
}

/** The answer to POST /api/cameras/{code}/views, or null when it is not one. */
export function readViewOpened(body: unknown): ViewOpened | null {
  if (typeof body !== "object" || body === null) return null;
  const f = body as Record<string, unknown>;
  if (typeof f["view_id"] !== "string" || !f["view_id"]) return null;
  return { viewId: f["view_id"], camera: typeof f["camera"] === "string" ? f["camera"] : "",
    startedAt: typeof f["started_at"] === "string" ? f["started_at"] : null };
}

export class LiveViewSession {
  private socket: SocketLike | null = null;
  private current: string | null = null;
  private attempt = 0;
  private running = false;
  private serverFailed = false;
  private timer: number | undefined;

  constructor(readonly camera: string, readonly reason: ViewReason, private readonly transport: ViewTransport,
    private readonly hooks: ViewHooks, private readonly timers: Timers = BROWSER_TIMERS,
    private readonly random: () => number = Math.random) {}

  get viewId(): string | null {
    return this.current;
  }

  start(): void {
    this.running = true;
    this.attempt = 0;
    this.timers.clear(this.timer);
    if (!this.socket && !this.current) void this.open();
  }

  /** Go on from a view the caller already opened (the reason dialog opens the first one itself). */
  startWith(opened: ViewOpened): void {
    this.running = true;
    this.attempt = 0;
    this.serverFailed = false;
    this.setView(opened.viewId);
    this.hooks.state("connecting", null);
    this.connect(opened.viewId);
  }

  /** The operator closes the tile: end the view on the server and close the socket. */
  async stop(): Promise<void> {
    this.running = false;
    this.timers.clear(this.timer);
    const socket = this.socket;
    const viewId = this.current;
    this.socket = null;
    this.setView(null);
    if (socket) {
      socket.onclose = null;
      socket.onmessage = null;
      socket.close(1000, "tile closed");
    }
    this.hooks.state("ended", null);
    if (viewId) await this.transport.end(viewId).catch(() => undefined);
  }

  private async open(): Promise<void> {
    this.hooks.state(this.attempt === 0 ? "opening" : "reconnecting", null);
    let opened: ViewOpened;
    try {
      opened = await this.transport.open(this.camera, this.reason);
    } catch (error) {
      this.openFailed(error);
      return;
    }
    if (!this.running) {
      await this.transport.end(opened.viewId).catch(() => undefined);
      return;
    }
    this.serverFailed = false;
    this.setView(opened.viewId);
    this.hooks.state("connecting", null);
    this.connect(opened.viewId);
  }

  private openFailed(error: unknown): void {
    const problem = error instanceof ApiError ? error : new ApiError(0, "network", "The Watchfloor server cannot be reached.");
    if (problem.status === 401) {
      this.running = false;
      this.hooks.state("ended", null);
    } else if (problem.status === 403) {
      this.running = false;
      this.hooks.state("refused", problem.message);
    } else if (problem.status === 404 || problem.status === 409 || problem.status === 422) {
      this.running = false;
      this.hooks.state("failed", describeError(problem));
    } else {
      this.scheduleReopen();
    }
  }

  private connect(viewId: string): void {
    let socket: SocketLike;
    try {
      socket = this.transport.connect(viewId);
    } catch {
      this.dropView();
      return;
    }
    socket.binaryType = "arraybuffer";
    this.socket = socket;
    socket.onmessage = (event) => this.onFrame(event.data);
    socket.onclose = (event) => this.onClose(socket, event.code, event.reason);
  }

  private onFrame(data: unknown): void {
    if (typeof data !== "string") {
      if (data instanceof ArrayBuffer) this.hooks.segment(data);
      return;
    }
    const frame = parseStatusFrame(data);
    if (!frame) return;
    this.hooks.status(frame);
    if (frame.state === "live") this.attempt = 0;
    if (frame.state === "failed") this.serverFailed = true;
    this.hooks.state(frame.state, frame.reason);
  }

  private onClose(socket: SocketLike, code: number, reason: string): void {
    if (socket !== this.socket) return;
    this.socket = null;
    if (!this.running) return;
    if (code === SESSION_CLOSE_CODE) {
      this.running = false;
      this.setView(null);
      this.hooks.state("ended", "The session ended.");
    } else if (code === FORBIDDEN_CLOSE_CODE) {
      this.running = false;
      this.setView(null);
      this.hooks.state("refused", reason || "Live view refused.");
    } else if (this.serverFailed) {
      this.running = false;
      this.setView(null);
    } else {
      this.dropView();
    }
  }

  /** The view is gone under us: say so on the server (best effort) and open a new one later. */
  private dropView(): void {
    const viewId = this.current;
    this.setView(null);
    if (viewId) void this.transport.end(viewId).catch(() => undefined);
    this.scheduleReopen();
  }

  private scheduleReopen(): void {
    if (!this.running) return;
    this.hooks.state("reconnecting", null);
    const delay = backoffDelayMs(this.attempt, this.random);
    this.attempt += 1;
    this.timers.clear(this.timer);
    this.timer = this.timers.set(() => {
      if (this.running && !this.socket) void this.open();
    }, delay);
  }

  private setView(viewId: string | null): void {
    if (this.current === viewId) return;
    this.current = viewId;
    this.hooks.view(viewId);
  }
}
