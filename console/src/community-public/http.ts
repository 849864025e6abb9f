/**
 * The public pages' one HTTP client: same-origin only, the page's CSRF token (from
 * GET /community/api/start) on every state-changing call, errors as ApiError (status 0 when the
 * network failed) so messages and field problems reach the person.
 */

import { ApiError, toApiError } from "../api/errors";
import type { PublicStart } from "./types";

export const API = "/community/api";
export const CSRF_HEADER = "X-CSRF-Token";
export const UPLOAD_TOKEN_HEADER = "X-Upload-Token";
const SAFE = new Set(["GET", "HEAD"]);
const OFFLINE = "The server cannot be reached. Check your connection and try again.";

export type Method = "GET" | "POST" | "PUT" | "DELETE";
export type Fetcher = (input: string, init: RequestInit) => Promise<Response>;

export interface CallOptions {
  /** A JSON body. */
  json?: unknown;
  /** Raw bytes (a chunk of a file). */
  bytes?: Blob;
  query?: Record<string, string | number>;
  headers?: Record<string, string>;
}

function withQuery(path: string, query: CallOptions["query"]): string {
  if (!query) return path;
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) params.set(key, String(value));
  return `${path}?${params.toString()}`;
}

function bodyOf(options: CallOptions, headers: Headers): BodyInit | undefined {
  if (options.bytes !== undefined) {
    headers.set("Content-Type", "application/octet-stream");
    return options.bytes;
  }
  if (options.json === undefined) return undefined;
  headers.set("Content-Type", "application/json");
  return JSON.stringify(options.json);
}

async function parsed(response: Response): Promise<unknown> {
  const text = await response.text();
  if (text === "") return null;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return null;
  }
}

export class PublicApi {
  private csrf: string | null = null;

  constructor(private readonly fetcher: Fetcher = (input, init) => fetch(input, init)) {}

  /** Start the page: the CSRF token and the choices the forms offer. */
  async start(): Promise<PublicStart> {
    const start = await this.call<PublicStart>("GET", "/start");
    this.csrf = start.csrf_token;
    return start;
  }

  /** One call under /community/api; resolves with the parsed body (null when empty). */
  async call<T>(method: Method, path: string, options: CallOptions = {}): Promise<T> {
    const headers = new Headers({ Accept: "application/json", ...options.headers });
    if (!SAFE.has(method) && this.csrf) headers.set(CSRF_HEADER, this.csrf);
    const body = bodyOf(options, headers);
    let response: Response;
    try {
      response = await this.fetcher(withQuery(API + path, options.query), {
        method,
        headers,
        body,
        credentials: "same-origin",
        cache: "no-store",
      });
    } catch {
      throw new ApiError(0, "network", OFFLINE);
    }
    const content = await parsed(response);
    if (!response.ok) throw toApiError(response.status, content);
    return content as T;
  }
}

/** A person-readable sentence for any failure. */
export function messageOf(error: unknown): string {
  if (error instanceof ApiError) {
    if (error.status === 0) return OFFLINE;
    if (error.status >= 500 && error.code.startsWith("http_")) {
      return "Something went wrong on our side. Please try again in a few minutes.";
    }
    return error.message;
  }
  return "Something went wrong. Please reload the page and try again.";
}
