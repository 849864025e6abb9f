/** Why a camera is being watched: an incident, a plate alert, or a proactive-monitoring note (required by policy, audited). */

import type { Problem } from "../api/errors";

export const REASON_KINDS = ["incident", "alert", "proactive"] as const;
export type ReasonKind = (typeof REASON_KINDS)[number];

export const REASON_WORDS: Record<ReasonKind, string> = {
  incident: "Incident",
  alert: "Plate alert",
  proactive: "Proactive monitoring",
};

/** What the server takes: {"kind", "ref", "note"}. */
export interface ViewReason {
  kind: ReasonKind;
  ref: string | null;
  note: string | null;
}

/** The dialog's fields as typed. */
export interface ReasonDraft {
  kind: string;
  ref: string;
  note: string;
}

export type ReasonField = "kind" | "ref" | "note";
export type ReasonProblems = Partial<Record<ReasonField, string>>;

export const MAX_REF = 100;
export const MAX_NOTE = 500;
export const MIN_NOTE = 5;

function isKind(value: string): value is ReasonKind {
  return (REASON_KINDS as readonly string[]).includes(value);
}

/** The reason to send, or what is wrong with the draft, field by field. */
export function checkReason(draft: ReasonDraft): { reason: ViewReason } | { problems: ReasonProblems } {
  const ref = draft.ref.trim();
  const note = draft.note.trim();
  const problems: ReasonProblems = {};
  if (!isKind(draft.kind)) return { problems: { kind: "Choose why you are watching." } };
  if (draft.kind === "incident" && !ref) problems.ref = "Give the incident number.";
  if (draft.kind === "alert" && !ref) problems.ref = "Give the plate alert.";
  if (ref.length > MAX_REF) problems.ref = `At most ${MAX_REF} characters.`;
  if (draft.kind === "proactive" && note.length < MIN_NOTE) problems.note = "Say what you are monitoring and why.";
  if (note.length > MAX_NOTE) problems.note = `At most ${MAX_NOTE} characters.`;
  if (Object.keys(problems).length) return { problems };
  return { reason: { kind: draft.kind, ref: ref || null, note: note || null } };
}

/** The server's field problems (pointers like "/reason/ref") as dialog fields; the rest as "kind". */
export function reasonProblemsFrom(problems: readonly Problem[]): ReasonProblems {
  const out: ReasonProblems = {};
  for (const p of problems) {
    const last = p.pointer.split("/").filter(Boolean).pop() ?? "";
    // A check across fields answers at "/reason" and names the field in its text ("ref: …").
    const named = /(?:^|, )(ref|note):/.exec(p.reason)?.[1];
    const field: ReasonField = last === "ref" || last === "note" ? last : named === "ref" || named === "note" ? named : "kind";
    out[field] = out[field] ? `${out[field]} ${p.reason}` : p.reason;
  }
  return out;
}

/** One line for a tile or a toast: "Incident 2026-0042", "Proactive monitoring: market square". */
export function describeReason(reason: ViewReason): string {
  const word = REASON_WORDS[reason.kind];
  if (reason.ref) return `${word} ${reason.ref}`;
  return reason.note ? `${word}: ${reason.note}` : word;
}
