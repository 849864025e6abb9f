/**
 * The chunked uploader: a file goes up in pieces (PUT at an offset, raw bytes), so a large clip
 * survives a flaky connection. A network failure or a busy server is retried after a growing
 * pause; a 409 `offset_mismatch` (the server already has more or less than we thought, e.g. an
 * answer lost on the way back) asks the server where it stands and goes on from there.
 */

import { ApiError } from "../api/errors";
import type { UploadOut } from "./types";

export interface UploadTransport {
  create(filename: string, size: number): Promise<UploadOut>;
  put(fileId: string, offset: number, chunk: Blob): Promise<UploadOut>;
  status(fileId: string): Promise<UploadOut>;
}

export interface UploadOptions {
  chunkBytes: number;
  /** Consecutive failed attempts tolerated before giving up (default 6). */
  maxRetries?: number;
  /** Pause before a retry (tests pass an instant one). */
  wait?: (ms: number) => Promise<void>;
  onProgress?: (state: UploadOut) => void;
  /** An upload of this file the server already knows (resume it instead of starting again). */
  existing?: UploadOut | null;
}

/** A named file or blob (File in the browser). */
export interface NamedBlob extends Blob {
  readonly name: string;
}

export class UploadFailed extends Error {
  constructor(message: string, readonly upload: UploadOut | null) {
    super(message);
    this.name = "UploadFailed";
  }
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Worth another try: the network failed, the server is busy or failed for a moment. */
export function isTransient(error: unknown): boolean {
  if (!(error instanceof ApiError)) return false;
  return error.status === 0 || error.status === 429 || error.status >= 500;
}

export function isOffsetMismatch(error: unknown): boolean {
  return error instanceof ApiError && error.status === 409 && error.code === "offset_mismatch";
}

/** Pause before retry number `attempt` (1-based): 0.5 s, 1 s, 2 s … at most 8 s. */
export function retryDelayMs(attempt: number): number {
  return Math.min(8000, 500 * 2 ** Math.max(0, attempt - 1));
}

/** Percent received, 0..100, never NaN. */
export function percentOf(state: Pick<UploadOut, "received" | "size">): number {
  if (state.size <= 0) return 0;
  return Math.min(100, Math.floor((state.received / state.size) * 100));
}

class Attempts {
  private failures = 0;

  constructor(private readonly max: number, private readonly wait: (ms: number) => Promise<void>) {}

  /** Run `step`, retrying transient failures; a success resets the count. */
  async run<T>(step: () => Promise<T>): Promise<T> {
    for (;;) {
      try {
        const result = await step();
        this.failures = 0;
        return result;
      } catch (error) {
        if (!isTransient(error) || this.failures >= this.max) throw error;
        this.failures += 1;
        await this.wait(retryDelayMs(this.failures));
      }
    }
  }
}

async function sendChunk(file: Blob, state: UploadOut, chunkBytes: number, transport: UploadTransport, attempts: Attempts): Promise<UploadOut> {
  const chunk = file.slice(state.received, Math.min(file.size, state.received + chunkBytes));
  try {
    return await attempts.run(() => transport.put(state.id, state.received, chunk));
  } catch (error) {
    if (isOffsetMismatch(error)) return attempts.run(() => transport.status(state.id));
    if (error instanceof ApiError && error.status === 422) {
      const rejected = await transport.status(state.id).catch(() => null);
      throw new UploadFailed(rejected?.problem ?? error.message, rejected);
    }
    throw error;
  }
}

/** Upload one file; resolves with the server's final record (stored, with its SHA-256). */
export async function uploadFile(file: NamedBlob, transport: UploadTransport, options: UploadOptions): Promise<UploadOut> {
  if (file.size === 0) throw new UploadFailed("This file is empty.", null);
  if (!(options.chunkBytes > 0)) throw new UploadFailed("The server gave no chunk size.", null);
  const attempts = new Attempts(options.maxRetries ?? 6, options.wait ?? sleep);
  const report = options.onProgress ?? (() => undefined);
  let state = options.existing ?? (await attempts.run(() => transport.create(file.name, file.size)));
  report(state);
  while (state.status === "receiving") {
    if (state.received >= file.size) {
      throw new UploadFailed("The server has the whole file but did not finish it. Please try again.", state);
    }
    state = await sendChunk(file, state, options.chunkBytes, transport, attempts);
    report(state);
  }
  if (state.status === "rejected") throw new UploadFailed(state.problem ?? "The server did not accept this file.", state);
  return state;
}

/** An upload of the same file (name and size) the server is still receiving, to resume. */
export function resumable(files: UploadOut[], file: { name: string; size: number }): UploadOut | null {
  return files.find((f) => f.status === "receiving" && f.filename === file.name && f.size === file.size) ?? null;
}
