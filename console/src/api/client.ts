/**
 * The one REST client: generated from the OpenAPI spec (openapi-fetch), same-origin cookies,
 * the CSRF header on every state-changing request, and a hook for 401s.
 */

import createClient, { type Middleware } from "openapi-fetch";
import { ApiError, authFailureOf, toApiError, type AuthFailure } from "./errors";
import type { ApiPaths } from "./types";

export const CSRF_COOKIE = "wf_csrf";
export const CSRF_HEADER = "X-CSRF-Token";
const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);
/** Routes whose 401 means "wrong credentials", not "your session is gone". */
const CREDENTIAL_ROUTES = ["/api/auth/logon", "/api/auth/unlock", "/api/auth/banner"];

let csrfToken: string | null = null;
let onAuthFailure: (failure: AuthFailure) => void = () => undefined;

export function readCookie(cookieHeader: string, name: string): string | null {
  for (const part of cookieHeader.split(";")) {
    const [key, ...rest] = part.trim().split("=");
    if (key === name) return decodeURIComponent(rest.join("="));
  }
  return null;
}

export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

function currentCsrf(): string | null {
  return csrfToken ?? readCookie(document.cookie, CSRF_COOKIE);
}

/** Called with "locked" or "logged-off" when a request finds the session unusable. */
export function setAuthFailureHandler(handler: (failure: AuthFailure) => void): void {
  onAuthFailure = handler;
}

function isCredentialRoute(url: string): boolean {
  const path = new URL(url, location.origin).pathname;
  return CREDENTIAL_ROUTES.includes(path);
}

const csrfMiddleware: Middleware = {
  onRequest({ request }) {
    const token = currentCsrf();
    if (!SAFE_METHODS.has(request.method) && token) request.headers.set(CSRF_HEADER, token);
    return request;
  },
  async onResponse({ request, response }) {
    if (response.status !== 401 || isCredentialRoute(request.url)) return response;
    const body: unknown = await response.clone().json().catch(() => null);
    const failure = authFailureOf(401, toApiError(401, body).code);
    if (failure) onAuthFailure(failure);
    return response;
  },
};

export const api = createClient<ApiPaths>({
  baseUrl: globalThis.location?.origin ?? "",
  credentials: "same-origin",
});
api.use(csrfMiddleware);

interface Outcome<T> {
  data?: T;
  error?: unknown;
  response: Response;
}

/** Await an openapi-fetch call: its data, or an ApiError (status 0 when the network failed). */
export async function unwrap<T>(pending: Promise<Outcome<T>>): Promise<T> {
  let outcome: Outcome<T>;
  try {
    outcome = await pending;
  } catch {
    throw new ApiError(0, "network", "The Watchfloor server cannot be reached.");
  }
  if (outcome.response.ok) return outcome.data as T;
  throw toApiError(outcome.response.status, outcome.error);
}
