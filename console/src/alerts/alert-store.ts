/**
 * The open alerts of the alert desk: read over REST (new and acknowledged), kept current from the
 * live channel (the `alert` message carries the whole changed alert, so it is applied at once),
 * re-read after a resync. Alerts that are dismissed, merged or closed leave the list.
 */

import { call } from "../api/loose";
import type { AlertMessage } from "../live/messages";
import { asApiError, describeError } from "../api/errors";
import { isNewP1Alert, isOpen, rowFromChanged, rowsFromList, sortAlerts, type AlertRow } from "./alert-model";

/** The live channel's alert message (contract: `{"type": "alert", "kind", "alert"}`). */
export type AlertLiveMessage = AlertMessage;

export interface AlertChange {
  row: AlertRow;
  /** The bus kind (alert.raised, alert.escalated …). */
  kind: string;
  /** A Priority 1 alert that was not on the list as one before. */
  newP1: boolean;
}

export class AlertDeskStore {
  private readonly byId = new Map<string, AlertRow>();
  private readonly listeners = new Set<() => void>();
  private loadedOnce = false;
  private problemText: string | null = null;
  private token = 0;

  /** Open alerts, priority then oldest first. */
  get rows(): AlertRow[] {
    return sortAlerts([...this.byId.values()]);
  }

  get hasLoaded(): boolean {
    return this.loadedOnce;
  }

  get problem(): string | null {
    return this.problemText;
  }

  get(id: string): AlertRow | undefined {
    return this.byId.get(id);
  }

  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async load(): Promise<void> {
    const token = ++this.token;
    try {
      const lists = await Promise.all(["new", "acknowledged"].map((status) => call("GET", "/api/alerts", undefined, { status })));
      if (token !== this.token) return;
      this.replace(lists.flatMap((list) => rowsFromList(list)));
      this.problemText = null;
    } catch (error) {
      if (token !== this.token) return;
      const problem = asApiError(error);
      if (problem.status === 401) return;
      this.problemText = problem.status === 403 ? "Alerts are not shown to your role." : `Alerts cannot be loaded: ${describeError(problem)}`;
    }
    this.loadedOnce = true;
    this.notify();
  }

  /** A live message: the alert as it is now; returns what changed (null when unreadable). */
  applyLive(message: AlertLiveMessage): AlertChange | null {
    const row = rowFromChanged(message.alert);
    if (row === null) return null;
    return { row, kind: message.kind, newP1: this.put(row) };
  }

  /** An alert as an action's answer returned it. */
  put(row: AlertRow): boolean {
    const previous = this.byId.get(row.id);
    if (previous && Date.parse(previous.updatedAt) > Date.parse(row.updatedAt)) return false; // an older copy
    if (isOpen(row)) this.byId.set(row.id, row);
    else this.byId.delete(row.id);
    this.notify();
    return isNewP1Alert(previous, row) && this.loadedOnce;
  }

  dispose(): void {
    this.listeners.clear();
  }

  private replace(rows: AlertRow[]): void {
    this.byId.clear();
    for (const row of rows) if (isOpen(row)) this.byId.set(row.id, row);
  }

  private notify(): void {
    for (const listener of this.listeners) listener();
  }
}
