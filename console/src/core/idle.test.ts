import { describe, expect, it } from "vitest";
import { IdleClock, KEEPALIVE_EVERY_MS } from "./idle";

const MINUTE = 60_000;

describe("idle lock clock", () => {
  it("locks only after the limit passes without input", () => {
    const clock = new IdleClock(30 * MINUTE, 0);
    expect(clock.shouldLock(29 * MINUTE)).toBe(false);
    clock.input(29 * MINUTE);
    expect(clock.shouldLock(30 * MINUTE)).toBe(false);
    expect(clock.shouldLock(58 * MINUTE)).toBe(false);
    expect(clock.shouldLock(59 * MINUTE)).toBe(true);
  });

  it("takes a new limit and starts over on reset", () => {
    const clock = new IdleClock(30 * MINUTE, 0);
    clock.setLimitMinutes(5);
    expect(clock.shouldLock(5 * MINUTE)).toBe(true);
    clock.reset(5 * MINUTE);
    expect(clock.shouldLock(9 * MINUTE)).toBe(false);
    expect(clock.idleMs(9 * MINUTE)).toBe(4 * MINUTE);
  });

  it("keeps the server session alive at most once a minute, and only for an active operator", () => {
    const clock = new IdleClock(30 * MINUTE, 0);
    expect(clock.takeKeepalive(2 * MINUTE)).toBe(false); // no input yet
    clock.input(10_000);
    expect(clock.takeKeepalive(30_000)).toBe(false); // too soon
    expect(clock.takeKeepalive(KEEPALIVE_EVERY_MS)).toBe(true);
    clock.input(KEEPALIVE_EVERY_MS + 1000);
    expect(clock.takeKeepalive(KEEPALIVE_EVERY_MS + 2000)).toBe(false); // a minute has not passed
    expect(clock.takeKeepalive(2 * KEEPALIVE_EVERY_MS)).toBe(true);
    expect(clock.takeKeepalive(4 * KEEPALIVE_EVERY_MS)).toBe(false); // idle since: no ping
  });
});
