/** Reconnect backoff: 0.5 s doubling to 10 s, with jitter so consoles don't stampede. */

export const BACKOFF_BASE_MS = 500;
export const BACKOFF_MAX_MS = 10_000;

/** Ceiling for a retry (attempt 0 = first retry). */
export function backoffCeilingMs(attempt: number): number {
  const exponent = Math.max(0, Math.min(attempt, 20));
  return Math.min(BACKOFF_MAX_MS, BACKOFF_BASE_MS * 2 ** exponent);
}

/** "Equal jitter": between half the ceiling and the ceiling. random() is in [0, 1). */
export function backoffDelayMs(attempt: number, random: () => number = Math.random): number {
  const ceiling = backoffCeilingMs(attempt);
  const jitter = Math.min(Math.max(random(), 0), 1);
  return Math.round(ceiling / 2 + (ceiling / 2) * jitter);
}
