/**
 * An incident's playbook run (contract, H4: GET /api/incidents/{id}/playbook and the live
 * `playbook` message), read defensively, with each step's countdown and lapse decided here so the
 * panel only draws: an open step past its due time shows as lapsed (red) even before the server
 * says so; done and skipped steps show who and when.
 */

export type StepState = "open" | "done" | "lapsed" | "skipped";

export interface PlaybookStep {
  key: string;
  title: string;
  detail: string | null;
  due_at: string | null;
  done_at: string | null;
  done_by: string | null;
  note: string | null;
  state: StepState;
}

export interface PlaybookRun {
  incident_id: string;
  playbook: string;
  title: string;
  started_at: string;
  steps: PlaybookStep[];
}

type Fields = Record<string, unknown>;
const isFields = (v: unknown): v is Fields => typeof v === "object" && v !== null && !Array.isArray(v);
const str = (f: Fields, k: string): string | null => (typeof f[k] === "string" ? (f[k] as string) : null);
const STATES: readonly StepState[] = ["open", "done", "lapsed", "skipped"];

function readStep(f: Fields): PlaybookStep | null {
  const key = str(f, "key");
  if (key === null) return null;
  const state = STATES.includes(f["state"] as StepState) ? (f["state"] as StepState) : "open";
  return { key, title: str(f, "title") ?? key, detail: str(f, "detail"), due_at: str(f, "due_at"), done_at: str(f, "done_at"),
    done_by: str(f, "done_by"), note: str(f, "note"), state };
}

/** A run from the API or the live channel (null when it is not one). */
export function readRun(value: unknown): PlaybookRun | null {
  if (!isFields(value)) return null;
  const incidentId = str(value, "incident_id");
  if (incidentId === null) return null;
  const steps = Array.isArray(value["steps"]) ? value["steps"].filter(isFields).flatMap((s) => readStep(s) ?? []) : [];
  return { incident_id: incidentId, playbook: str(value, "playbook") ?? "", title: str(value, "title") ?? "Playbook",
    started_at: str(value, "started_at") ?? "", steps };
}

/** The step's state at this moment by the server's clock (an open step past due is lapsed). */
export function stepStateAt(step: PlaybookStep, serverNowMs: number): StepState {
  if (step.state !== "open") return step.state;
  const due = step.due_at ? Date.parse(step.due_at) : Number.NaN;
  return !Number.isNaN(due) && serverNowMs >= due ? "lapsed" : "open";
}

function clock(totalSeconds: number): string {
  const s = Math.max(0, Math.floor(totalSeconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = String(s % 60).padStart(2, "0");
  return h > 0 ? `${h}:${String(m).padStart(2, "0")}:${sec}` : `${m}:${sec}`;
}

/** What the step's timer says: "due in 4:32", "lapsed 0:12 ago", or "" (no due time, or finished). */
export function countdownText(step: PlaybookStep, serverNowMs: number): string {
  const state = stepStateAt(step, serverNowMs);
  if (state === "done" || state === "skipped" || !step.due_at) return "";
  const due = Date.parse(step.due_at);
  if (Number.isNaN(due)) return "";
  const seconds = (due - serverNowMs) / 1000;
  return state === "lapsed" ? `lapsed ${clock(-seconds)} ago` : `due in ${clock(Math.ceil(seconds))}`;
}

/** Done / total, for the section head. */
export function progress(run: PlaybookRun, serverNowMs: number): { done: number; total: number; lapsed: number } {
  const done = run.steps.filter((s) => s.state === "done" || s.state === "skipped").length;
  const lapsed = run.steps.filter((s) => stepStateAt(s, serverNowMs) === "lapsed").length;
  return { done, total: run.steps.length, lapsed };
}

/** What a skip needs: a reason of at least 3 characters. */
export function skipReasonProblem(reason: string): string | null {
  return reason.trim().length >= 3 ? null : "Give a reason for skipping (at least 3 characters).";
}
