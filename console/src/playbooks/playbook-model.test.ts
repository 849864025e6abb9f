import { describe, expect, it } from "vitest";
import { entryFamily, readAfterAction } from "./after-action";
import { countdownText, progress, readRun, skipReasonProblem, stepStateAt, type PlaybookStep } from "./playbook-model";

const T0 = Date.parse("2026-11-21T14:00:00Z");
const step = (over: Partial<PlaybookStep> = {}): PlaybookStep => ({
  key: "assess", title: "Assess the threat", detail: null, due_at: "2026-11-21T14:02:00Z", done_at: null, done_by: null, note: null,
  state: "open", ...over,
});

describe("playbook steps", () => {
  it("reads a run and its steps defensively", () => {
    const run = readRun({ incident_id: "i1", playbook: "shots-fired", title: "Shots fired", started_at: "x",
      steps: [{ key: "assess", title: "Assess", state: "weird" }, { title: "no key" }, { key: "notify", state: "done", done_by: "kim" }] });
    expect(run?.steps.map((s) => [s.key, s.state])).toEqual([["assess", "open"], ["notify", "done"]]);
    expect(readRun({ steps: [] })).toBeNull();
  });

  it("counts down to the due time and turns lapsed at it", () => {
    expect(stepStateAt(step(), T0)).toBe("open");
    expect(countdownText(step(), T0)).toBe("due in 2:00");
    expect(countdownText(step(), T0 + 90_500)).toBe("due in 0:30");
    expect(stepStateAt(step(), T0 + 120_000)).toBe("lapsed");
    expect(countdownText(step(), T0 + 132_000)).toBe("lapsed 0:12 ago");
    expect(stepStateAt(step({ state: "lapsed", due_at: "2026-11-21T14:02:00Z" }), T0)).toBe("lapsed");
  });

  it("has no timer once a step is done or skipped, or when it has no due time", () => {
    expect(stepStateAt(step({ state: "done" }), T0 + 999_999)).toBe("done");
    expect(countdownText(step({ state: "done" }), T0)).toBe("");
    expect(countdownText(step({ state: "skipped" }), T0 + 999_999)).toBe("");
    expect(countdownText(step({ due_at: null }), T0)).toBe("");
    expect(stepStateAt(step({ due_at: null }), T0 + 999_999)).toBe("open");
  });

  it("sums progress with lapses counted by the clock", () => {
    const run = { incident_id: "i", playbook: "p", title: "P", started_at: "x",
      steps: [step({ key: "a", state: "done" }), step({ key: "b", state: "skipped" }), step({ key: "c" }), step({ key: "d", due_at: null })] };
    expect(progress(run, T0)).toEqual({ done: 2, total: 4, lapsed: 0 });
    expect(progress(run, T0 + 121_000)).toEqual({ done: 2, total: 4, lapsed: 1 });
  });

  it("wants a reason to skip", () => {
    expect(skipReasonProblem("no")).not.toBeNull();
    expect(skipReasonProblem("not needed")).toBeNull();
  });
});

describe("after-action timeline", () => {
  it("orders entries by time, keeping the server's order for ties", () => {
    const entries = readAfterAction({ incident_id: "i", entries: [
      { at: "2026-11-21T14:05:00Z", kind: "playbook.step.completed", actor: "kim", summary: "Assess done" },
      { at: "2026-11-21T14:00:00Z", kind: "alert.raised", actor: null, summary: "Gunshot" },
      { at: "2026-11-21T14:00:00Z", kind: "incident.created", actor: "system", summary: "Opened" },
      { kind: "no time" },
    ] });
    expect(entries.map((e) => e.summary)).toEqual(["Gunshot", "Opened", "Assess done"]);
    expect(entryFamily("camera.viewed")).toBe("camera");
    expect(entryFamily("")).toBe("other");
  });
});
