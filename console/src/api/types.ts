/** The console's names for the API's types, all derived from the generated OpenAPI schema. */

import type { components, paths } from "./schema";

/** Every REST path of the API, as generated from its OpenAPI document. */
export type ApiPaths = paths;

type Schemas = components["schemas"];

export type QueueRow = Schemas["QueueRow"];
export type IncidentDetail = Schemas["IncidentDetail"];
export type IncidentRecord = Schemas["IncidentOut"];
export type NoteOut = Schemas["NoteOut"];
/** A unit on an incident (derived from the detail: another domain also names a schema UnitOut). */
export type UnitOut = IncidentDetail["units"][number];
export type TimelineEntry = Schemas["TimelineOut"];
export type ClaimOut = Schemas["ClaimOut"];
export type UserOut = Schemas["UserOut"];

/** The operator as the console shows them. */
export interface ConsoleUser {
  username: string;
  role: string;
  designator: string | null;
}

/** The console's settings, read from /api/console/config (see session/config.ts). */
export interface ConsoleConfig {
  idleLockMinutes: number;
  serverTime: string;
  demoMode: boolean;
  version: string;
  user: ConsoleUser;
}

export type AlertSummary = Schemas["AlertSummary"];
export type AlertDetail = Schemas["AlertDetail"];
export type ReaderOut = Schemas["ReaderOut"];
export type PrecisionOut = Schemas["PrecisionOut"];
export type PrecisionRow = Schemas["PrecisionRow"];
export type HotlistOut = Schemas["HotlistOut"];
export type ImportOut = Schemas["ImportOut"];
export type EntryOut = Schemas["EntryOut"];
export type ManualEntryIn = Schemas["ManualEntryIn"];
export type SearchIn = Schemas["SearchIn"];
export type SearchOut = Schemas["SearchOut"];
export type ReadHit = Schemas["ReadHitOut"];
export type PurposesOut = Schemas["PurposesOut"];
export type VerificationIn = Schemas["VerificationIn"];
export type Disposition = Schemas["Disposition"];
export type AlertOutcome = Schemas["Outcome"];
export type ReasonCode = Schemas["ReasonCode"];

export type CameraOut = Schemas["CameraOut"];
export type CameraIn = Schemas["CameraIn"];
export type CameraPatch = Schemas["CameraPatch"];
export type SightingOut = Schemas["SightingOut"];
export type CameraKind = Schemas["CameraKind"];
export type AccessLevel = Schemas["AccessLevel"];
export type CameraStatus = Schemas["CameraStatus"];
