/**
 * Opening a plate alert and working it: the audited detail read, the images fetched as blobs
 * (shown through object URLs, revoked when the alert closes), verification, disposition and
 * outcome, with 409/422 refusals shown in words.
 */

import { api, unwrap } from "../api/client";
import { asApiError, describeError } from "../api/errors";
import type { AlertDetail, AlertOutcome, Disposition, VerificationIn } from "../api/types";
import { words } from "../core/plates";
import type { PlateAlertMessage } from "../live/messages";
import { PlateAlertDetailView, type AlertDetailActions } from "../ui/plate-alert-detail";
import type { AlertImages } from "../ui/plate-alert-sections";
import { reviewProblem } from "./lpr-problems";
import type { PlateAlertStore } from "./plate-alert-store";

export interface AlertDetailHooks {
  opened(alertId: string | null, detail: AlertDetail | null): void;
}

export class PlateAlertController implements AlertDetailActions {
  readonly view: PlateAlertDetailView;
  private openId: string | null = null;
  private token = 0;
  private urls: string[] = [];

  constructor(private readonly store: PlateAlertStore, private readonly hooks: AlertDetailHooks, clockOffset: () => number) {
    this.view = new PlateAlertDetailView(this, clockOffset);
  }

  get alertId(): string | null {
    return this.openId;
  }

  async open(alertId: string): Promise<void> {
    if (this.openId !== alertId) this.dropImages();
    this.openId = alertId;
    this.view.showLoading(alertId);
    this.hooks.opened(alertId, null);
    const detail = await this.refresh();
    if (detail && this.openId === alertId) void this.loadImages(detail);
  }

  close(): void {
    this.openId = null;
    this.token += 1;
    this.dropImages();
    this.view.hide();
    this.hooks.opened(null, null);
  }

  /** Someone changed an alert: re-read the open one if its status moved under us. */
  onLive(message: PlateAlertMessage): void {
    if (this.openId !== message.alert.alert_id) return;
    if (this.view.element.getAttribute("data-status") !== message.alert.status) void this.refresh();
  }

  /** The audited read of the open alert. */
  async refresh(): Promise<AlertDetail | null> {
    const alertId = this.openId;
    if (alertId === null) return null;
    const token = ++this.token;
    try {
      const detail = await unwrap(api.GET("/api/lpr/alerts/{alert_id}", { params: { path: { alert_id: alertId } } }));
      if (token !== this.token) return null;
      this.view.render(detail);
      this.hooks.opened(alertId, detail);
      return detail;
    } catch (error) {
      const problem = asApiError(error);
      if (token === this.token && problem.status !== 401) this.view.showProblem(reviewProblem(problem));
      return null;
    }
  }

  verify(body: VerificationIn): Promise<void> {
    return this.change("/api/lpr/alerts/{alert_id}/verification", body, (d) =>
      d.status === "actionable" ? "Checked: the alert may be confirmed." : "Check recorded; the alert is not actionable.");
  }

  dispose(disposition: Disposition): Promise<void> {
    return this.change("/api/lpr/alerts/{alert_id}/disposition", { disposition }, () => `Closed as ${words(disposition)}.`);
  }

  outcome(outcome: AlertOutcome, caseNumber: string | null, note: string | null): Promise<void> {
    return this.change("/api/lpr/alerts/{alert_id}/outcome", { outcome, case_number: caseNumber, note }, () => "Outcome recorded.");
  }

  private async change(
    path: "/api/lpr/alerts/{alert_id}/verification" | "/api/lpr/alerts/{alert_id}/disposition" | "/api/lpr/alerts/{alert_id}/outcome",
    body: object, done: (detail: AlertDetail) => string,
  ): Promise<void> {
    const alertId = this.openId;
    if (alertId === null) return;
    try {
      const params = { path: { alert_id: alertId } };
      // The three bodies differ; the path picks the right one and the server checks it.
      const detail = await unwrap(api.POST(path, { params, body: body as never }));
      this.store.update(detail);
      if (this.openId !== alertId) return;
      this.view.render(detail, false);
      this.view.showInfo(done(detail));
      this.hooks.opened(alertId, detail);
    } catch (error) {
      const problem = asApiError(error);
      if (problem.status !== 401 && this.openId === alertId) this.view.showProblem(reviewProblem(problem));
    }
  }

  private async loadImages(detail: AlertDetail): Promise<void> {
    const images: AlertImages = { plate: null, vehicle: null, problem: null, loaded: false };
    const wanted: Array<"plate" | "vehicle"> = [];
    if (detail.plate_image) wanted.push("plate");
    if (detail.vehicle_image) wanted.push("vehicle");
    for (const which of wanted) {
      try {
        const blob = await unwrap(api.GET("/api/lpr/alerts/{alert_id}/image/{which}", {
          params: { path: { alert_id: detail.id, which } }, parseAs: "blob" }));
        if (this.openId !== detail.id) return;
        const url = URL.createObjectURL(blob);
        this.urls.push(url);
        images[which] = url;
      } catch (error) {
        images.problem = `The ${which} image cannot be shown: ${describeError(asApiError(error))}`;
      }
    }
    images.loaded = true;
    if (this.openId === detail.id) this.view.setImages(images);
  }

  private dropImages(): void {
    for (const url of this.urls.splice(0)) URL.revokeObjectURL(url);
  }
}
