/** The live channel's messages (server → console), parsed defensively. */

import type { QueueRow } from "../api/types";

export type IncidentKind = "incident.created" | "incident.updated" | "incident.claimed" | "incident.released";

export interface HelloMessage {
  type: "hello";
  epoch: string;
  seq: number;
  server_time: string;
}

export interface ResyncMessage {
  type: "resync";
  epoch: string;
  seq: number;
}

export interface IncidentMessage {
  type: "incident";
  seq: number;
  kind: IncidentKind | string;
  incident_id: string;
  row: QueueRow | null;
  sent_at_ms: number;
  /** Set by the console when the frame arrived (Date.now()). */
  received_at_ms?: number;
}

export interface NoteMessage {
  type: "note";
  seq: number;
  incident_id: string;
  note_id: string;
  author: string;
  sent_at_ms: number;
}

export interface PingMessage {
  type: "ping";
  seq: number;
  server_time: string;
}

/** A plate alert as the live channel carries it: the summary only (the entry and images stay on the audited path). */
export interface PlateAlertLive {
  alert_id: string;
  plate: string;
  reason_code: string;
  severity: string;
  match_kind: string;
  status: string;
  stale: boolean;
  reader_code: string;
  lat: number | null;
  lon: number | null;
  heading: number | null;
}

export interface PlateAlertMessage {
  type: "plate_alert";
  seq: number;
  kind: "lpr.alert.raised" | "lpr.alert.updated" | string;
  alert: PlateAlertLive;
  sent_at_ms: number;
}

/** A camera's health changed (the probe's verdict): the map and the Cameras tab recolour it. */
export interface CameraStatusMessage {
  type: "camera_status";
  seq: number;
  code: string;
  status: string;
  problems: unknown[];
  checked_at: string | null;
  sent_at_ms: number;
}

/** An alert-desk alert changed (gunshot, panic, sensor …): `alert` is the whole AlertChanged, read by src/alerts. */
export interface AlertMessage {
  type: "alert";
  seq: number;
  kind: string;
  alert: unknown;
  sent_at_ms: number;
}

/** A context packet was (re)assembled for an incident or an alert; `packet` is read by src/context. */
export interface ContextMessage {
  type: "context";
  seq: number;
  subject: { type: string; id: string };
  packet: unknown;
  sent_at_ms: number;
}

/** An incident's playbook run started or a step changed; `run` is read by src/playbooks. */
export interface PlaybookMessage {
  type: "playbook";
  seq: number;
  kind: string;
  incident_id: string;
  run: unknown;
  sent_at_ms: number;
}

/** A unit's position, status or details changed; `unit` is the roster's UnitOut, read by src/units. */
export interface UnitMessage {
  type: "unit";
  seq: number;
  kind: string;
  unit: unknown;
  sent_at_ms: number;
}

/** A community footage request changed (sent, opened, uploaded …): the open incident's requests list reads them again. */
export interface CommunityRequestMessage {
  type: "community.request";
  seq: number;
  id: string;
  incident_id: string;
  status: string;
  sent_at_ms: number;
}

export type EventMessage =
  | IncidentMessage | NoteMessage | PlateAlertMessage | CameraStatusMessage | AlertMessage | ContextMessage | PlaybookMessage
  | UnitMessage | CommunityRequestMessage;
export type LiveMessage = HelloMessage | ResyncMessage | EventMessage | PingMessage;

type Fields = Record<string, unknown>;

function isFields(value: unknown): value is Fields {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

const str = (f: Fields, key: string): string | null => (typeof f[key] === "string" ? (f[key] as string) : null);
const num = (f: Fields, key: string): number | null =>
  typeof f[key] === "number" && Number.isFinite(f[key]) ? (f[key] as number) : null;

function readIncident(f: Fields): IncidentMessage | null {
  const seq = num(f, "seq");
  const incidentId = str(f, "incident_id");
  if (seq === null || incidentId === null) return null;
  const row = isFields(f["row"]) ? (f["row"] as unknown as QueueRow) : null;
  return {
    type: "incident",
    seq,
    kind: str(f, "kind") ?? "incident.updated",
    incident_id: incidentId,
    row,
    sent_at_ms: num(f, "sent_at_ms") ?? 0,
  };
}

function readNote(f: Fields): NoteMessage | null {
  const seq = num(f, "seq");
  const incidentId = str(f, "incident_id");
  if (seq === null || incidentId === null) return null;
  return {
    type: "note",
    seq,
    incident_id: incidentId,
    note_id: str(f, "note_id") ?? "",
    author: str(f, "author") ?? "",
    sent_at_ms: num(f, "sent_at_ms") ?? 0,
  };
}

function readPlateAlertFields(a: Fields): PlateAlertLive | null {
  const alertId = str(a, "alert_id");
  const plate = str(a, "plate");
  if (alertId === null || plate === null) return null;
  return {
    alert_id: alertId,
    plate,
    reason_code: str(a, "reason_code") ?? "",
    severity: str(a, "severity") ?? "low",
    match_kind: str(a, "match_kind") ?? "exact",
    status: str(a, "status") ?? "pending",
    stale: a["stale"] === true,
    reader_code: str(a, "reader_code") ?? "",
    lat: num(a, "lat"),
    lon: num(a, "lon"),
    heading: num(a, "heading"),
  };
}

function readPlateAlert(f: Fields): PlateAlertMessage | null {
  const seq = num(f, "seq");
  const alert = isFields(f["alert"]) ? readPlateAlertFields(f["alert"]) : null;
  if (seq === null || alert === null) return null;
  return { type: "plate_alert", seq, kind: str(f, "kind") ?? "lpr.alert.updated", alert, sent_at_ms: num(f, "sent_at_ms") ?? 0 };
}

function readCameraStatus(f: Fields): CameraStatusMessage | null {
  const seq = num(f, "seq");
  const inner = isFields(f["camera"]) ? f["camera"] : f;
  const code = str(inner, "code");
  if (seq === null || code === null) return null;
  return {
    type: "camera_status",
    seq,
    code,
    status: str(inner, "status") ?? "unknown",
    problems: Array.isArray(inner["problems"]) ? inner["problems"] : [],
    checked_at: str(inner, "checked_at"),
    sent_at_ms: num(f, "sent_at_ms") ?? 0,
  };
}

function readAlert(f: Fields): AlertMessage | null {
  const seq = num(f, "seq");
  if (seq === null || !isFields(f["alert"])) return null;
  return { type: "alert", seq, kind: str(f, "kind") ?? "alert.updated", alert: f["alert"], sent_at_ms: num(f, "sent_at_ms") ?? 0 };
}

function readContext(f: Fields): ContextMessage | null {
  const seq = num(f, "seq");
  const subject = isFields(f["subject"]) ? f["subject"] : null;
  const id = subject ? str(subject, "id") : null;
  if (seq === null || subject === null || id === null || !isFields(f["packet"])) return null;
  return { type: "context", seq, subject: { type: str(subject, "type") ?? "incident", id }, packet: f["packet"],
    sent_at_ms: num(f, "sent_at_ms") ?? 0 };
}

function readPlaybook(f: Fields): PlaybookMessage | null {
  const seq = num(f, "seq");
  const incidentId = str(f, "incident_id");
  if (seq === null || incidentId === null || !isFields(f["run"])) return null;
  return { type: "playbook", seq, kind: str(f, "kind") ?? "playbook.step.completed", incident_id: incidentId, run: f["run"],
    sent_at_ms: num(f, "sent_at_ms") ?? 0 };
}

function readUnitMessage(f: Fields): UnitMessage | null {
  const seq = num(f, "seq");
  if (seq === null || !isFields(f["unit"])) return null;
  return { type: "unit", seq, kind: str(f, "kind") ?? "unit.changed", unit: f["unit"], sent_at_ms: num(f, "sent_at_ms") ?? 0 };
}

function readCommunityRequest(f: Fields): CommunityRequestMessage | null {
  const seq = num(f, "seq");
  const inner = isFields(f["request"]) ? f["request"] : f;
  const incidentId = str(inner, "incident_id") ?? str(f, "incident_id");
  if (seq === null || incidentId === null) return null;
  return { type: "community.request", seq, id: str(inner, "id") ?? "", incident_id: incidentId, status: str(inner, "status") ?? "",
    sent_at_ms: num(f, "sent_at_ms") ?? 0 };
}

function readCursorMessage(f: Fields, type: "hello" | "resync"): HelloMessage | ResyncMessage | null {
  const epoch = str(f, "epoch");
  const seq = num(f, "seq");
  if (epoch === null || seq === null) return null;
  if (type === "resync") return { type, epoch, seq };
  return { type, epoch, seq, server_time: str(f, "server_time") ?? "" };
}

/** One frame's text as a message, or null when it is not one we understand. */
export function parseLiveMessage(text: string): LiveMessage | null {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return null;
  }
  if (!isFields(value)) return null;
  switch (value["type"]) {
    case "hello":
      return readCursorMessage(value, "hello");
    case "resync":
      return readCursorMessage(value, "resync");
    case "incident":
      return readIncident(value);
    case "note":
      return readNote(value);
    case "plate_alert":
      return readPlateAlert(value);
    case "camera_status":
      return readCameraStatus(value);
    case "alert":
      return readAlert(value);
    case "context":
      return readContext(value);
    case "playbook":
      return readPlaybook(value);
    case "unit":
      return readUnitMessage(value);
    case "community.request":
      return readCommunityRequest(value);
    case "ping":
      return { type: "ping", seq: num(value, "seq") ?? 0, server_time: str(value, "server_time") ?? "" };
    default:
      return null;
  }
}
