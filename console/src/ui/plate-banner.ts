/**
 * "Plate hit" banner: non-modal, over the map only, announced to screen readers without taking
 * focus; severity coloured, the stale-list warning in it, Open goes to the alert.
 */

import { severityLabel, words } from "../core/plates";
import type { PlateAlertLive } from "../live/messages";
import { h, setAttr, setText } from "./dom";

const SHOW_MS = 45_000;

export class PlateBanner {
  readonly element: HTMLElement;
  private readonly badge: HTMLElement;
  private readonly message: HTMLElement;
  private readonly more: HTMLElement;
  private shown: PlateAlertLive[] = [];
  private hideTimer: number | undefined;

  constructor(onOpen: (id: string) => void) {
    this.badge = h("span", { class: "badge" });
    this.message = h("span", { class: "p1-message" });
    this.more = h("span", { class: "p1-more" });
    const open = h("button", { type: "button", tabindex: -1, "data-testid": "plate-banner-open" }, "Open");
    const dismiss = h("button", { type: "button", class: "p1-dismiss", tabindex: -1, "aria-label": "Dismiss" }, "×");
    open.addEventListener("click", () => {
      const latest = this.shown[this.shown.length - 1];
      this.hide();
      if (latest) onOpen(latest.alert_id);
    });
    dismiss.addEventListener("click", () => this.hide());
    this.element = h("div", { class: "plate-banner", "data-testid": "plate-banner", role: "alert", "aria-live": "assertive", hidden: true },
      this.badge, this.message, this.more, open, dismiss);
  }

  show(alert: PlateAlertLive): void {
    this.shown = [...this.shown.filter((s) => s.alert_id !== alert.alert_id), alert];
    setAttr(this.element, "data-severity", alert.severity);
    setAttr(this.badge, "class", `badge sev-${alert.severity}`);
    setText(this.badge, severityLabel(alert.severity));
    const stale = alert.stale ? " — STALE LIST, confirm with the source" : "";
    const misread = alert.match_kind === "misread" ? " (possible misread)" : "";
    setText(this.message, `Plate hit ${alert.plate}${misread}: ${words(alert.reason_code)} at ${alert.reader_code}${stale}`);
    setText(this.more, this.shown.length > 1 ? `+${this.shown.length - 1} more` : "");
    this.element.hidden = false;
    window.clearTimeout(this.hideTimer);
    this.hideTimer = window.setTimeout(() => this.hide(), SHOW_MS);
  }

  /** The alert was opened or closed: stop shouting about it. */
  acknowledge(id: string): void {
    if (!this.shown.some((s) => s.alert_id === id)) return;
    this.shown = this.shown.filter((s) => s.alert_id !== id);
    const latest = this.shown.pop();
    if (latest) this.show(latest);
    else this.hide();
  }

  hide(): void {
    window.clearTimeout(this.hideTimer);
    this.shown = [];
    this.element.hidden = true;
  }
}
