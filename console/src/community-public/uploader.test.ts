import { describe, expect, it } from "vitest";
import { ApiError } from "../api/errors";
import type { UploadOut } from "./types";
import { isTransient, percentOf, resumable, retryDelayMs, uploadFile, UploadFailed, type NamedBlob, type UploadTransport } from "./uploader";

/** A server in memory: keeps the bytes, answers like the contract, can be told to misbehave. */
class FakeServer implements UploadTransport {
  bytes: number[] = [];
  state: UploadOut | null = null;
  puts: number[] = [];
  /** Offsets whose PUT fails with a network error before reaching the server. */
  dropBefore = new Set<number>();
  /** Offsets whose PUT reaches the server but whose answer is lost. */
  dropAfter = new Set<number>();
  reject: string | null = null;

  async create(filename: string, size: number): Promise<UploadOut> {
    this.state = { id: "f1", filename, size, received: 0, status: "receiving", media_type: null, sha256: null, problem: null };
    return { ...this.state };
  }

  async put(fileId: string, offset: number, chunk: Blob): Promise<UploadOut> {
    const state = this.known(fileId);
    this.puts.push(offset);
    if (this.dropBefore.delete(offset)) throw new ApiError(0, "network", "offline");
    if (offset !== state.received) throw new ApiError(409, "offset_mismatch", "wrong offset");
    this.bytes.push(...new Uint8Array(await chunk.arrayBuffer()));
    state.received = this.bytes.length;
    if (state.received === state.size) this.finish(state);
    if (this.dropAfter.delete(offset)) throw new ApiError(0, "network", "offline");
    if (state.status === "rejected") throw new ApiError(422, "upload_rejected", "not a video");
    return { ...state };
  }

  async status(fileId: string): Promise<UploadOut> {
    return { ...this.known(fileId) };
  }

  private finish(state: UploadOut): void {
    if (this.reject) {
      state.status = "rejected";
      state.problem = this.reject;
      return;
    }
    state.status = "stored";
    state.sha256 = "ab".repeat(32);
  }

  private known(fileId: string): UploadOut {
    if (!this.state || this.state.id !== fileId) throw new ApiError(404, "not_found", "no such file");
    return this.state;
  }
}

function file(size: number, name = "clip.mp4"): NamedBlob {
  const data = new Uint8Array(size).map((_, i) => i % 251);
  return Object.assign(new Blob([data]), { name });
}

const instant = async (): Promise<void> => undefined;

describe("uploadFile", () => {
  it("sends the file in chunks at increasing offsets and reports progress", async () => {
    const server = new FakeServer();
    const seen: number[] = [];
    const done = await uploadFile(file(2500), server, { chunkBytes: 1000, wait: instant, onProgress: (s) => seen.push(s.received) });
    expect(server.puts).toEqual([0, 1000, 2000]);
    expect(seen).toEqual([0, 1000, 2000, 2500]);
    expect(done.status).toBe("stored");
    expect(done.sha256).toBe("ab".repeat(32));
    expect(server.bytes).toEqual(Array.from(new Uint8Array(2500).map((_, i) => i % 251)));
  });

  it("retries a chunk after a network failure", async () => {
    const server = new FakeServer();
    server.dropBefore.add(1000);
    const waits: number[] = [];
    const done = await uploadFile(file(2500), server, { chunkBytes: 1000, wait: async (ms) => void waits.push(ms) });
    expect(server.puts).toEqual([0, 1000, 1000, 2000]);
    expect(waits).toEqual([500]);
    expect(done.status).toBe("stored");
  });

  it("asks where the server stands on 409 offset_mismatch and resumes from there", async () => {
    const server = new FakeServer();
    server.dropAfter.add(1000); // the chunk arrived, its answer did not: the retry is refused with 409
    const done = await uploadFile(file(3500), server, { chunkBytes: 1000, wait: instant });
    expect(server.puts).toEqual([0, 1000, 1000, 2000, 3000]);
    expect(server.bytes.length).toBe(3500);
    expect(done.status).toBe("stored");
  });

  it("resumes an upload the server already knows instead of starting again", async () => {
    const server = new FakeServer();
    const blob = file(2500);
    await server.create("clip.mp4", 2500);
    await server.put("f1", 0, blob.slice(0, 1000));
    server.puts = [];
    const existing = resumable([await server.status("f1")], blob);
    expect(existing?.received).toBe(1000);
    const done = await uploadFile(blob, server, { chunkBytes: 1000, wait: instant, existing });
    expect(server.puts).toEqual([1000, 2000]);
    expect(done.status).toBe("stored");
  });

  it("gives up after too many failures in a row", async () => {
    const server = new FakeServer();
    for (let i = 0; i < 5; i += 1) server.dropBefore.add(0);
    const failing: UploadTransport = {
      create: (n, s) => server.create(n, s),
      status: (id) => server.status(id),
      put: async () => { throw new ApiError(0, "network", "offline"); },
    };
    await expect(uploadFile(file(10), failing, { chunkBytes: 4, wait: instant, maxRetries: 2 })).rejects.toMatchObject({ status: 0 });
  });

  it("reports the server's reason when it rejects the file's type", async () => {
    const server = new FakeServer();
    server.reject = "This is not a video or image file.";
    const failure = await uploadFile(file(1500), server, { chunkBytes: 1000, wait: instant }).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(UploadFailed);
    expect((failure as UploadFailed).message).toBe("This is not a video or image file.");
    expect((failure as UploadFailed).upload?.status).toBe("rejected");
  });

  it("refuses an empty file without calling the server", async () => {
    const server = new FakeServer();
    await expect(uploadFile(file(0), server, { chunkBytes: 1000 })).rejects.toThrow("empty");
    expect(server.state).toBeNull();
  });
});

describe("helpers", () => {
  it("retries only transient failures", () => {
    expect(isTransient(new ApiError(0, "network", ""))).toBe(true);
    expect(isTransient(new ApiError(503, "unavailable", ""))).toBe(true);
    expect(isTransient(new ApiError(429, "too_many", ""))).toBe(true);
    expect(isTransient(new ApiError(410, "gone", ""))).toBe(false);
    expect(isTransient(new Error("x"))).toBe(false);
  });

  it("backs off and caps the pause", () => {
    expect([1, 2, 3, 4, 5, 9].map(retryDelayMs)).toEqual([500, 1000, 2000, 4000, 8000, 8000]);
  });

  it("computes a percentage", () => {
    expect(percentOf({ received: 0, size: 0 })).toBe(0);
    expect(percentOf({ received: 1, size: 3 })).toBe(33);
    expect(percentOf({ received: 3, size: 3 })).toBe(100);
  });

  it("resumes only a receiving upload of the same name and size", () => {
    const base: UploadOut = { id: "a", filename: "x.mp4", size: 10, received: 4, status: "receiving", media_type: null, sha256: null, problem: null };
    expect(resumable([base], { name: "x.mp4", size: 10 })?.id).toBe("a");
    expect(resumable([base], { name: "x.mp4", size: 11 })).toBeNull();
    expect(resumable([{ ...base, status: "stored" }], { name: "x.mp4", size: 10 })).toBeNull();
  });
});
