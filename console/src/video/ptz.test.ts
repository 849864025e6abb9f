import { describe, expect, it } from "vitest";
import { directionForKey, PtzPad, velocityOf, type PtzVelocity } from "./ptz";

function recorder() {
  const calls: string[] = [];
  const sender = {
    move: (v: PtzVelocity) => {
      calls.push(`move ${v.pan} ${v.tilt} ${v.zoom}`);
      return Promise.resolve();
    },
    stop: () => {
      calls.push("stop");
      return Promise.resolve();
    },
  };
  return { calls, pad: new PtzPad(sender) };
}

describe("the PTZ pad", () => {
  it("moves while a direction is held and stops on release", () => {
    const { calls, pad } = recorder();
    pad.press("left");
    expect(pad.moving).toBe("left");
    pad.release("left");
    expect(calls).toEqual(["move -0.5 0 0", "stop"]);
    expect(pad.moving).toBeNull();
  });

  it("sends one move for a held key's auto-repeat and no stop when nothing moves", () => {
    const { calls, pad } = recorder();
    pad.release();
    pad.press("up");
    pad.press("up");
    pad.press("up");
    pad.release("down");
    expect(calls).toEqual(["move 0 0.5 0"]);
    pad.release();
    pad.release();
    expect(calls).toEqual(["move 0 0.5 0", "stop"]);
  });

  it("switches direction without a stop in between", () => {
    const { calls, pad } = recorder();
    pad.press("right");
    pad.press("zoom-in");
    pad.release("zoom-in");
    expect(calls).toEqual(["move 0.5 0 0", "move 0 0 0.5", "stop"]);
  });

  it("reports a failed call", async () => {
    const failures: unknown[] = [];
    const pad = new PtzPad({ move: () => Promise.reject(new Error("403")), stop: () => Promise.resolve() }, (e) => failures.push(e));
    pad.press("down");
    await Promise.resolve();
    expect(failures).toHaveLength(1);
  });

  it("maps arrows and +/- to directions, and directions to velocities in [-1, 1]", () => {
    expect(directionForKey("ArrowUp")).toBe("up");
    expect(directionForKey("ArrowLeft")).toBe("left");
    expect(directionForKey("+")).toBe("zoom-in");
    expect(directionForKey("-")).toBe("zoom-out");
    expect(directionForKey("x")).toBeNull();
    expect(velocityOf("down", 1)).toEqual({ pan: 0, tilt: -1, zoom: 0 });
    expect(velocityOf("zoom-out")).toEqual({ pan: 0, tilt: 0, zoom: -0.5 });
  });
});
