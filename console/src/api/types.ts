/** The console's names for the API's types, all derived from the generated OpenAPI schema. */

import type { components, paths } from "./schema";

/** Every REST path of the API, as generated from its OpenAPI document. */
export type ApiPaths = paths;

type Schemas = components["schemas"];

export type QueueRow = Schemas["QueueRow"];
export type IncidentDetail = Schemas["IncidentDetail"];
export type IncidentRecord = Schemas["IncidentOut"];
export type NoteOut = Schemas["NoteOut"];
export type UnitOut = Schemas["UnitOut"];
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
