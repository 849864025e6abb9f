import { describe, expect, it } from "vitest";
import { acceptedExtensions, closedMessage, fileProblem, formatBytes } from "./answer-logic";
import { PublicApi, messageOf } from "./http";
import { ApiError } from "../api/errors";

const VIEW = { accepted: [".mp4", "MOV", ".jpg"], max_file_bytes: 5_000_000 };

describe("fileProblem", () => {
  it("lets through accepted or unnamed types within the size limit", () => {
    expect(fileProblem({ name: "clip.MP4", size: 10 }, VIEW)).toBeNull();
    expect(fileProblem({ name: "export", size: 10 }, VIEW)).toBeNull();
  });

  it("refuses empty, oversized and plainly wrong files with a reason", () => {
    expect(fileProblem({ name: "a.mp4", size: 0 }, VIEW)).toBe("This file is empty.");
    expect(fileProblem({ name: "a.mp4", size: 6_000_000 }, VIEW)).toContain("too large (6.0 MB)");
    expect(fileProblem({ name: "notes.txt", size: 10 }, VIEW)).toContain("mp4, mov, jpg");
  });

  it("normalises the server's extensions", () => {
    expect(acceptedExtensions(VIEW)).toEqual(["mp4", "mov", "jpg"]);
  });
});

describe("words", () => {
  it("formats sizes", () => {
    expect(formatBytes(12)).toBe("12 bytes");
    expect(formatBytes(640_000)).toBe("640 KB");
    expect(formatBytes(3_200_000)).toBe("3.2 MB");
  });

  it("explains a closed request without pressure", () => {
    expect(closedMessage("declined")).toContain("Nothing more is needed");
    expect(closedMessage("opened")).toBeNull();
  });
});

describe("PublicApi", () => {
  function recording(responses: Response[]): { calls: { url: string; init: RequestInit }[]; fetcher: (u: string, i: RequestInit) => Promise<Response> } {
    const calls: { url: string; init: RequestInit }[] = [];
    return { calls, fetcher: async (url, init) => { calls.push({ url, init }); return responses.shift() ?? new Response(null, { status: 500 }); } };
  }

  const start = { csrf_token: "tok-1", request_kinds: [], covers: [], max_cameras: 10, max_retention_days: 365, center: { lat: 0, lon: 0 } };

  it("sends the page's CSRF token on state-changing calls only", async () => {
    const { calls, fetcher } = recording([Response.json(start), Response.json([]), Response.json({ message: "ok" })]);
    const api = new PublicApi(fetcher);
    await api.start();
    await api.call("GET", "/addresses", { query: { q: "Aleks 5" } });
    await api.call("POST", "/owner/link", { json: { email: "a@example.org" } });
    expect(calls.map((c) => c.url)).toEqual(["/community/api/start", "/community/api/addresses?q=Aleks+5", "/community/api/owner/link"]);
    const headers = calls.map((c) => new Headers(c.init.headers).get("X-CSRF-Token"));
    expect(headers).toEqual([null, null, "tok-1"]);
    expect(calls[2]?.init.body).toBe(JSON.stringify({ email: "a@example.org" }));
  });

  it("sends chunks as raw bytes and reads the error envelope", async () => {
    const problem = { error: { code: "offset_mismatch", message: "wrong offset", problems: [{ pointer: "/offset", reason: "expected 10" }] } };
    const { calls, fetcher } = recording([Response.json(problem, { status: 409 })]);
    const api = new PublicApi(fetcher);
    const failure = await api.call("PUT", "/answer/files/f1", { bytes: new Blob(["abc"]), query: { offset: 0 }, headers: { "X-Upload-Token": "t" } })
      .catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(ApiError);
    expect((failure as ApiError).code).toBe("offset_mismatch");
    expect((failure as ApiError).problems).toEqual([{ pointer: "/offset", reason: "expected 10" }]);
    const headers = new Headers(calls[0]?.init.headers);
    expect([headers.get("Content-Type"), headers.get("X-Upload-Token")]).toEqual(["application/octet-stream", "t"]);
  });

  it("turns a network failure into status 0 with a plain message", async () => {
    const api = new PublicApi(async () => { throw new TypeError("Failed to fetch"); });
    const failure = await api.call("GET", "/start").catch((e: unknown) => e);
    expect((failure as ApiError).status).toBe(0);
    expect(messageOf(failure)).toContain("cannot be reached");
  });
});
