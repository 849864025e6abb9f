/**
 * The incident's response playbook: its checklist with each step's due time counting down (red
 * once lapsed), Complete (with an optional note) and Skip (with a reason), and who did each step
 * when. Read when the detail opens, replaced by every live `playbook` message for the incident.
 */

import { asApiError, describeError } from "../api/errors";
import { call, route } from "../api/loose";
import { formatClock } from "../core/age";
import type { PlaybookMessage } from "../live/messages";
import { h, replaceChildren, setAttr, setText } from "../ui/dom";
import { countdownText, progress, readRun, skipReasonProblem, stepStateAt, type PlaybookRun, type PlaybookStep } from "./playbook-model";

type Editing = { key: string; action: "complete" | "skip" } | null;

const STATE_WORDS = { open: "Open", done: "Done", lapsed: "Lapsed", skipped: "Skipped" } as const;

export class PlaybookPanel {
  private incidentId: string | null = null;
  private run: PlaybookRun | null = null;
  private editing: Editing = null;
  private token = 0;
  private timers: Array<[HTMLElement, PlaybookStep]> = [];
  private readonly root = h("section", { class: "detail-section section-playbook", "data-testid": "playbook", "aria-label": "Playbook" });
  private readonly head = h("h3", {});
  private readonly body = h("div", { class: "playbook-body" });
  private readonly feedback = h("p", { class: "detail-feedback", role: "status" });

  constructor(private readonly clockOffset: () => number) {
    this.root.append(this.head, this.body, this.feedback);
  }

  forIncident(incidentId: string): HTMLElement {
    if (incidentId !== this.incidentId) {
      this.incidentId = incidentId;
      this.run = null;
      this.editing = null;
      setText(this.feedback, "");
      this.render();
      void this.load();
    }
    return this.root;
  }

  forget(): void {
    this.incidentId = null;
    this.run = null;
    this.token += 1;
  }

  onLive(message: PlaybookMessage): void {
    if (message.incident_id !== this.incidentId) return;
    const run = readRun(message.run);
    if (run) this.show(run);
  }

  async load(): Promise<void> {
    const id = this.incidentId;
    if (id === null) return;
    const token = ++this.token;
    try {
      const run = readRun(await call("GET", route("/api/incidents", id, "playbook")));
      if (token === this.token && run) this.show(run);
    } catch (error) {
      if (token !== this.token) return;
      const problem = asApiError(error);
      if (problem.status === 401) return;
      replaceChildren(this.body, h("p", { class: "muted", "data-testid": "playbook-none" },
        problem.status === 404 ? "No playbook for this incident." : describeError(problem)));
    }
  }

  /** Once a second: countdowns, and open steps turning lapsed. */
  tick(nowMs: number = Date.now()): void {
    const serverNow = nowMs + this.clockOffset();
    for (const [row, step] of this.timers) {
      const state = stepStateAt(step, serverNow);
      setAttr(row, "data-state", state);
      const timer = row.querySelector(".step-timer");
      if (timer) setText(timer, countdownText(step, serverNow));
      const word = row.querySelector(".step-state");
      if (word) setText(word, STATE_WORDS[state]);
    }
    if (this.run) this.renderHead(this.run, serverNow);
  }

  private show(run: PlaybookRun): void {
    this.run = run;
    const typing = document.activeElement instanceof HTMLInputElement && this.body.contains(document.activeElement);
    if (!typing) this.render(); // a note or reason being written is not wiped; the submit redraws
  }

  private renderHead(run: PlaybookRun | null, serverNow: number): void {
    if (!run) {
      replaceChildren(this.head, "Playbook");
      return;
    }
    const { done, total, lapsed } = progress(run, serverNow);
    replaceChildren(this.head, `Playbook: ${run.title}`, h("span", { class: "section-count" }, `${done}/${total}`),
      lapsed ? h("span", { class: "lapsed-count", "data-testid": "playbook-lapsed" }, `${lapsed} lapsed`) : null);
  }

  private render(): void {
    this.timers = [];
    const run = this.run;
    this.renderHead(run, Date.now() + this.clockOffset());
    if (!run) {
      replaceChildren(this.body, h("p", { class: "muted" }, "Reading the playbook…"));
      return;
    }
    const now = Date.now();
    replaceChildren(this.body, h("ol", { class: "playbook-steps" }, ...run.steps.map((s) => this.step(s, now))));
    this.tick(now);
  }

  private step(step: PlaybookStep, now: number): HTMLElement {
    const finished = step.state === "done" || step.state === "skipped";
    const who = finished && step.done_at
      ? h("span", { class: "step-who muted", "data-testid": "step-who" }, `${step.done_by ?? "?"} · ${formatClock(step.done_at, now)}`) : null;
    const row = h("li", { class: "playbook-step", "data-testid": "playbook-step", "data-key": step.key, "data-state": step.state },
      h("span", { class: "step-state" }, STATE_WORDS[step.state]),
      h("span", { class: "step-main" }, h("strong", {}, step.title), step.detail ? h("span", { class: "muted step-detail" }, step.detail) : null,
        step.note ? h("span", { class: "step-note" }, step.note) : null),
      h("span", { class: "step-timer", "data-testid": "step-timer" }), who,
      finished ? null : this.buttons(step));
    this.timers.push([row, step]);
    return row;
  }

  private buttons(step: PlaybookStep): HTMLElement {
    const complete = h("button", { type: "button", class: "small", "data-testid": "step-complete" }, "Complete");
    const skip = h("button", { type: "button", class: "small ghost", "data-testid": "step-skip" }, "Skip…");
    complete.addEventListener("click", () => this.edit(step.key, "complete"));
    skip.addEventListener("click", () => this.edit(step.key, "skip"));
    const bar = h("span", { class: "step-actions" }, complete, skip);
    if (this.editing?.key === step.key) bar.append(this.form(step, this.editing.action));
    return bar;
  }

  private edit(key: string, action: "complete" | "skip"): void {
    this.editing = this.editing?.key === key && this.editing.action === action ? null : { key, action };
    this.render();
    this.body.querySelector<HTMLInputElement>(`[data-key="${CSS.escape(key)}"] input`)?.focus();
  }

  private form(step: PlaybookStep, action: "complete" | "skip"): HTMLElement {
    const input = h("input", { type: "text", maxlength: 1000, "data-testid": `step-${action}-text`,
      placeholder: action === "complete" ? "Note (optional)" : "Why skip it", "aria-label": action === "complete" ? "Note" : "Reason" });
    const form = h("form", { class: "step-form" }, input,
      h("button", { type: "submit", class: "small primary", "data-testid": `step-${action}-confirm` }, action === "complete" ? "Done" : "Skip"));
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      void this.submit(step, action, input.value.trim());
    });
    return form;
  }

  private async submit(step: PlaybookStep, action: "complete" | "skip", text: string): Promise<void> {
    const id = this.incidentId;
    if (id === null) return;
    if (action === "skip" && skipReasonProblem(text)) {
      setText(this.feedback, skipReasonProblem(text) ?? "");
      return;
    }
    const body = action === "complete" ? (text ? { note: text } : {}) : { reason: text };
    try {
      const answer = readRun(await call("POST", route("/api/incidents", id, "playbook", "steps", step.key, action), body));
      this.editing = null;
      setText(this.feedback, "");
      if (answer && id === this.incidentId) this.show(answer);
      else await this.load();
    } catch (error) {
      const problem = asApiError(error);
      if (problem.status !== 401) setText(this.feedback, describeError(problem));
    }
  }
}
