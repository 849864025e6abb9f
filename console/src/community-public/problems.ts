/**
 * Where a problem is shown: the server names fields by JSON pointer (/email, /cameras/0/covers);
 * the form has one message slot per field, keyed the same way (email, cameras-0-covers).
 * Validation wording from the framework is turned into plain words for residents.
 */

import type { Problem } from "./validation";

/** The pin's coordinates are explained beside the address and its map. */
const ALIASES: Record<string, string> = { lat: "address", lon: "address" };

/** The form slot for a pointer: "/cameras/0/label" → "cameras-0-label"; "" for the whole form. */
export function slotOf(pointer: string): string {
  const parts = pointer.split("/").filter((p) => p !== "").map((p) => p.replace(/~1/g, "/").replace(/~0/g, "~"));
  const key = parts.join("-");
  return ALIASES[key] ?? key;
}

const PLAIN: [RegExp, (m: RegExpMatchArray) => string][] = [
  [/^Field required/i, () => "Please fill this in."],
  [/^String should have at least 1 character/i, () => "Please fill this in."],
  [/^String should have at most (\d+) characters?/i, (m) => `Use at most ${m[1]} characters.`],
  [/^List should have at least 1 item/i, () => "Choose at least one."],
  [/^List should have at most (\d+) items?/i, (m) => `Choose at most ${m[1]}.`],
  [/^Input should be greater than or equal to (\S+)/i, (m) => `Enter ${m[1]} or more.`],
  [/^Input should be greater than (\S+)/i, (m) => `Enter more than ${m[1]}.`],
  [/^Input should be less than or equal to (\S+)/i, (m) => `Enter ${m[1]} or less.`],
  [/^Input should be less than (\S+)/i, (m) => `Enter less than ${m[1]}.`],
  [/^Input should be a valid integer/i, () => "Enter a whole number."],
  [/^Input should be a valid number/i, () => "Enter a number."],
  [/^Input should be '.*'/i, () => "Choose one of the options."],
  [/^Extra inputs are not permitted/i, () => "The page sent something unexpected; reload it and try again."],
];

/** A server reason in plain words, as a sentence. */
export function plainReason(reason: string): string {
  const stripped = reason.replace(/^Value error,\s*/i, "").trim();
  for (const [pattern, say] of PLAIN) {
    const match = stripped.match(pattern);
    if (match) return say(match);
  }
  if (stripped === "") return "This is not valid.";
  const sentence = /^(is|must|has|was) /.test(stripped) ? `This ${stripped}` : stripped[0]?.toUpperCase() + stripped.slice(1);
  return /[.!?]$/.test(sentence) ? sentence : `${sentence}.`;
}

export interface Placed {
  /** Messages by form slot (first problem per slot wins). */
  bySlot: Map<string, string>;
  /** Problems no slot on the page can show (said in the summary). */
  unplaced: string[];
}

/** The slot itself, else its nearest enclosing one ("cameras-0-covers-1" → "cameras-0-covers"). */
function nearestSlot(slot: string, slots: ReadonlySet<string>): string | null {
  const parts = slot.split("-");
  while (parts.length > 0) {
    const key = parts.join("-");
    if (slots.has(key)) return key;
    parts.pop();
  }
  return null;
}

/** Put each problem beside its field, when the page has that field. */
export function placeProblems(problems: Problem[], slots: ReadonlySet<string>): Placed {
  const bySlot = new Map<string, string>();
  const unplaced: string[] = [];
  for (const problem of problems) {
    const slot = nearestSlot(slotOf(problem.pointer), slots);
    const reason = plainReason(problem.reason);
    if (slot !== null) {
      if (!bySlot.has(slot)) bySlot.set(slot, reason);
    } else {
      unplaced.push(reason);
    }
  }
  return { bySlot, unplaced };
}
