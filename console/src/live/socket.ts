/**
 * The live channel: one WebSocket to /api/live, reconnecting with backoff and since/epoch so
 * missed events are replayed; a 40 s silence means the connection is dead; close code 4401
 * means the session is locked or gone.
 */

import { backoffDelayMs } from "../core/backoff";
import type { AuthFailure } from "../api/errors";
import { parseLiveMessage, type LiveMessage } from "./messages";
import { connectQuery, type LiveSync } from "./sync";

export type LiveState = "connecting" | "live" | "reconnecting" | "offline";

export const SILENCE_LIMIT_MS = 40_000;
export const SESSION_CLOSE_CODE = 4401;
/** The server refuses this console for good (wrong role, foreign origin): do not hammer it. */
export const FORBIDDEN_CLOSE_CODE = 4403;

export interface LiveSocketHooks {
  stateChanged(state: LiveState): void;
  /** Every parsed message, after the sync bookkeeping (for clocks and the last-event age). */
  received(message: LiveMessage, receivedAtMs: number): void;
  sessionEnded(failure: AuthFailure): void;
  /** A connection closed before its hello: maybe the session is gone (check it over REST). */
  connectFailed(): void;
}

/** What a close code and reason mean for the session (null: just reconnect). */
export function sessionFailureOfClose(code: number, reason: string): AuthFailure | null {
  if (code !== SESSION_CLOSE_CODE) return null;
  return reason === "session_locked" ? "locked" : "logged-off";
}

export class LiveSocket {
  private socket: WebSocket | null = null;
  private greeted = false;
  private state: LiveState = "offline";
  private attempt = 0;
  private everLive = false;
  private running = false;
  private retryTimer: number | undefined;
  private silenceTimer: number | undefined;

  constructor(private readonly sync: LiveSync, private readonly hooks: LiveSocketHooks, private readonly path = "/api/live") {}

  get current(): LiveState {
    return this.state;
  }

  /** Connect (or reconnect at once after a pause), catching up from the last applied seq. */
  start(): void {
    this.running = true;
    window.clearTimeout(this.retryTimer);
    if (this.socket) return;
    this.open();
  }

  /** Stop on purpose (lock, logoff): no reconnect until start(). */
  stop(): void {
    this.running = false;
    window.clearTimeout(this.retryTimer);
    window.clearTimeout(this.silenceTimer);
    const socket = this.socket;
    this.socket = null;
    if (socket) {
      socket.onclose = null;
      socket.close(1000, "console paused");
    }
    this.setState("offline");
  }

  private url(): string {
    const scheme = location.protocol === "https:" ? "wss:" : "ws:";
    return `${scheme}//${location.host}${this.path}${connectQuery(this.sync.cursor)}`;
  }

  private open(): void {
    this.setState(this.everLive ? "reconnecting" : "connecting");
    let socket: WebSocket;
    try {
      socket = new WebSocket(this.url());
    } catch {
      this.scheduleRetry();
      return;
    }
    this.socket = socket;
    this.greeted = false;
    socket.onmessage = (event) => this.onFrame(event);
    socket.onclose = (event) => this.onClose(socket, event);
    this.armSilenceTimer();
  }

  private onFrame(event: MessageEvent): void {
    const receivedAt = Date.now();
    this.armSilenceTimer();
    if (typeof event.data !== "string") return;
    const message = parseLiveMessage(event.data);
    if (message === null) return;
    if (message.type === "hello") {
      this.attempt = 0;
      this.everLive = true;
      this.greeted = true;
      this.setState("live");
      this.sync.onHello(message);
    } else if (message.type === "resync") {
      this.sync.onResync(message);
    } else if (message.type !== "ping") {
      if (message.type === "incident") message.received_at_ms = receivedAt;
      this.sync.onEvent(message);
    }
    this.hooks.received(message, receivedAt);
  }

  private onClose(socket: WebSocket, event: CloseEvent): void {
    if (socket !== this.socket) return;
    this.socket = null;
    window.clearTimeout(this.silenceTimer);
    const failure = sessionFailureOfClose(event.code, event.reason);
    if (failure) {
      this.running = false;
      this.setState("offline");
      this.hooks.sessionEnded(failure);
      return;
    }
    if (!this.running || event.code === FORBIDDEN_CLOSE_CODE) {
      this.running = false;
      this.setState("offline");
      return;
    }
    if (!this.greeted) this.hooks.connectFailed();
    this.scheduleRetry();
  }

  /** The browser is back online: retry now instead of waiting out the backoff. */
  nudge(): void {
    if (!this.running || this.socket) return;
    this.attempt = 0;
    window.clearTimeout(this.retryTimer);
    this.open();
  }

  private scheduleRetry(): void {
    if (!this.running) return;
    this.setState(this.everLive ? "reconnecting" : "connecting");
    const delay = backoffDelayMs(this.attempt);
    this.attempt += 1;
    window.clearTimeout(this.retryTimer);
    this.retryTimer = window.setTimeout(() => {
      if (this.running && !this.socket) this.open();
    }, delay);
  }

  /** Nothing for 40 s (pings come every ~15 s): the link is dead even if TCP has not noticed. */
  private armSilenceTimer(): void {
    window.clearTimeout(this.silenceTimer);
    this.silenceTimer = window.setTimeout(() => {
      const socket = this.socket;
      if (!socket) return;
      this.socket = null;
      socket.onclose = null;
      socket.close(4000, "silent too long");
      this.scheduleRetry();
    }, SILENCE_LIMIT_MS);
  }

  private setState(state: LiveState): void {
    if (this.state === state) return;
    this.state = state;
    this.hooks.stateChanged(state);
  }
}
