import { describe, expect, it } from "vitest";
import { describeBearing, directionOf, fieldOfViewOf } from "./camera-terms";
import { placeProblems, plainReason, slotOf } from "./problems";
import { checkRegistration, MESSAGES, type CameraDraft, type RegistrationDraft } from "./validation";

const LIMITS = { maxCameras: 3, maxRetentionDays: 365 };

function camera(over: Partial<CameraDraft> = {}): CameraDraft {
  return { label: "Front door", direction: "90", degrees: "", fov: "90", range: "", covers: ["street"], ...over };
}

function draft(over: Partial<RegistrationDraft> = {}): RegistrationDraft {
  return {
    kind: "residence", name: "", contact_name: "Aino Virtanen", email: "aino@example.org", phone: "+358 40 123 4567",
    address: "Aleksanterinkatu 5", lat: 60.169, lon: 24.95, retention_days: "14", accepts: ["property_crime"],
    contact_times: "", cameras: [camera()], consent: true, ...over,
  };
}

function reasons(d: RegistrationDraft, consent = true): Record<string, string> {
  return Object.fromEntries(checkRegistration(d, LIMITS, consent).problems.map((p) => [p.pointer, p.reason]));
}

describe("checkRegistration", () => {
  it("accepts a complete draft and builds the body the server takes", () => {
    const { problems, body } = checkRegistration(draft({ contact_times: " evenings " }), LIMITS, true);
    expect(problems).toEqual([]);
    expect(body).toEqual({
      kind: "residence", name: null, contact_name: "Aino Virtanen", email: "aino@example.org", phone: "+358 40 123 4567",
      address: "Aleksanterinkatu 5", lat: 60.169, lon: 24.95, retention_days: 14, accepts: ["property_crime"],
      contact_times: "evenings", consent: true,
      cameras: [{ label: "Front door", lat: null, lon: null, bearing: 90, fov_angle: 90, range_m: null, covers: ["street"] }],
    });
  });

  it("names every wrong field with the server's pointer", () => {
    const bad = draft({
      kind: "business", name: " ", contact_name: "", email: "aino@", phone: "12", address: "Somewhere", lat: null,
      retention_days: "0", accepts: [], consent: false,
      cameras: [camera({ label: "", direction: "degrees", degrees: "400", range: "900", covers: [] })],
    });
    expect(reasons(bad)).toEqual({
      "/name": MESSAGES.name,
      "/contact_name": MESSAGES.contactName,
      "/email": MESSAGES.email,
      "/phone": MESSAGES.phone,
      "/address": MESSAGES.address,
      "/retention_days": "Enter how many days your system keeps recordings, from 1 to 365.",
      "/accepts": MESSAGES.accepts,
      "/cameras/0/label": MESSAGES.label,
      "/cameras/0/range_m": MESSAGES.range,
      "/cameras/0/covers": MESSAGES.covers,
      "/cameras/0/bearing": MESSAGES.degrees,
      "/consent": MESSAGES.consent,
    });
  });

  it("keeps the owner's business name only for a business", () => {
    expect(checkRegistration(draft({ kind: "business", name: "Kahvila Oy" }), LIMITS, true).body.name).toBe("Kahvila Oy");
    expect(checkRegistration(draft({ kind: "residence", name: "ignored" }), LIMITS, true).body.name).toBeNull();
  });

  it("limits cameras and retention to what the server allows", () => {
    const many = draft({ cameras: [camera(), camera(), camera(), camera()], retention_days: "366" });
    expect(reasons(many)["/cameras"]).toBe("You can register at most 3 cameras.");
    expect(reasons(many)["/retention_days"]).toContain("from 1 to 365");
    expect(reasons(draft({ cameras: [] }))["/cameras"]).toBe(MESSAGES.cameras);
    expect(reasons(draft({ retention_days: "2.5" }))["/retention_days"]).toBeDefined();
  });

  it("reads directions in degrees, and none when not sure", () => {
    const body = (c: CameraDraft) => checkRegistration(draft({ cameras: [c] }), LIMITS, true).body.cameras[0];
    expect(body(camera({ direction: "degrees", degrees: "212,5" }))?.bearing).toBe(212.5);
    expect(body(camera({ direction: "", fov: "" }))).toMatchObject({ bearing: null, fov_angle: null });
    expect(reasons(draft({ cameras: [camera({ direction: "degrees", degrees: "360" })] }))["/cameras/0/bearing"]).toBe(MESSAGES.degrees);
  });

  it("refuses text the server refuses: over-long, or with control characters", () => {
    expect(reasons(draft({ contact_name: "x".repeat(201) }))["/contact_name"]).toBe("Use at most 200 characters.");
    expect(reasons(draft({ contact_times: "mornings\u0007" }))["/contact_times"]).toBe(MESSAGES.plain);
  });

  it("asks for consent only on a new registration", () => {
    expect(reasons(draft({ consent: false }), false)).toEqual({});
  });

  it("accepts the e-mail and phone shapes the server accepts", () => {
    expect(reasons(draft({ email: "first.last+cams@kahvila.example.fi", phone: "" }))).toEqual({});
    expect(reasons(draft({ email: "a b@example.org" }))["/email"]).toBe(MESSAGES.email);
    expect(reasons(draft({ phone: "040-1234567" }))).toEqual({});
    expect(reasons(draft({ phone: "call me" }))["/phone"]).toBe(MESSAGES.phone);
  });
});

describe("server problems beside their fields", () => {
  const slots = new Set(["email", "address", "cameras-0-covers", "cameras-1-label", "consent"]);

  it("maps pointers to slots", () => {
    expect(slotOf("/cameras/1/label")).toBe("cameras-1-label");
    expect(slotOf("/lat")).toBe("address");
    expect(slotOf("")).toBe("");
  });

  it("places problems, falling back to the enclosing field, else the summary", () => {
    const placed = placeProblems([
      { pointer: "/email", reason: "Value error, is not an e-mail address (like name@example.org)" },
      { pointer: "/lon", reason: "The pin is more than 150 m from the address." },
      { pointer: "/cameras/0/covers/1", reason: "Input should be 'street', 'sidewalk' or 'other'" },
      { pointer: "/cameras/1/label", reason: "String should have at least 1 character" },
      { pointer: "/nickname", reason: "Extra inputs are not permitted" },
      { pointer: "", reason: "too many attempts" },
    ], slots);
    expect(Object.fromEntries(placed.bySlot)).toEqual({
      email: "This is not an e-mail address (like name@example.org).",
      address: "The pin is more than 150 m from the address.",
      "cameras-0-covers": "Choose one of the options.",
      "cameras-1-label": "Please fill this in.",
    });
    expect(placed.unplaced).toEqual(["The page sent something unexpected; reload it and try again.", "Too many attempts."]);
  });

  it("turns framework wording into plain words", () => {
    expect(plainReason("Field required")).toBe("Please fill this in.");
    expect(plainReason("Input should be less than or equal to 365")).toBe("Enter 365 or less.");
    expect(plainReason("List should have at least 1 item after validation, not 0")).toBe("Choose at least one.");
    expect(plainReason("String should have at most 100 characters")).toBe("Use at most 100 characters.");
  });
});

describe("camera terms", () => {
  it("maps bearings to the compass select and back", () => {
    expect(directionOf(null)).toEqual({ direction: "", degrees: "" });
    expect(directionOf(90)).toEqual({ direction: "90", degrees: "" });
    expect(directionOf(100)).toEqual({ direction: "degrees", degrees: "100" });
    expect(describeBearing(100)).toBe("East (100°)");
    expect(describeBearing(315)).toBe("North-west");
    expect(describeBearing(350)).toBe("North (350°)");
  });

  it("picks the nearest offered field of view", () => {
    expect(fieldOfViewOf(null)).toBe("");
    expect(fieldOfViewOf(100)).toBe("90");
    expect(fieldOfViewOf(170)).toBe("180");
    expect(fieldOfViewOf(360)).toBe("360");
  });
});
