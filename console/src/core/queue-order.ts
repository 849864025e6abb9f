/**
 * The RTCC queue policy: Priority 1 first, then Priority 2, then Priority 3-5 and unknown;
 * oldest first inside each band. Live upserts keep the queue in this order.
 */

export type PriorityBand = "p1" | "p2" | "low";

/** The fields the policy needs (a QueueRow has them all). */
export interface Queued {
  id: string;
  priority: number | null;
  received_at: string;
}

export function priorityBand(priority: number | null | undefined): PriorityBand {
  if (priority === 1) return "p1";
  if (priority === 2) return "p2";
  return "low";
}

const BAND_RANK: Record<PriorityBand, number> = { p1: 0, p2: 1, low: 2 };

/** "P1".."P5", or "P?" when CAD sent no priority. */
export function priorityLabel(priority: number | null | undefined): string {
  return typeof priority === "number" ? `P${priority}` : "P?";
}

function receivedMs(row: Queued): number {
  const ms = Date.parse(row.received_at);
  return Number.isNaN(ms) ? Number.POSITIVE_INFINITY : ms;
}

/** Policy comparator: band, then oldest first. Ties keep their order (Array.sort is stable). */
export function compareByPolicy(a: Queued, b: Queued): number {
  const band = BAND_RANK[priorityBand(a.priority)] - BAND_RANK[priorityBand(b.priority)];
  if (band !== 0) return band;
  return receivedMs(a) - receivedMs(b);
}

export function sortByPolicy<T extends Queued>(rows: readonly T[]): T[] {
  return [...rows].sort(compareByPolicy);
}

/** Insert or replace a row, then re-sort; returns a new array. */
export function upsertRow<T extends Queued>(rows: readonly T[], row: T): T[] {
  const others = rows.filter((r) => r.id !== row.id);
  return sortByPolicy([...others, row]);
}

/** Drop a row that is no longer open; returns a new array. */
export function removeRow<T extends Queued>(rows: readonly T[], id: string): T[] {
  return rows.filter((r) => r.id !== id);
}

/** The id one step up or down from the current selection (clamped; first row when none). */
export function stepSelection(ids: readonly string[], current: string | null, step: 1 | -1): string | null {
  if (ids.length === 0) return null;
  const index = current === null ? -1 : ids.indexOf(current);
  if (index === -1) return ids[0] ?? null;
  const next = Math.min(ids.length - 1, Math.max(0, index + step));
  return ids[next] ?? null;
}

/** Does this change put a P1 in front of the operator that was not a P1 in the queue before? */
export function isNewP1(previous: Queued | undefined, next: Queued | null): boolean {
  if (next === null || next.priority !== 1) return false;
  return previous === undefined || previous.priority !== 1;
}
