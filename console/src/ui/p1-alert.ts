/**
 * "New P1" banner: non-modal, over the top of the map only (never over the queue or the open
 * detail), announced to screen readers without taking focus.
 */

import { h, setText } from "./dom";

const SHOW_MS = 30_000;

export interface NewP1 {
  id: string;
  typeText: string;
  address: string;
}

export class P1Alert {
  readonly element: HTMLElement;
  private readonly message: HTMLElement;
  private readonly more: HTMLElement;
  private shown: NewP1[] = [];
  private hideTimer: number | undefined;

  constructor(onOpen: (id: string) => void) {
    this.message = h("span", { class: "p1-message" });
    this.more = h("span", { class: "p1-more" });
    const open = h("button", { type: "button", class: "p1-open", tabindex: -1 }, "Open");
    const dismiss = h("button", { type: "button", class: "p1-dismiss", tabindex: -1, "aria-label": "Dismiss" }, "×");
    open.addEventListener("click", () => {
      const latest = this.shown[this.shown.length - 1];
      if (latest) onOpen(latest.id);
      this.hide();
    });
    dismiss.addEventListener("click", () => this.hide());
    this.element = h("div", { class: "p1-alert", "data-testid": "p1-alert", role: "alert", "aria-live": "assertive", hidden: true },
      h("span", { class: "badge badge-p1" }, "P1"), this.message, this.more, open, dismiss);
  }

  show(p1: NewP1): void {
    this.shown = [...this.shown.filter((s) => s.id !== p1.id), p1];
    setText(this.message, `New P1: ${p1.typeText} at ${p1.address}`);
    setText(this.more, this.shown.length > 1 ? `+${this.shown.length - 1} more` : "");
    this.element.hidden = false;
    this.element.classList.remove("is-pulsing");
    void this.element.offsetWidth; // restart the pulse animation
    this.element.classList.add("is-pulsing");
    window.clearTimeout(this.hideTimer);
    this.hideTimer = window.setTimeout(() => this.hide(), SHOW_MS);
  }

  /** The incident was opened or left the queue: it needs no more shouting. */
  acknowledge(id: string): void {
    if (!this.shown.some((s) => s.id === id)) return;
    this.shown = this.shown.filter((s) => s.id !== id);
    const latest = this.shown[this.shown.length - 1];
    if (latest) this.show(latest);
    else this.hide();
  }

  hide(): void {
    window.clearTimeout(this.hideTimer);
    this.shown = [];
    this.element.hidden = true;
  }
}
