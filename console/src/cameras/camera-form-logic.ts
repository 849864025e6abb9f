/** The camera form's values as a request body (create or patch), the list search, and server problems by field. */

import type { Problem } from "../api/errors";
import type { CameraIn, CameraOut, CameraPatch } from "../api/types";
import type { FormProblems } from "../ui/form-problems";

export const KINDS = ["city", "traffic", "transit", "school", "business", "body_worn", "in_car", "drone", "trailer", "plate_reader"] as const;
export const ACCESS_LEVELS = ["live", "recorded_only", "request_only"] as const;
export const STATUSES = ["active", "degraded", "offline", "planned", "unverified", "retired"] as const;

export const TEXT_FIELDS = ["name", "owner", "agreement", "location_note", "recording_source", "maintenance_contact", "external_ref"] as const;
export const NUMBER_FIELDS = ["lat", "lon", "mount_height_m", "bearing", "fov_angle", "fov_range_m", "ptz_range_m"] as const;
type TextField = (typeof TEXT_FIELDS)[number];
type NumberField = (typeof NUMBER_FIELDS)[number];

/** Everything the form holds, as typed (strings), plus the write-only secrets. */
export interface CameraFormValues {
  code: string;
  kind: string;
  access_level: string;
  status: string;
  ptz: boolean;
  labels: string;
  text: Record<TextField, string>;
  numbers: Record<NumberField, string>;
  /** One address per line; empty keeps what is on file (edit) or stores none (create). */
  stream_urls: string;
  onvif_url: string;
}

export type { FormProblems };

/** The form prefilled from a camera — never its stream or ONVIF addresses, which the browser never has. */
export function valuesOf(camera: CameraOut | null): CameraFormValues {
  const text = Object.fromEntries(TEXT_FIELDS.map((f) => [f, camera?.[f] ?? ""])) as Record<TextField, string>;
  const numbers = Object.fromEntries(NUMBER_FIELDS.map((f) => {
    const value = camera?.[f];
    return [f, typeof value === "number" ? String(value) : ""];
  })) as Record<NumberField, string>;
  return { code: camera?.code ?? "", kind: camera?.kind ?? "city", access_level: camera?.access_level ?? "recorded_only",
    status: camera?.status ?? "active", ptz: camera?.ptz ?? false, labels: (camera?.labels ?? []).join(", "),
    text, numbers, stream_urls: "", onvif_url: "" };
}

function numberOf(raw: string): number | null | "bad" {
  const text = raw.trim().replace(",", ".");
  if (!text) return null;
  const value = Number(text);
  return Number.isFinite(value) ? value : "bad";
}

/** The body for POST (create) or PATCH (edit), or the fields the browser can already tell are wrong. */
export function cameraBody(values: CameraFormValues, creating: boolean):
  { body: CameraIn | CameraPatch } | { problems: FormProblems } {
  const problems: FormProblems = {};
  const body: Record<string, unknown> = { kind: values.kind, access_level: values.access_level, status: values.status, ptz: values.ptz };
  for (const f of TEXT_FIELDS) body[f] = values.text[f].trim() || null;
  for (const f of NUMBER_FIELDS) {
    const value = numberOf(values.numbers[f]);
    if (value === "bad") problems[f] = "Enter a number.";
    else body[f] = value;
  }
  body["labels"] = values.labels.split(",").map((l) => l.trim()).filter(Boolean);
  const streams = values.stream_urls.split("\n").map((s) => s.trim()).filter(Boolean);
  if (streams.length) body["stream_urls"] = streams;
  if (values.onvif_url.trim()) body["onvif_url"] = values.onvif_url.trim();
  if (creating) {
    if (!values.code.trim()) problems["code"] = "Give the camera a code.";
    body["code"] = values.code.trim();
  }
  if (!body["name"] && creating) problems["name"] = "Give the camera a name.";
  if (!body["owner"] && creating) problems["owner"] = "Say who owns the camera.";
  if (!creating) {
    if (!body["name"]) delete body["name"];
    if (!body["owner"]) delete body["owner"];
  }
  if (Object.keys(problems).length) return { problems };
  return { body: body as CameraIn | CameraPatch };
}

/** The server's problems ("/stream_urls/0", "/lat") by form field; anything else under "form". */
export function formProblemsFrom(problems: readonly Problem[], fields: ReadonlySet<string>): FormProblems {
  const out: FormProblems = {};
  for (const p of problems) {
    const first = p.pointer.split("/").filter(Boolean)[0] ?? "";
    const field = fields.has(first) ? first : "form";
    out[field] = out[field] ? `${out[field]} ${p.reason}` : p.reason;
  }
  return out;
}

export interface Searchable {
  code: string;
  name: string;
  kind: string;
  owner: string;
  labels: readonly string[];
  location_note?: string | null;
}

/** Cameras whose code, name, kind, owner, place or labels hold every word of the query. */
export function filterCameras<T extends Searchable>(cameras: readonly T[], query: string): T[] {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  if (!words.length) return [...cameras];
  return cameras.filter((c) => {
    const hay = [c.code, c.name, c.kind, c.owner, c.location_note ?? "", ...c.labels].join(" ").toLowerCase();
    return words.every((w) => hay.includes(w));
  });
}
