/**
 * The alert desk on the watch floor, wired together: the Alerts tab, live `alert` messages, the
 * Priority 1 treatment (the same banner, tone and row flash a new P1 call gets), the alerts and
 * geofences map layers, and the operator's actions.
 */

import { asApiError, describeError } from "../api/errors";
import { call } from "../api/loose";
import type { MapView } from "../map/map-view";
import { P1Alert } from "../ui/p1-alert";
import type { AlertSound } from "../ui/sound";
import { actOnAlert, type AlertAction } from "./alert-actions";
import { deskAlertFeatures, geofenceFeatures, readGeofences } from "./alert-features";
import { alertSummary, KIND_MARKS, type AlertRow } from "./alert-model";
import { AlertDeskStore, type AlertLiveMessage } from "./alert-store";
import { AlertsView } from "./alerts-view";

export interface AlertFloorHost {
  map: MapView;
  sound: AlertSound;
  clockOffset(): number;
  /** Open an incident's detail (the alert is attached to it). */
  openIncident(incidentId: string): void;
  /** Bring the Alerts tab forward. */
  showTab(): void;
}

export class AlertFloor {
  readonly store = new AlertDeskStore();
  readonly view: AlertsView;
  private readonly banner: P1Alert;

  constructor(private readonly host: AlertFloorHost) {
    this.view = new AlertsView(this.store, {
      onOpen: (row) => this.open(row),
      act: (row, action, reason) => this.act(row, action, reason),
      clockOffset: () => host.clockOffset(),
    });
    this.banner = new P1Alert((id) => this.openById(id));
    this.banner.element.setAttribute("data-testid", "alert-p1");
    this.banner.element.classList.add("is-desk-alert");
    host.map.element.append(this.banner.element);
    this.store.subscribe(() => host.map.setOverlay("desk-alerts", deskAlertFeatures(this.store.rows)));
  }

  start(): void {
    void this.reload();
  }

  /** After a resync (or on start): the open alerts and the geofences again. */
  async reload(): Promise<void> {
    await Promise.all([this.store.load(), this.loadGeofences()]);
  }

  dispose(): void {
    this.banner.hide();
    this.store.dispose();
  }

  /** A live `alert` message. */
  onLive(message: AlertLiveMessage): void {
    const change = this.store.applyLive(message);
    if (!change) return;
    if (change.newP1) this.announce(change.row);
    else if (change.row.status !== "new") this.banner.acknowledge(change.row.id);
  }

  openById(id: string): void {
    const row = this.store.get(id);
    this.host.showTab();
    this.view.select(id);
    if (row) this.open(row);
  }

  tick(nowMs: number): void {
    this.view.tick(nowMs);
  }

  private open(row: AlertRow): void {
    this.banner.acknowledge(row.id);
    this.host.map.focusOn(row.lat, row.lon);
    if (row.incidentId) this.host.openIncident(row.incidentId);
  }

  private announce(row: AlertRow): void {
    const what = [KIND_MARKS[row.kind].label, alertSummary(row)].filter(Boolean).join(" — ");
    this.banner.show({ id: row.id, typeText: what, address: row.address ?? "the place on the map" });
    this.host.sound.beepNewP1();
    this.view.flash(row.id);
  }

  private async act(row: AlertRow, action: AlertAction, reason?: string): Promise<string | null> {
    try {
      const updated = await actOnAlert(row.id, action, reason);
      if (updated) this.store.put(updated);
      if (action !== "acknowledge" || updated?.status !== "new") this.banner.acknowledge(row.id);
      return null;
    } catch (error) {
      const problem = asApiError(error);
      return problem.status === 401 ? null : describeError(problem);
    }
  }

  private async loadGeofences(): Promise<void> {
    try {
      this.host.map.setOverlay("geofences", geofenceFeatures(readGeofences(await call("GET", "/api/geofences"))));
    } catch {
      // no geofences for this role (or none defined yet): the layer stays empty
    }
  }
}
