/** The open plate alert in the detail column: what was read and matched, the images, and the check before acting. */

import type { AlertDetail } from "../api/types";
import { ageSeconds, formatAge } from "../core/age";
import { h, replaceChildren, setText } from "./dom";
import {
  alertHead, entrySection, imagesSection, matchSection, readSection, staleWarning, type AlertImages,
} from "./plate-alert-sections";
import { reviewSection, type ReviewActions } from "./plate-review";

export interface AlertDetailActions extends ReviewActions {
  close(): void;
}

export class PlateAlertDetailView {
  readonly element: HTMLElement;
  private readonly body: HTMLElement;
  private readonly feedback: HTMLElement;
  private age: HTMLElement | null = null;
  private current: AlertDetail | null = null;
  private images: AlertImages = { plate: null, vehicle: null, problem: null, loaded: false };
  /** Sections other features add (cameras that can see the read). */
  extras: (detail: AlertDetail) => Array<HTMLElement | null> = () => [];

  constructor(private readonly actions: AlertDetailActions, private readonly clockOffset: () => number) {
    this.feedback = h("p", { class: "detail-feedback", role: "status", "aria-live": "polite", "data-testid": "alert-feedback" });
    this.body = h("div", { class: "detail-body" });
    this.element = h("section", { class: "detail-panel plate-alert-detail", "data-testid": "plate-alert-detail",
      "aria-label": "Plate alert", hidden: true }, this.body);
  }

  get alertId(): string | null {
    return this.current?.id ?? null;
  }

  get isOpen(): boolean {
    return !this.element.hidden;
  }

  showLoading(alertId: string): void {
    this.element.hidden = false;
    this.element.setAttribute("data-alert-id", alertId);
    if (this.current?.id !== alertId) {
      this.current = null;
      setText(this.feedback, "");
      replaceChildren(this.body, this.closeBar(), h("p", { class: "muted detail-loading" }, "Opening the plate alert…"));
    }
  }

  showProblem(text: string): void {
    setText(this.feedback, text);
    this.feedback.classList.add("is-error");
    if (!this.current) replaceChildren(this.body, this.closeBar(), this.feedback);
  }

  showInfo(text: string): void {
    setText(this.feedback, text);
    this.feedback.classList.remove("is-error");
  }

  hide(): void {
    this.element.hidden = true;
    this.element.removeAttribute("data-alert-id");
    this.current = null;
    this.age = null;
    replaceChildren(this.body);
  }

  setImages(images: AlertImages): void {
    this.images = images;
    if (this.current) this.render(this.current, false);
  }

  /** Draw (or redraw after a change) the alert, keeping the scroll position for the same alert. */
  render(detail: AlertDetail, clearFeedback = true): void {
    const same = this.current?.id === detail.id;
    const scroll = same ? this.body.scrollTop : 0;
    if (!same && clearFeedback) setText(this.feedback, "");
    if (!same) this.images = { plate: null, vehicle: null, problem: null, loaded: false };
    this.current = detail;
    this.element.hidden = false;
    this.element.setAttribute("data-alert-id", detail.id);
    this.element.setAttribute("data-status", detail.status);
    const now = Date.now();
    this.age = h("span", { class: "detail-age" });
    replaceChildren(this.body, this.closeBar(), alertHead(detail, this.age, now), staleWarning(detail), this.feedback,
      imagesSection(detail, this.images), reviewSection(detail, this.actions, now), ...this.extras(detail), matchSection(detail),
      entrySection(detail, now), readSection(detail, now));
    this.body.scrollTop = scroll;
    this.tick(now);
  }

  tick(nowMs: number = Date.now()): void {
    if (this.age && this.current) setText(this.age, formatAge(ageSeconds(this.current.raised_at, nowMs, this.clockOffset())));
  }

  private closeBar(): HTMLElement {
    const close = h("button", { type: "button", class: "ghost close-detail", title: "Close (Esc)", "aria-label": "Close plate alert" }, "×");
    close.addEventListener("click", () => this.actions.close());
    return h("div", { class: "detail-close" }, close);
  }
}
