/** Plate-reader refusals from the API (409 conflicts, 403 prohibited purposes) in words an operator can act on. */

import { describeError, type ApiError } from "../api/errors";

const CONFLICT_WORDS: Record<string, string> = {
  not_verified: "Not confirmed: record the check first — the plate must match the image and the entry must be confirmed active with its source.",
  alert_closed: "This alert is already closed.",
  not_confirmed: "Only a confirmed alert has an outcome.",
};

/** A refused alert review step. */
export function reviewProblem(problem: ApiError): string {
  const known = problem.status === 409 ? CONFLICT_WORDS[problem.code] : undefined;
  if (known) return known;
  if (problem.status === 404) return "This plate alert is no longer available.";
  return describeError(problem);
}

/** A refused or failed search. */
export function searchProblem(problem: ApiError): string {
  if (problem.code === "purpose_prohibited") return `Refused: ${problem.message}. The attempt has been logged.`;
  if (problem.status === 403) return `Refused: ${describeError(problem)}`;
  return describeError(problem);
}
