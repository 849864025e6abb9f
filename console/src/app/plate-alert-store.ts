/**
 * The open plate alerts: loaded over REST, kept current by the live channel (which carries only a
 * summary, so a change re-reads the list), closed ones dropped at once.
 */

import { api, unwrap } from "../api/client";
import type { AlertSummary } from "../api/types";
import { newestFirst } from "../core/plates";
import type { PlateAlertMessage } from "../live/messages";
import { CoalescedUpdate } from "../map/coalesce";

export type AlertListener = () => void;

export class PlateAlertStore {
  private readonly byId = new Map<string, AlertSummary>();
  private readonly listeners = new Set<AlertListener>();
  private loadedOnce = false;
  private problemText: string | null = null;
  private loadToken = 0;
  private readonly reload = new CoalescedUpdate(() => void this.load(), 120);

  /** Open alerts, newest first. */
  get alerts(): AlertSummary[] {
    return newestFirst([...this.byId.values()]);
  }

  get hasLoaded(): boolean {
    return this.loadedOnce;
  }

  /** Why the list could not be read (e.g. this role may not see plate alerts), if it could not. */
  get problem(): string | null {
    return this.problemText;
  }

  get(id: string): AlertSummary | undefined {
    return this.byId.get(id);
  }

  subscribe(listener: AlertListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Read the open alerts over REST (first load, live changes, resync). */
  async load(): Promise<void> {
    const token = ++this.loadToken;
    try {
      const alerts = await unwrap(api.GET("/api/lpr/alerts"));
      if (token !== this.loadToken) return; // a later read is on its way
      this.byId.clear();
      for (const alert of alerts) this.byId.set(alert.id, alert);
      this.problemText = null;
    } catch (error) {
      if (token !== this.loadToken) return;
      const status = (error as { status?: number }).status;
      if (status === 401) return;
      this.problemText = status === 403 ? "Plate alerts are not shown to your role." : "Plate alerts cannot be loaded; retrying.";
      if (status !== 403) this.reload.request();
    }
    this.loadedOnce = true;
    this.notify();
  }

  /** A live change: closed alerts leave at once; anything else re-reads the list shortly. */
  applyLive(message: PlateAlertMessage): void {
    if (message.alert.status === "closed") this.remove(message.alert.alert_id);
    else this.reload.request();
  }

  /** The alert was closed here (a disposition): take it off the open list without waiting. */
  remove(id: string): void {
    if (this.byId.delete(id)) this.notify();
  }

  /** Put a fresher copy of one alert in place (after a verification). */
  update(alert: AlertSummary): void {
    if (alert.status === "closed") {
      this.remove(alert.id);
      return;
    }
    this.byId.set(alert.id, alert);
    this.notify();
  }

  dispose(): void {
    this.reload.cancel();
    this.listeners.clear();
  }

  private notify(): void {
    for (const listener of this.listeners) listener();
  }
}
