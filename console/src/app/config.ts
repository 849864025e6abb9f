/** The console's settings from GET /api/console/config (requires a session). */

import { api, unwrap } from "../api/client";
import type { ConsoleConfig, ConsoleUser } from "../api/types";

export const DEFAULT_IDLE_LOCK_MINUTES = 30;

type Fields = Record<string, unknown>;
const isFields = (v: unknown): v is Fields => typeof v === "object" && v !== null && !Array.isArray(v);

export function readUser(value: unknown): ConsoleUser {
  const f = isFields(value) ? value : {};
  return {
    username: typeof f["username"] === "string" ? f["username"] : "",
    role: typeof f["role"] === "string" ? f["role"] : "",
    designator: typeof f["designator"] === "string" ? f["designator"] : null,
  };
}

/** Read a config body defensively (a bad idle value falls back to the default). */
export function readConsoleConfig(value: unknown, clientNowIso: string): ConsoleConfig {
  const f = isFields(value) ? value : {};
  const idle = f["idle_lock_minutes"];
  return {
    idleLockMinutes: typeof idle === "number" && idle > 0 ? idle : DEFAULT_IDLE_LOCK_MINUTES,
    serverTime: typeof f["server_time"] === "string" ? f["server_time"] : clientNowIso,
    demoMode: f["demo_mode"] === true,
    version: typeof f["version"] === "string" ? f["version"] : "",
    user: readUser(f["user"]),
  };
}

export async function loadConsoleConfig(): Promise<ConsoleConfig> {
  const body = await unwrap(api.GET("/api/console/config"));
  return readConsoleConfig(body, new Date().toISOString());
}
