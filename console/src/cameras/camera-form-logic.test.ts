import { describe, expect, it } from "vitest";
import type { CameraOut } from "../api/types";
import { cameraBody, filterCameras, formProblemsFrom, valuesOf } from "./camera-form-logic";

const CAMERA = {
  id: 1, code: "CAM-7", name: "Market square north", kind: "city", owner: "City of Helsinki", agreement: null,
  lat: 60.1675, lon: 24.9525, location_note: "pole 14", mount_height_m: 6, bearing: 180, fov_angle: 70, fov_range_m: 120,
  ptz: true, ptz_range_m: 300, has_stream: true, stream_count: 2, has_onvif: true, recording_source: "VMS-1",
  access_level: "live", status: "active", labels: ["market", "night"], maintenance_contact: "ops@example.test",
  external_ref: null, mobile: false, last_lat: null, last_lon: null, last_position_at: null,
  created_at: "2026-11-21T12:00:00Z", updated_at: "2026-11-21T12:00:00Z", retired_at: null,
} as CameraOut;

describe("the camera form", () => {
  it("prefills from the camera but never with addresses the browser does not have", () => {
    const values = valuesOf(CAMERA);
    expect(values.text.name).toBe("Market square north");
    expect(values.numbers.bearing).toBe("180");
    expect(values.labels).toBe("market, night");
    expect(values.stream_urls).toBe("");
    expect(values.onvif_url).toBe("");
  });

  it("leaves the stream and ONVIF addresses out of a patch unless new ones are typed", () => {
    const values = valuesOf(CAMERA);
    const kept = cameraBody(values, false);
    expect("body" in kept && !("stream_urls" in kept.body) && !("onvif_url" in kept.body)).toBe(true);
    const changed = cameraBody({ ...values, stream_urls: " rtsp://viewer:secret@10.0.0.7/live \n\n rtsp://10.0.0.7/sub ",
      onvif_url: "http://admin:pw@10.0.0.7:8080" }, false);
    if (!("body" in changed)) throw new Error("refused");
    expect(changed.body.stream_urls).toEqual(["rtsp://viewer:secret@10.0.0.7/live", "rtsp://10.0.0.7/sub"]);
    expect(changed.body.onvif_url).toBe("http://admin:pw@10.0.0.7:8080");
    expect("code" in changed.body).toBe(false);
  });

  it("turns numbers and empty fields into numbers and nulls, and names what is not a number", () => {
    const values = valuesOf(null);
    values.code = "NEW-1";
    values.text.name = "New";
    values.text.owner = "Transit";
    values.numbers.lat = "60,17";
    values.numbers.bearing = "";
    const made = cameraBody(values, true);
    if (!("body" in made)) throw new Error("refused");
    expect(made.body.lat).toBe(60.17);
    expect(made.body.bearing).toBeNull();
    expect((made.body as { code?: string }).code).toBe("NEW-1");
    values.numbers.fov_angle = "wide";
    expect(cameraBody(values, true)).toEqual({ problems: { fov_angle: "Enter a number." } });
  });

  it("needs code, name and owner to create", () => {
    expect(cameraBody(valuesOf(null), true)).toEqual({ problems: {
      code: "Give the camera a code.", name: "Give the camera a name.", owner: "Say who owns the camera." } });
  });

  it("puts the server's problems beside their fields", () => {
    const fields = new Set(["stream_urls", "lat"]);
    expect(formProblemsFrom([
      { pointer: "/stream_urls/0", reason: "must be an rtsp(s) address" },
      { pointer: "/lat", reason: "less than or equal to 90" },
      { pointer: "", reason: "code already used" },
    ], fields)).toEqual({ stream_urls: "must be an rtsp(s) address", lat: "less than or equal to 90", form: "code already used" });
  });

  it("finds cameras by every word typed", () => {
    const other = { ...CAMERA, code: "TR-2", name: "Ring road", kind: "traffic", labels: [] } as CameraOut;
    expect(filterCameras([CAMERA, other], "market night").map((c) => c.code)).toEqual(["CAM-7"]);
    expect(filterCameras([CAMERA, other], "TRAFFIC").map((c) => c.code)).toEqual(["TR-2"]);
    expect(filterCameras([CAMERA, other], " ")).toHaveLength(2);
  });
});
