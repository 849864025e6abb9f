import { describe, expect, it } from "vitest";
import { ApiError } from "../api/errors";
import { reviewProblem, searchProblem } from "./lpr-problems";

describe("plate-reader refusals in words", () => {
  it("explains why an alert cannot be confirmed yet", () => {
    expect(reviewProblem(new ApiError(409, "not_verified", "verify first"))).toContain("record the check first");
    expect(reviewProblem(new ApiError(409, "alert_closed", "closed"))).toBe("This alert is already closed.");
    expect(reviewProblem(new ApiError(404, "not_found", "gone"))).toBe("This plate alert is no longer available.");
  });

  it("names the field of a refused verification", () => {
    const problem = new ApiError(422, "invalid_input", "say how the entry was confirmed",
      [{ pointer: "/confirmed_with", reason: "required when entry_confirmed_active is true" }]);
    expect(reviewProblem(problem)).toBe("say how the entry was confirmed — confirmed_with: required when entry_confirmed_active is true");
  });

  it("says a prohibited purpose was refused and logged", () => {
    const refused = searchProblem(new ApiError(403, "purpose_prohibited", "searching for 'personal_use' is prohibited"));
    expect(refused).toBe("Refused: searching for 'personal_use' is prohibited. The attempt has been logged.");
    expect(searchProblem(new ApiError(403, "forbidden", "not for your role"))).toBe("Refused: not for your role");
    expect(searchProblem(new ApiError(422, "invalid_input", "invalid plate pattern", [{ pointer: "/plate", reason: "too broad" }])))
      .toBe("invalid plate pattern — plate: too broad");
  });
});
