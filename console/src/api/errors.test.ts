import { describe, expect, it } from "vitest";
import { ApiError, asApiError, authFailureOf, describeError, toApiError } from "./errors";
import { readCookie } from "./client";

describe("the API error shape", () => {
  it("reads the envelope with its field problems", () => {
    const error = toApiError(422, {
      error: { code: "invalid_input", message: "banner not acknowledged", request_id: "r-1",
        problems: [{ pointer: "/banner_acknowledged", reason: "must be acknowledged" }] },
    });
    expect(error.status).toBe(422);
    expect(error.code).toBe("invalid_input");
    expect(error.problems).toEqual([{ pointer: "/banner_acknowledged", reason: "must be acknowledged" }]);
    expect(describeError(error)).toBe("banner not acknowledged — banner_acknowledged: must be acknowledged (ref r-1)");
  });

  it("copes with bodies that are not the envelope", () => {
    expect(toApiError(502, "<html>bad gateway</html>").code).toBe("http_502");
    expect(toApiError(500, null).message).toMatch(/server failed/);
    expect(asApiError(new TypeError("Failed to fetch")).status).toBe(0);
    const known = new ApiError(409, "already_claimed", "incident is already claimed by RT5 (kim)");
    expect(asApiError(known)).toBe(known);
  });

  it("tells an idle lock from a logoff", () => {
    expect(authFailureOf(401, "session_locked")).toBe("locked");
    expect(authFailureOf(401, "not_authenticated")).toBe("logged-off");
    expect(authFailureOf(403, "session_locked")).toBeNull();
    expect(authFailureOf(409, "already_claimed")).toBeNull();
  });
});

describe("CSRF cookie", () => {
  it("finds the cookie by exact name", () => {
    expect(readCookie("a=1; wf_csrf=tok%3Den; wf_csrf_old=x", "wf_csrf")).toBe("tok=en");
    expect(readCookie("other=1", "wf_csrf")).toBeNull();
  });
});
