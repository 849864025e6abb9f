import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { CoalescedUpdate } from "./coalesce";

describe("CoalescedUpdate", () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it("turns a burst of requests into one update after the interval", () => {
    const apply = vi.fn();
    const update = new CoalescedUpdate(apply, 400);
    for (let i = 0; i < 25; i++) update.request();
    expect(apply).not.toHaveBeenCalled();
    vi.advanceTimersByTime(399);
    expect(apply).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(apply).toHaveBeenCalledTimes(1);
  });

  it("updates again for requests after the last update", () => {
    const apply = vi.fn();
    const update = new CoalescedUpdate(apply, 100);
    update.request();
    vi.advanceTimersByTime(100);
    update.request();
    vi.advanceTimersByTime(100);
    expect(apply).toHaveBeenCalledTimes(2);
  });

  it("drops a pending update when cancelled", () => {
    const apply = vi.fn();
    const update = new CoalescedUpdate(apply, 100);
    update.request();
    update.cancel();
    vi.advanceTimersByTime(1000);
    expect(apply).not.toHaveBeenCalled();
  });
});
