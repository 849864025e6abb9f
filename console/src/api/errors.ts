/** The API's one error shape, read defensively, and what an error means for the session. */

export interface Problem {
  pointer: string;
  reason: string;
}

export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly problems: Problem[];
  readonly requestId: string | null;

  constructor(status: number, code: string, message: string, problems: Problem[] = [], requestId: string | null = null) {
    super(message);
    this.name = "ApiError";
    this.status = status;
    this.code = code;
    this.problems = problems;
    this.requestId = requestId;
  }
}

/** Why the session can no longer be used, if an error says so. */
export type AuthFailure = "locked" | "logged-off";

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function readProblems(raw: unknown): Problem[] {
  if (!Array.isArray(raw)) return [];
  return raw.filter(isRecord).map((p) => ({
    pointer: typeof p["pointer"] === "string" ? p["pointer"] : "",
    reason: typeof p["reason"] === "string" ? p["reason"] : "",
  }));
}

function fallbackMessage(status: number): string {
  if (status === 0) return "The Watchfloor server cannot be reached.";
  if (status >= 500) return `The server failed (HTTP ${status}).`;
  return `The request was refused (HTTP ${status}).`;
}

/** Build an ApiError from a status and whatever body came back (envelope or not). */
export function toApiError(status: number, body: unknown): ApiError {
  const envelope = isRecord(body) && isRecord(body["error"]) ? body["error"] : null;
  if (envelope === null) return new ApiError(status, `http_${status}`, fallbackMessage(status));
  const code = typeof envelope["code"] === "string" ? envelope["code"] : `http_${status}`;
  const message = typeof envelope["message"] === "string" ? envelope["message"] : fallbackMessage(status);
  const requestId = typeof envelope["request_id"] === "string" ? envelope["request_id"] : null;
  return new ApiError(status, code, message, readProblems(envelope["problems"]), requestId);
}

/** Any thrown value as an ApiError (network failures become status 0). */
export function asApiError(error: unknown): ApiError {
  if (error instanceof ApiError) return error;
  return new ApiError(0, "network", fallbackMessage(0));
}

/** 401 session_locked = idle lock; any other 401 = logged off. */
export function authFailureOf(status: number, code: string): AuthFailure | null {
  if (status !== 401) return null;
  return code === "session_locked" ? "locked" : "logged-off";
}

/** One readable line for an operator: the message, then each field problem. */
export function describeError(error: ApiError): string {
  const details = error.problems
    .filter((p) => p.reason !== "")
    .map((p) => (p.pointer ? `${p.pointer.replace(/^\//, "")}: ${p.reason}` : p.reason));
  const text = [error.message, ...details].join(" — ");
  return error.requestId ? `${text} (ref ${error.requestId})` : text;
}
