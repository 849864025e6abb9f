/**
 * Watches for operator input; locks the console after the configured idle minutes and, while
 * the operator is active, pings GET /api/auth/me at most once a minute so the server session
 * does not lock under them.
 */

import { api, unwrap } from "../api/client";
import { IdleClock } from "../core/idle";

const INPUT_EVENTS = ["keydown", "pointerdown", "wheel"] as const;

export class IdleWatch {
  private readonly clock: IdleClock;
  private timer: number | undefined;
  private paused = false;
  private readonly onInput = (): void => this.clock.input(Date.now());

  constructor(idleLockMinutes: number, private readonly lock: () => void) {
    this.clock = new IdleClock(Math.max(1, idleLockMinutes) * 60_000, Date.now());
  }

  start(): void {
    for (const name of INPUT_EVENTS) window.addEventListener(name, this.onInput, { capture: true, passive: true });
    this.timer = window.setInterval(() => this.check(), 1000);
  }

  stop(): void {
    for (const name of INPUT_EVENTS) window.removeEventListener(name, this.onInput, { capture: true });
    window.clearInterval(this.timer);
  }

  /** While the lock screen is up, nothing counts. */
  pause(): void {
    this.paused = true;
  }

  resume(): void {
    this.paused = false;
    this.clock.reset(Date.now());
  }

  setLimitMinutes(minutes: number): void {
    this.clock.setLimitMinutes(minutes);
  }

  private check(): void {
    if (this.paused) return;
    const now = Date.now();
    if (this.clock.shouldLock(now)) {
      this.paused = true;
      this.lock();
      return;
    }
    if (this.clock.takeKeepalive(now)) void unwrap(api.GET("/api/auth/me")).catch(() => undefined);
  }
}
