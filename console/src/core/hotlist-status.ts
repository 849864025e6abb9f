/** Hotlist freshness in words: ages, stale warnings for the header, import progress. */

import type { ReasonCode } from "../api/types";

/** Minutes as a glanceable age: 35 min, 14 h, 3 d. */
export function formatListAge(minutes: number | null | undefined): string {
  if (minutes === null || minutes === undefined || !Number.isFinite(minutes)) return "never refreshed";
  const m = Math.max(0, minutes);
  if (m < 60) return `${Math.floor(m)} min`;
  if (m < 48 * 60) return `${Math.floor(m / 60)} h`;
  return `${Math.floor(m / 1440)} d`;
}

export interface ListFreshness {
  id: number;
  name: string;
  active: boolean;
  stale: boolean;
  age_minutes: number | null;
}

/** One warning per active stale list, the oldest first: "NCIC list stale 14 h". */
export function staleWarnings(lists: readonly ListFreshness[]): string[] {
  return lists
    .filter((l) => l.active && l.stale)
    .sort((a, b) => (b.age_minutes ?? Number.POSITIVE_INFINITY) - (a.age_minutes ?? Number.POSITIVE_INFINITY))
    .map((l) => (l.age_minutes === null ? `${l.name} list never refreshed` : `${l.name} list stale ${formatListAge(l.age_minutes)}`));
}

export interface ImportLike {
  status: string;
  total_lines: number | null;
  processed: number;
}

/** How far an import is, 0..1, or null while the size is not known yet (an indeterminate bar). */
export function importFraction(run: ImportLike): number | null {
  if (run.status !== "running") return 1;
  if (!run.total_lines || run.total_lines <= 0) return null;
  return Math.min(1, Math.max(0, run.processed / run.total_lines));
}

/** "running 1 200 / 5 000", "succeeded: 4 980 accepted, 20 rejected", "failed: <why>". */
export function describeImport(run: ImportLike & { accepted: number; rejected: number; message: string | null }): string {
  if (run.status === "running") {
    return run.total_lines ? `importing ${run.processed} / ${run.total_lines}` : `importing ${run.processed}…`;
  }
  if (run.status === "failed") return `failed${run.message ? `: ${run.message}` : ""}`;
  return `${run.status}: ${run.accepted} accepted, ${run.rejected} rejected`;
}

/** Every reason a plate may be listed for (checked against the API's enum: none missing, none extra). */
const REASONS = {
  stolen_vehicle: true, stolen_plate: true, felony_vehicle: true, wanted_person: true, missing_person: true, amber: true,
  protection_order: true, supervised_release: true, protective_interest: true, violent_person: true, gang: true,
  sex_offender: true, stolen_canadian_vehicle: true, bolo: true, other: true,
} satisfies Record<ReasonCode, true>;

export const REASON_CODES = Object.keys(REASONS) as ReasonCode[];

/** A manual entry may be kept at most this long (the server refuses more). */
export const MAX_MANUAL_DAYS = 30;
