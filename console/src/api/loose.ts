/**
 * Calls to routes the generated schema does not (yet) describe — camera health, live views, PTZ,
 * recording, the biometric policy — still through the one client (`api`: CSRF header, 401 hook).
 * Answers come back as `unknown` and are read defensively by their callers.
 */

import { api } from "./client";
import { ApiError, toApiError } from "./errors";

type Method = "GET" | "POST" | "PUT" | "DELETE";

interface Outcome {
  data?: unknown;
  error?: unknown;
  response: Response;
}

type LooseCall = (path: string, init?: { body?: unknown; params?: { query?: Record<string, string> } }) => Promise<Outcome>;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** The API's envelope, or FastAPI's plain {"detail": "..."} where a route answers with one. */
export function errorOf(status: number, body: unknown): ApiError {
  if (isRecord(body) && !isRecord(body["error"]) && typeof body["detail"] === "string") {
    return new ApiError(status, `http_${status}`, body["detail"]);
  }
  return toApiError(status, body);
}

/** Path segments for a route, each one encoded. */
export function route(...segments: string[]): string {
  return segments.map((s, i) => (i === 0 ? s : encodeURIComponent(s))).join("/");
}

/** One call; resolves with the parsed body (null when empty), rejects with an ApiError. */
export async function call(method: Method, path: string, body?: unknown, query?: Record<string, string>): Promise<unknown> {
  const loose = api as unknown as Record<Method, LooseCall>;
  let outcome: Outcome;
  try {
    outcome = await loose[method](path, {
      ...(body === undefined ? {} : { body }),
      ...(query ? { params: { query } } : {}),
    });
  } catch {
    throw new ApiError(0, "network", "The Watchfloor server cannot be reached.");
  }
  if (!outcome.response.ok) throw errorOf(outcome.response.status, outcome.error);
  return outcome.data ?? null;
}
