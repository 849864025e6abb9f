import { describe, expect, it } from "vitest";
import { layoutFor } from "../video/video-grid";
import { parseLiveMessage } from "./messages";

describe("camera status on the live channel", () => {
  it("reads a camera_status message, flat or with the camera nested", () => {
    expect(parseLiveMessage('{"type":"camera_status","seq":7,"code":"CAM-1","status":"offline","problems":["unreachable"],"sent_at_ms":1}'))
      .toEqual({ type: "camera_status", seq: 7, code: "CAM-1", status: "offline", problems: ["unreachable"], checked_at: null, sent_at_ms: 1 });
    const nested = parseLiveMessage('{"type":"camera_status","seq":8,"camera":{"code":"CAM-2","status":"ok","problems":[]}}');
    expect(nested?.type === "camera_status" && nested.code).toBe("CAM-2");
    expect(parseLiveMessage('{"type":"camera_status","seq":9}')).toBeNull();
  });
});

describe("the video grid's layout", () => {
  it("grows to hold the tiles and never shrinks on its own", () => {
    expect(layoutFor(1, 1)).toBe(1);
    expect(layoutFor(2, 1)).toBe(4);
    expect(layoutFor(5, 4)).toBe(9);
    expect(layoutFor(1, 9)).toBe(9);
    expect(layoutFor(12, 9)).toBe(9);
  });
});
