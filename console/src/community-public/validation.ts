/**
 * Checks the registration form before it is sent, with the same rules as the server
 * (domain/community/schemas.py), so most mistakes are explained at once beside the field.
 * The server checks again; its 422 problems land beside the same fields (see problems.ts).
 */

import { DIRECTION_DEGREES, DIRECTION_UNKNOWN } from "./camera-terms";
import type { CameraIn, RegistrationIn, SiteKind } from "./types";

// The server's patterns (schemas.py EMAIL and PHONE).
const EMAIL = /^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]{1,64}@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}$/;
const PHONE = /^\+?[0-9][0-9 ()./-]{4,28}[0-9]$/;
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f]/;

export const MESSAGES = {
  kind: "Choose whether this is a home or a business.",
  name: "Enter the business's name.",
  contactName: "Enter the name of the person we should contact.",
  email: "Enter an e-mail address (like name@example.org).",
  phone: "Enter a phone number (digits, spaces, + ( ) - allowed), or leave it empty.",
  address: "Type your address and choose it from the suggestions.",
  accepts: "Choose at least one kind of request you are willing to receive.",
  cameras: "Add at least one camera.",
  label: "Give this camera a short name (like “Front door”).",
  degrees: "Enter a direction from 0 to 359 degrees (0 = north, 90 = east).",
  range: "Enter a distance from 1 to 300 metres, or leave it empty.",
  covers: "Tick at least one thing this camera sees.",
  consent: "Please read the terms and tick the box to agree.",
  plain: "Use plain text on one line.",
} as const;

export interface Problem {
  /** The field's JSON pointer, as the server names it (/email, /cameras/0/label). */
  pointer: string;
  reason: string;
}

export interface CameraDraft {
  id?: string | undefined;
  label: string;
  direction: string;
  degrees: string;
  fov: string;
  range: string;
  covers: string[];
}

export interface RegistrationDraft {
  kind: string;
  name: string;
  contact_name: string;
  email: string;
  phone: string;
  address: string;
  lat: number | null;
  lon: number | null;
  retention_days: string;
  accepts: string[];
  contact_times: string;
  cameras: CameraDraft[];
  consent: boolean;
}

export interface Limits {
  maxCameras: number;
  maxRetentionDays: number;
}

type Check = (problem: string, pointer: string) => void;

function text(value: string, max: number, pointer: string, missing: string | null, fail: Check): string | null {
  const trimmed = value.trim();
  if (trimmed === "") {
    if (missing !== null) fail(missing, pointer);
    return null;
  }
  if (trimmed.length > max) fail(`Use at most ${max} characters.`, pointer);
  else if (CONTROL.test(trimmed)) fail(MESSAGES.plain, pointer);
  return trimmed;
}

function wholeNumber(value: string): number | null {
  const trimmed = value.trim();
  return /^\d+$/.test(trimmed) ? Number(trimmed) : null;
}

function numberOrNull(value: string): number | null {
  const trimmed = value.trim().replace(",", ".");
  if (trimmed === "") return null;
  const parsed = Number(trimmed);
  return Number.isFinite(parsed) ? parsed : Number.NaN;
}

function bearingOf(camera: CameraDraft, at: string, fail: Check): number | null {
  if (camera.direction === DIRECTION_UNKNOWN) return null;
  const raw = camera.direction === DIRECTION_DEGREES ? camera.degrees : camera.direction;
  const bearing = numberOrNull(raw);
  if (bearing === null || Number.isNaN(bearing) || bearing < 0 || bearing >= 360) {
    fail(MESSAGES.degrees, `${at}/bearing`);
    return null;
  }
  return bearing;
}

function cameraOf(camera: CameraDraft, index: number, fail: Check): CameraIn {
  const at = `/cameras/${index}`;
  const label = text(camera.label, 100, `${at}/label`, MESSAGES.label, fail) ?? "";
  const range = numberOrNull(camera.range);
  if (range !== null && (Number.isNaN(range) || range < 1 || range > 300)) fail(MESSAGES.range, `${at}/range_m`);
  if (camera.covers.length === 0) fail(MESSAGES.covers, `${at}/covers`);
  const fov = numberOrNull(camera.fov);
  return {
    ...(camera.id ? { id: camera.id } : {}),
    label,
    lat: null,
    lon: null,
    bearing: bearingOf(camera, at, fail),
    fov_angle: fov === null || Number.isNaN(fov) ? null : fov,
    range_m: range === null || Number.isNaN(range) ? null : range,
    covers: [...new Set(camera.covers)],
  };
}

/** The problem with an e-mail address (the server's rule), or null. */
export function checkEmail(email: string): string | null {
  return email.length > 254 || !EMAIL.test(email) ? MESSAGES.email : null;
}

function contactOf(draft: RegistrationDraft, fail: Check): Pick<RegistrationIn, "kind" | "name" | "contact_name" | "email" | "phone"> {
  if (draft.kind !== "residence" && draft.kind !== "business") fail(MESSAGES.kind, "/kind");
  const business = draft.kind === "business";
  const name = text(draft.name, 200, "/name", business ? MESSAGES.name : null, fail);
  const contactName = text(draft.contact_name, 200, "/contact_name", MESSAGES.contactName, fail) ?? "";
  const email = draft.email.trim();
  const emailProblem = checkEmail(email);
  if (emailProblem) fail(emailProblem, "/email");
  const phone = draft.phone.trim();
  const digits = phone.replace(/\D/g, "").length;
  if (phone !== "" && (phone.length > 40 || !PHONE.test(phone) || digits < 6)) fail(MESSAGES.phone, "/phone");
  return { kind: draft.kind as SiteKind, name: business ? name : null, contact_name: contactName, email, phone: phone === "" ? null : phone };
}

/** The problems with a draft (empty when it may be sent) and the body to send. */
export function checkRegistration(draft: RegistrationDraft, limits: Limits, needConsent: boolean): { problems: Problem[]; body: RegistrationIn } {
  const problems: Problem[] = [];
  const fail: Check = (reason, pointer) => {
    if (!problems.some((p) => p.pointer === pointer)) problems.push({ pointer, reason });
  };
  const contact = contactOf(draft, fail);
  const address = text(draft.address, 300, "/address", MESSAGES.address, fail) ?? "";
  if (address !== "" && (draft.lat === null || draft.lon === null)) fail(MESSAGES.address, "/address");
  const retention = wholeNumber(draft.retention_days);
  if (retention === null || retention < 1 || retention > limits.maxRetentionDays) {
    fail(`Enter how many days your system keeps recordings, from 1 to ${limits.maxRetentionDays}.`, "/retention_days");
  }
  if (draft.accepts.length === 0) fail(MESSAGES.accepts, "/accepts");
  const contactTimes = text(draft.contact_times, 300, "/contact_times", null, fail);
  if (draft.cameras.length === 0) fail(MESSAGES.cameras, "/cameras");
  if (draft.cameras.length > limits.maxCameras) fail(`You can register at most ${limits.maxCameras} cameras.`, "/cameras");
  const cameras = draft.cameras.map((camera, index) => cameraOf(camera, index, fail));
  if (needConsent && !draft.consent) fail(MESSAGES.consent, "/consent");
  const body: RegistrationIn = {
    ...contact,
    address,
    lat: draft.lat ?? 0,
    lon: draft.lon ?? 0,
    retention_days: retention ?? 0,
    accepts: [...new Set(draft.accepts)],
    contact_times: contactTimes,
    cameras,
    consent: draft.consent,
  };
  return { problems, body };
}
