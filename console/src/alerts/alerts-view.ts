/**
 * The Alerts tab (`g`): the alert desk's open alerts by priority then time, each with its kind's
 * mark, title, status, per-second age, how many sources reported it, an escalation flag, and the
 * operator's actions: Acknowledge, Dismiss (with a reason), Close.
 */

import { ageSeconds, formatAge } from "../core/age";
import { priorityBand, priorityLabel } from "../core/queue-order";
import { h, replaceChildren, setText } from "../ui/dom";
import {
  alertSummary, dismissReasonProblem, isPriorityOne, KIND_MARKS, sourcesLabel, STATUS_WORDS, type AlertRow,
} from "./alert-model";
import type { AlertAction } from "./alert-actions";
import type { AlertDeskStore } from "./alert-store";

export interface AlertsViewOptions {
  /** A row was chosen: show it on the map, open its incident when it has one. */
  onOpen(row: AlertRow): void;
  act(row: AlertRow, action: AlertAction, reason?: string): Promise<string | null>;
  clockOffset(): number;
}

const FLASH_MS = 4500;

export class AlertsView {
  readonly element: HTMLElement;
  private readonly list: HTMLOListElement;
  private readonly count: HTMLElement;
  private readonly empty: HTMLElement;
  private ages: Array<[HTMLElement, string]> = [];
  private selectedId: string | null = null;
  private dismissing: string | null = null;

  constructor(private readonly store: AlertDeskStore, private readonly options: AlertsViewOptions) {
    this.list = h("ol", { class: "desk-alert-list", "data-testid": "desk-alerts", "aria-label": "Open alerts" });
    this.count = h("span", { class: "queue-count", "aria-live": "polite" });
    this.empty = h("p", { class: "queue-empty" }, "Loading alerts…");
    this.element = h("section", { class: "queue-panel desk-alerts-panel", "aria-label": "Alerts" },
      h("header", { class: "panel-head" }, h("h2", {}, "Alerts"), this.count), this.empty, this.list);
    store.subscribe(() => this.render());
  }

  get selected(): string | null {
    return this.selectedId;
  }

  ids(): string[] {
    return this.store.rows.map((r) => r.id);
  }

  select(id: string | null): void {
    this.selectedId = id;
    for (const row of this.list.children) row.classList.toggle("is-selected", (row as HTMLElement).dataset["alertId"] === id);
    this.rowOf(id)?.scrollIntoView({ block: "nearest" });
  }

  /** A new Priority 1 alert: its row flashes like a new P1 call in the queue. */
  flash(id: string): void {
    const element = this.rowOf(id);
    if (!element) return;
    element.classList.add("is-new-p1");
    window.setTimeout(() => element.classList.remove("is-new-p1"), FLASH_MS);
  }

  tick(nowMs: number = Date.now()): void {
    const offset = this.options.clockOffset();
    for (const [element, since] of this.ages) setText(element, formatAge(ageSeconds(since, nowMs, offset)));
  }

  private rowOf(id: string | null): HTMLElement | null {
    if (!id) return null;
    return this.list.querySelector<HTMLElement>(`[data-alert-id="${CSS.escape(id)}"]`);
  }

  private render(): void {
    const rows = this.store.rows;
    const typing = this.list.contains(document.activeElement) && document.activeElement instanceof HTMLInputElement;
    if (typing) return; // a dismissal reason is being written: the next change redraws
    this.ages = [];
    replaceChildren(this.list, ...rows.map((r) => this.row(r)));
    const p1 = rows.filter(isPriorityOne).length;
    setText(this.count, `${rows.length} open${p1 ? ` · ${p1} P1` : ""}`);
    this.empty.hidden = rows.length > 0;
    setText(this.empty, this.store.problem ?? (this.store.hasLoaded ? "No open alerts." : "Loading alerts…"));
    this.tick();
  }

  private row(alert: AlertRow): HTMLElement {
    const mark = KIND_MARKS[alert.kind];
    const age = h("span", { class: "row-age", "data-testid": "desk-alert-age" });
    this.ages.push([age, alert.occurredAt]);
    const sources = alert.sourceNames.length;
    const element = h("li", { class: `desk-alert-row${alert.id === this.selectedId ? " is-selected" : ""}`, "data-testid": "desk-alert-row",
      "data-alert-id": alert.id, "data-kind": alert.kind, "data-status": alert.status, "data-band": priorityBand(alert.priority),
      "data-escalated": String(alert.escalated), tabindex: -1 },
    h("span", { class: `badge badge-${priorityBand(alert.priority)}` }, priorityLabel(alert.priority)),
    h("span", { class: "row-main" },
      h("span", { class: "row-type" }, h("span", { class: `kind-icon kind-${alert.kind}`, "aria-hidden": "true" }, mark.icon),
        h("span", { class: "desk-alert-kind", "data-testid": "desk-alert-kind" }, mark.label), " · ", alert.title),
      h("span", { class: "row-address" }, alert.address ?? (alert.lat !== null ? "location on the map" : "no location")),
      h("span", { class: "muted desk-alert-summary" }, alertSummary(alert))),
    h("span", { class: "row-meta" }, age,
      h("span", { class: `desk-status status-${alert.status}`, "data-testid": "desk-alert-status" }, STATUS_WORDS[alert.status]),
      h("span", { class: "desk-sources", "data-testid": "desk-alert-sources", title: alert.sourceNames.join(", ") }, sourcesLabel(sources)),
      alert.escalated ? h("span", { class: "escalated-badge", "data-testid": "desk-alert-escalated" }, "ESCALATED") : null,
      alert.incidentId ? h("span", { class: "desk-incident", title: "Attached to an incident" }, "incident") : null),
    this.actions(alert));
    element.addEventListener("click", (event) => {
      if ((event.target as Element).closest("button, input, form")) return;
      this.select(alert.id);
      this.options.onOpen(alert);
    });
    return element;
  }

  private actions(alert: AlertRow): HTMLElement {
    const bar = h("span", { class: "desk-actions" });
    const feedback = h("span", { class: "desk-feedback", role: "status" });
    const run = async (action: AlertAction, reason?: string): Promise<void> => {
      const problem = await this.options.act(alert, action, reason);
      if (problem) setText(feedback, problem);
    };
    const ack = h("button", { type: "button", class: "small", "data-testid": "desk-ack", disabled: alert.status !== "new" }, "Acknowledge");
    const dismiss = h("button", { type: "button", class: "small", "data-testid": "desk-dismiss" }, "Dismiss…");
    const close = h("button", { type: "button", class: "small", "data-testid": "desk-close" }, "Close");
    ack.addEventListener("click", () => void run("acknowledge"));
    close.addEventListener("click", () => void run("close"));
    dismiss.addEventListener("click", () => {
      this.dismissing = this.dismissing === alert.id ? null : alert.id;
      this.render();
      this.rowOf(alert.id)?.querySelector("input")?.focus();
    });
    bar.append(ack, dismiss, close);
    if (this.dismissing === alert.id) bar.append(this.dismissForm(run, feedback));
    bar.append(feedback);
    return bar;
  }

  private dismissForm(run: (action: AlertAction, reason?: string) => Promise<void>, feedback: HTMLElement): HTMLElement {
    const reason = h("input", { type: "text", maxlength: 500, placeholder: "Why (false alarm, test …)", "data-testid": "desk-dismiss-reason",
      "aria-label": "Reason for dismissing" });
    const form = h("form", { class: "desk-dismiss-form" }, reason,
      h("button", { type: "submit", class: "small danger", "data-testid": "desk-dismiss-confirm" }, "Dismiss"));
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      const problem = dismissReasonProblem(reason.value);
      if (problem) {
        setText(feedback, problem);
        return;
      }
      this.dismissing = null;
      reason.blur();
      void run("dismiss", reason.value.trim());
    });
    return form;
  }
}
