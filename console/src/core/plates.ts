/** Plates as the operator reads them: pattern checks for search, misread highlighting, alert order and words. */

/** How a search pattern matches, as the server will read it. */
export type PatternKind = "exact" | "prefix" | "wildcard" | "any";

export interface PatternCheck {
  ok: boolean;
  /** Upper case, letters, digits, `*` and `?` only (what the server searches for). */
  normalized: string;
  kind: PatternKind | null;
  /** A sentence for the operator: what the pattern will find, or what is wrong with it. */
  explanation: string;
}

const MAX_PATTERN_LENGTH = 32;
const NOT_PATTERN = /[^A-Z0-9*?]/g;

function explain(pattern: string, kind: PatternKind): string {
  switch (kind) {
    case "exact":
      return `Exactly ${pattern}.`;
    case "prefix":
      return `Plates starting with ${pattern.slice(0, -1)}.`;
    case "any":
      return "Any plate (narrow by time, area, reader or vehicle).";
    default:
      return `Plates like ${pattern}: * stands for any run of characters, ? for exactly one.`;
  }
}

/** Check a plate pattern (`ABC123`, `ABC*`, `*12*`, `A?C123`) the way the server will. Empty is allowed (no plate filter). */
export function checkPlatePattern(raw: string): PatternCheck {
  const trimmed = raw.trim().toUpperCase();
  if (trimmed === "") return { ok: true, normalized: "", kind: null, explanation: "No plate: every read in the window." };
  const odd = [...new Set(trimmed.replace(/[A-Z0-9*?\s-]/g, ""))];
  const normalized = trimmed.replace(NOT_PATTERN, "").replace(/\*+/g, "*");
  if (odd.length > 0) {
    return { ok: false, normalized, kind: null,
      explanation: `Only letters, digits, * and ? — remove ${odd.map((c) => `"${c}"`).join(" ")}.` };
  }
  if (normalized === "") return { ok: false, normalized, kind: null, explanation: "Type letters, digits or wildcards." };
  if (normalized.length > MAX_PATTERN_LENGTH) {
    return { ok: false, normalized, kind: null, explanation: `At most ${MAX_PATTERN_LENGTH} characters.` };
  }
  const kind = patternKind(normalized);
  return { ok: true, normalized, kind, explanation: explain(normalized, kind) };
}

function patternKind(pattern: string): PatternKind {
  if (pattern === "*") return "any";
  if (!pattern.includes("*") && !pattern.includes("?")) return "exact";
  const head = pattern.slice(0, -1);
  if (pattern.endsWith("*") && !head.includes("*") && !head.includes("?")) return "prefix";
  return "wildcard";
}

/** One character of a plate read, marked where it differs from the hotlist entry's plate. */
export interface PlateChar {
  char: string;
  substituted: boolean;
}

/** The read plate, character by character, with the characters an OCR misread changed marked. */
export function markSubstitutions(read: string, entry: string): PlateChar[] {
  return [...read].map((char, i) => ({ char, substituted: char !== entry[i] }));
}

const SEVERITY_RANK: Record<string, number> = { high: 0, medium: 1, low: 2 };

export function severityRank(severity: string): number {
  return SEVERITY_RANK[severity] ?? 3;
}

export function severityLabel(severity: string): string {
  return severity === "medium" ? "MED" : severity.toUpperCase();
}

export interface Ordered {
  id: string;
  raised_at: string;
}

/** Open alerts newest first (by when they were raised; id breaks ties so the order is stable). */
export function newestFirst<T extends Ordered>(alerts: readonly T[]): T[] {
  return [...alerts].sort((a, b) => {
    const diff = Date.parse(b.raised_at) - Date.parse(a.raised_at);
    if (diff !== 0 && !Number.isNaN(diff)) return diff;
    return a.id < b.id ? 1 : a.id > b.id ? -1 : 0;
  });
}

/** A code in plain words: stolen_vehicle → stolen vehicle. */
export function words(code: string | null | undefined): string {
  if (!code) return "—";
  return code.replace(/_/g, " ");
}

/** 0.874 → "87%"; null → "—". */
export function percent(fraction: number | null | undefined): string {
  if (fraction === null || fraction === undefined || !Number.isFinite(fraction)) return "—";
  return `${Math.round(fraction * 100)}%`;
}

/** Compass words for a heading in degrees: 0 → N, 90 → E, 225 → SW. */
export function compass(heading: number | null | undefined): string {
  if (heading === null || heading === undefined || !Number.isFinite(heading)) return "—";
  const points = ["N", "NE", "E", "SE", "S", "SW", "W", "NW"];
  const normal = ((heading % 360) + 360) % 360;
  return `${points[Math.round(normal / 45) % 8]} (${Math.round(normal)}°)`;
}
