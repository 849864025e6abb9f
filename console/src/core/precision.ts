/** Precision of plate hits per reader and per hotlist: worst first, so bad readers and bad lists stand out. */

export interface PrecisionLike {
  key: string;
  name: string;
  hits: number;
  confirmed: number;
  precision: number | null;
}

/** Lowest precision first; more hits first among equals; rows with nothing decided yet last. */
export function worstFirst<T extends PrecisionLike>(rows: readonly T[]): T[] {
  return [...rows].sort((a, b) => {
    const pa = a.precision ?? Number.POSITIVE_INFINITY;
    const pb = b.precision ?? Number.POSITIVE_INFINITY;
    if (pa !== pb) return pa - pb;
    if (a.hits !== b.hits) return b.hits - a.hits;
    return a.name.localeCompare(b.name);
  });
}

/** 0.5 → "50.0 %", 1 → "100 %", null → "—" (no hits yet). */
export function formatPrecision(precision: number | null | undefined): string {
  if (precision === null || precision === undefined || !Number.isFinite(precision)) return "—";
  const value = precision * 100;
  return value === 100 || value === 0 ? `${value} %` : `${value.toFixed(1)} %`;
}

/** A band for colouring: poor under 50 %, fair under 80 %, good otherwise; none without hits. */
export function precisionBand(precision: number | null | undefined): "poor" | "fair" | "good" | "none" {
  if (precision === null || precision === undefined) return "none";
  if (precision < 0.5) return "poor";
  return precision < 0.8 ? "fair" : "good";
}
