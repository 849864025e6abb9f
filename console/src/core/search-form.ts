/** The investigative search form as a request: checked before it is sent, and its results as a timeline. */

import type { SearchIn } from "../api/types";
import { fromLocalInput } from "./local-time";
import { checkPlatePattern } from "./plates";

export interface AreaChoice {
  lat: number;
  lon: number;
  radius_m: number;
}

/** What the operator filled in (strings as the inputs hold them). */
export interface SearchForm {
  plate: string;
  since: string;
  until: string;
  area: AreaChoice | null;
  readerCodes: readonly string[];
  make: string;
  model: string;
  colour: string;
  purpose: string;
  caseNumber: string;
  limit: number;
}

export interface FormProblem {
  field: keyof SearchForm;
  reason: string;
}

export const MAX_RADIUS_M = 100_000;

const optional = (value: string): string | null => (value.trim() === "" ? null : value.trim());

function timeProblems(since: string | null, until: string | null): FormProblem[] {
  const problems: FormProblem[] = [];
  if (since === null) problems.push({ field: "since", reason: "Give the start of the time window." });
  if (until === null) problems.push({ field: "until", reason: "Give the end of the time window." });
  if (since !== null && until !== null && Date.parse(since) >= Date.parse(until)) {
    problems.push({ field: "until", reason: "The end must be after the start." });
  }
  return problems;
}

function areaProblems(area: AreaChoice | null): FormProblem[] {
  if (area === null) return [];
  if (!(area.radius_m > 0) || area.radius_m > MAX_RADIUS_M) {
    return [{ field: "area", reason: `The radius must be between 1 m and ${MAX_RADIUS_M / 1000} km.` }];
  }
  return [];
}

/** The request body, or the problems that keep the form from being sent (each naming its field). */
export function searchRequest(form: SearchForm): { body: SearchIn | null; problems: FormProblem[] } {
  const pattern = checkPlatePattern(form.plate);
  const since = fromLocalInput(form.since);
  const until = fromLocalInput(form.until);
  const problems: FormProblem[] = [];
  if (!pattern.ok) problems.push({ field: "plate", reason: pattern.explanation });
  problems.push(...timeProblems(since, until), ...areaProblems(form.area));
  if (form.purpose.trim() === "") problems.push({ field: "purpose", reason: "Choose the purpose of the search." });
  if (form.caseNumber.trim() === "") problems.push({ field: "caseNumber", reason: "Give the case number the search is for." });
  if (problems.length > 0 || since === null || until === null) return { body: null, problems };
  const body: SearchIn = {
    plate: pattern.normalized === "" ? null : pattern.normalized,
    since,
    until,
    area: form.area ? { lat: form.area.lat, lon: form.area.lon, radius_m: form.area.radius_m } : null,
    reader_codes: [...form.readerCodes],
    make: optional(form.make),
    model: optional(form.model),
    colour: optional(form.colour),
    purpose: form.purpose.trim(),
    case_number: form.caseNumber.trim(),
    limit: form.limit,
  };
  return { body, problems };
}

export interface SightingLike {
  id: number;
  plate: string;
  captured_at: string;
}

export interface PlateTrail<T extends SightingLike> {
  plate: string;
  /** Oldest first: where the vehicle was seen, in the order it went. */
  sightings: T[];
}

/** "Where was this vehicle seen": per plate, sightings in time order; the plate seen most recently first. */
export function trailsByPlate<T extends SightingLike>(reads: readonly T[]): Array<PlateTrail<T>> {
  const byPlate = new Map<string, T[]>();
  for (const read of reads) {
    const list = byPlate.get(read.plate) ?? [];
    list.push(read);
    byPlate.set(read.plate, list);
  }
  const at = (r: T): number => Date.parse(r.captured_at);
  const trails = [...byPlate.entries()].map(([plate, sightings]) => ({
    plate,
    sightings: sightings.sort((a, b) => at(a) - at(b) || a.id - b.id),
  }));
  const last = (t: PlateTrail<T>): number => at(t.sightings[t.sightings.length - 1] as T);
  return trails.sort((a, b) => last(b) - last(a) || a.plate.localeCompare(b.plate));
}

/** The file name a Content-Disposition header gives, or a fallback. */
export function attachmentName(header: string | null, fallback: string): string {
  const match = header ? /filename="?([^";]+)"?/i.exec(header) : null;
  const name = match?.[1]?.trim();
  return name && /^[\w.-]+$/.test(name) ? name : fallback;
}
