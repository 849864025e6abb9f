/** Timings for the benchmark: bounded, plain data on window.watchfloorMetrics. */

export const LIVE_METRICS_LIMIT = 1000;

export interface LiveTiming {
  seq: number;
  incident_id: string;
  sent_at_ms: number;
  received_at_ms: number;
  rendered_at_ms: number;
}

/** Append, dropping the oldest entries beyond limit (mutates and returns the array). */
export function pushBounded<T>(items: T[], item: T, limit: number = LIVE_METRICS_LIMIT): T[] {
  items.push(item);
  if (items.length > limit) items.splice(0, items.length - limit);
  return items;
}
