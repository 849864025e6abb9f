/**
 * Idle lock bookkeeping (AC-11): lock after the configured minutes without input; while the
 * operator is active, keep the server session alive with at most one ping a minute.
 */

export const KEEPALIVE_EVERY_MS = 60_000;

export class IdleClock {
  private lastInputMs: number;
  private lastKeepaliveMs: number;

  constructor(
    private idleLimitMs: number,
    nowMs: number,
  ) {
    this.lastInputMs = nowMs;
    this.lastKeepaliveMs = nowMs;
  }

  setLimitMinutes(minutes: number): void {
    this.idleLimitMs = Math.max(1, minutes) * 60_000;
  }

  /** The operator touched keyboard, pointer or wheel. */
  input(nowMs: number): void {
    this.lastInputMs = nowMs;
  }

  /** Start over (after logon or unlock). */
  reset(nowMs: number): void {
    this.lastInputMs = nowMs;
    this.lastKeepaliveMs = nowMs;
  }

  idleMs(nowMs: number): number {
    return Math.max(0, nowMs - this.lastInputMs);
  }

  shouldLock(nowMs: number): boolean {
    return this.idleMs(nowMs) >= this.idleLimitMs;
  }

  /**
   * True when a keep-alive is due: there was input since the last one and a minute has passed.
   * Calling it when it returns true records the keep-alive as sent.
   */
  takeKeepalive(nowMs: number): boolean {
    const activeSinceLast = this.lastInputMs > this.lastKeepaliveMs;
    if (!activeSinceLast || nowMs - this.lastKeepaliveMs < KEEPALIVE_EVERY_MS) return false;
    this.lastKeepaliveMs = nowMs;
    return true;
  }
}
