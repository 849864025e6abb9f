/**
 * The open plate alerts beside the queue: newest first, severity colour, plate read against the
 * entry (misread characters marked), reason, match and score, corroboration, stale-list badge,
 * reader, a per-second age and the repeat count; a mute toggle for the high-severity tone.
 */

import type { AlertSummary } from "../api/types";
import { ageSeconds, formatAge } from "../core/age";
import { percent, severityLabel, words } from "../core/plates";
import type { PlateAlertStore } from "../app/plate-alert-store";
import { h, replaceChildren, setText } from "./dom";
import { platePair } from "./plate-chars";

export interface PlateAlertsOptions {
  onOpen(id: string): void;
  toggleSound(on: boolean): void;
  clockOffset(): number;
}

function matchWords(alert: AlertSummary): string {
  const kind = alert.match_kind === "misread"
    ? `misread (${alert.substitutions} char${alert.substitutions === 1 ? "" : "s"})`
    : "exact";
  return `${kind} · score ${percent(alert.score)}`;
}

function corroborationWords(alert: AlertSummary): string {
  return alert.corroboration === null ? "vehicle not compared" : `vehicle ${percent(alert.corroboration)}`;
}

export class PlateAlertsView {
  readonly element: HTMLElement;
  private readonly list: HTMLOListElement;
  private readonly count: HTMLElement;
  private readonly empty: HTMLElement;
  private readonly mute: HTMLButtonElement;
  private ages: Array<[HTMLElement, string]> = [];
  private selectedId: string | null = null;
  private openId: string | null = null;

  constructor(private readonly store: PlateAlertStore, private readonly options: PlateAlertsOptions, soundOn: boolean) {
    this.list = h("ol", { class: "plate-alert-list", "data-testid": "plate-alerts", "aria-label": "Open plate alerts" });
    this.count = h("span", { class: "queue-count", "aria-live": "polite" });
    this.empty = h("p", { class: "queue-empty" }, "Loading plate alerts…");
    this.mute = h("button", { type: "button", class: "ghost small", "data-testid": "plate-sound-toggle" });
    this.mute.addEventListener("click", () => {
      const on = this.mute.getAttribute("aria-pressed") !== "true";
      this.setSound(on);
      this.options.toggleSound(on);
    });
    this.setSound(soundOn);
    this.element = h("section", { class: "queue-panel plate-alerts-panel", "aria-label": "Plate alerts" },
      h("header", { class: "panel-head" }, h("h2", {}, "Plate alerts"), this.count, this.mute), this.empty, this.list);
    this.list.addEventListener("click", (event) => {
      const row = (event.target as Element).closest<HTMLElement>("[data-alert-id]");
      const id = row?.dataset["alertId"];
      if (id) this.options.onOpen(id);
    });
    store.subscribe(() => this.render());
  }

  get selected(): string | null {
    return this.selectedId;
  }

  ids(): string[] {
    return this.store.alerts.map((a) => a.id);
  }

  setSound(on: boolean): void {
    this.mute.setAttribute("aria-pressed", String(on));
    setText(this.mute, on ? "Tone on" : "Muted");
    this.mute.title = on ? "High-severity plate alerts sound a tone (m mutes)" : "Plate-alert tone muted (m turns it on)";
  }

  select(id: string | null): void {
    this.selectedId = id;
    for (const row of this.list.children) row.classList.toggle("is-selected", (row as HTMLElement).dataset["alertId"] === id);
    this.rowOf(id)?.scrollIntoView({ block: "nearest" });
  }

  markOpen(id: string | null): void {
    this.openId = id;
    for (const row of this.list.children) row.classList.toggle("is-open", (row as HTMLElement).dataset["alertId"] === id);
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
    const alerts = this.store.alerts;
    this.ages = [];
    replaceChildren(this.list, ...alerts.map((a) => this.row(a)));
    const high = alerts.filter((a) => a.severity === "high").length;
    setText(this.count, `${alerts.length} open${high ? ` · ${high} high` : ""}`);
    this.empty.hidden = alerts.length > 0;
    setText(this.empty, this.store.problem ?? (this.store.hasLoaded ? "No open plate alerts." : "Loading plate alerts…"));
    this.tick();
  }

  private row(alert: AlertSummary): HTMLElement {
    const age = h("span", { class: "row-age", "data-testid": "plate-alert-age" });
    this.ages.push([age, alert.raised_at]);
    const classes = ["plate-alert-row", alert.id === this.selectedId ? "is-selected" : "", alert.id === this.openId ? "is-open" : ""];
    return h("li", { class: classes.filter(Boolean).join(" "), "data-testid": "plate-alert-row", "data-alert-id": alert.id,
      "data-severity": alert.severity, "data-status": alert.status, "data-stale": String(alert.stale), tabindex: -1 },
    h("span", { class: `badge sev-${alert.severity}`, "data-testid": "plate-alert-severity" }, severityLabel(alert.severity)),
    h("span", { class: "row-main" },
      h("span", { class: "pa-plates" }, platePair(alert.plate_read, alert.plate_entry)),
      h("span", { class: "pa-reason" }, words(alert.reason_code), h("span", { class: "muted" }, ` · ${alert.hotlist_name}`)),
      h("span", { class: "pa-match muted" }, `${matchWords(alert)} · ${corroborationWords(alert)}`)),
    h("span", { class: "row-meta" }, age,
      h("span", { class: "pa-reader" }, alert.reader_code),
      alert.repeat_count > 1 ? h("span", { class: "pa-repeat", title: "reads of this vehicle" }, `×${alert.repeat_count}`) : null,
      alert.stale ? h("span", { class: "stale-badge", "data-testid": "stale-badge", title: "The hotlist was stale when this matched" }, "STALE LIST") : null,
      alert.status === "actionable" ? h("span", { class: "pa-verified" }, "verified") : null));
  }
}
