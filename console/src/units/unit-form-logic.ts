/**
 * The unit form's values as a request body (POST /api/units or PATCH /api/units/{code}), checked
 * as the server checks them (domain/units/schemas.py UnitIn, UnitEdit), and the server's problems by field.
 */

import type { components } from "../api/schema";
import type { UnitRow } from "./unit-model";
import type { FormProblems } from "../ui/form-problems";

export type UnitIn = components["schemas"]["UnitIn"];
export type UnitEdit = components["schemas"]["UnitEdit"];
export type UnitKind = components["schemas"]["UnitKind"];

export const KINDS: readonly UnitKind[] = ["patrol", "rtcc", "supervisor", "detective", "drone", "fire", "ems", "unknown"];

/** The server's limits (UnitIn): code pattern and lengths, how many crew and capabilities, each one's length. */
export const CODE_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._:-]*$/;
export const LIMITS = { code: 64, name: 200, agency: 100, tag: 100, crew: 20, capabilities: 50 } as const;

/** Everything the form holds, as typed. Crew and capabilities: comma separated. */
export interface UnitFormValues {
  code: string;
  name: string;
  kind: string;
  agency: string;
  crew: string;
  capabilities: string;
}

export type { FormProblems };

/** The form prefilled from a unit (a name equal to the code is the server's default: left empty). */
export function valuesOf(unit: UnitRow | null): UnitFormValues {
  return {
    code: unit?.code ?? "",
    name: unit && unit.name !== unit.code ? unit.name : "",
    kind: unit?.kind ?? "patrol",
    agency: unit?.agency ?? "",
    crew: (unit?.crew ?? []).join(", "),
    capabilities: (unit?.capabilities ?? []).join(", "),
  };
}

/** Characters as the server counts them (code points, not UTF-16 units). */
const length = (text: string): number => [...text].length;

/** "Ofc. Virtanen, Ofc. Laine," → ["Ofc. Virtanen", "Ofc. Laine"]. */
export function tagsOf(raw: string): string[] {
  return raw.split(",").map((t) => t.trim()).filter(Boolean);
}

function tagProblem(tags: readonly string[], most: number, noun: string): string | null {
  if (tags.length > most) return `At most ${most} ${noun} (${tags.length} now).`;
  const long = tags.find((t) => length(t) > LIMITS.tag);
  return long === undefined ? null : `Each at most ${LIMITS.tag} characters ("${long.slice(0, 20)}…" is ${length(long)}).`;
}

function codeProblem(code: string): string | null {
  if (!code) return "Give the unit a code.";
  if (length(code) > LIMITS.code) return `At most ${LIMITS.code} characters.`;
  if (!CODE_PATTERN.test(code)) return "Letters, digits and . _ : - only, starting with a letter or digit.";
  return null;
}

/**
 * The body for POST (create) or PATCH (edit), or the fields the browser can already tell are wrong.
 * The kind is a choice among KINDS, so only the server judges it.
 */
export function unitBody(values: UnitFormValues, creating: boolean): { body: UnitIn | UnitEdit } | { problems: FormProblems } {
  const problems: FormProblems = {};
  const code = values.code.trim();
  const name = values.name.trim();
  const agency = values.agency.trim();
  const crew = tagsOf(values.crew);
  const capabilities = tagsOf(values.capabilities);
  const found: Array<[string, string | null]> = [
    ["code", creating ? codeProblem(code) : null],
    ["name", length(name) > LIMITS.name ? `At most ${LIMITS.name} characters.` : null],
    ["agency", length(agency) > LIMITS.agency ? `At most ${LIMITS.agency} characters.` : null],
    ["crew", tagProblem(crew, LIMITS.crew, "crew members")],
    ["capabilities", tagProblem(capabilities, LIMITS.capabilities, "capabilities")],
  ];
  for (const [field, problem] of found) if (problem !== null) problems[field] = problem;
  if (Object.keys(problems).length) return { problems };
  const details = { kind: values.kind as UnitKind, agency: agency || null, crew, capabilities };
  if (creating) return { body: { code, name: name || null, ...details } };
  // An empty name on an edit keeps the unit's name (the server never clears it).
  return { body: name ? { name, ...details } : details };
}
