/**
 * The plate-reader features of the watch floor, wired together: live plate alerts (list, banner,
 * tone, map), the alert detail and its check, investigative search, hotlists (and the header's
 * stale chip) and precision; plate readers on the map with their headings.
 */

import { api, unwrap } from "../api/client";
import type { ReaderOut } from "../api/types";
import type { PlateAlertMessage } from "../live/messages";
import { alertFeatures, readerFeatures } from "../map/lpr-features";
import type { MapView } from "../map/map-view";
import type { Header } from "../ui/header";
import type { HotlistsView } from "../ui/hotlists-view";
import type { PlateAlertDetailView } from "../ui/plate-alert-detail";
import { PlateAlertsView } from "../ui/plate-alerts-view";
import { PlateBanner } from "../ui/plate-banner";
import { PrecisionView } from "../ui/precision-view";
import type { SearchView } from "../ui/search-view";
import type { SideTab } from "../ui/side-tabs";
import type { AlertSound } from "../ui/sound";
import { StaleChip } from "../ui/stale-chip";
import { HotlistsController } from "./hotlists-controller";
import { PlateAlertController } from "./plate-alert-controller";
import { PlateAlertStore } from "./plate-alert-store";
import { SearchController } from "./search-controller";

export interface PlateHost {
  map: MapView;
  header: Header;
  sound: AlertSound;
  clockOffset(): number;
  role(): string;
  /** An alert was opened (the floor closes the incident detail) or closed. */
  alertOpened(alertId: string | null): void;
  showTab(tab: SideTab): void;
  /** How many plate alerts are open (and how many high), for the side tab. */
  alertCount(open: number, high: number): void;
}

export class PlateFloor {
  readonly store = new PlateAlertStore();
  readonly alerts: PlateAlertsView;
  readonly detail: PlateAlertController;
  readonly precision = new PrecisionView(() => unwrap(api.GET("/api/lpr/precision")));
  private readonly banner: PlateBanner;
  private readonly chip: StaleChip;
  private readonly hotlistsControl: HotlistsController;
  private readonly searchControl: SearchController;

  constructor(private readonly host: PlateHost) {
    this.alerts = new PlateAlertsView(this.store, {
      onOpen: (id) => void this.open(id),
      toggleSound: (on) => host.sound.setPlateEnabled(on),
      clockOffset: () => host.clockOffset(),
    }, host.sound.plateEnabled);
    this.detail = new PlateAlertController(this.store, { opened: (id) => this.alertOpened(id) }, () => host.clockOffset());
    this.banner = new PlateBanner((id) => {
      host.showTab("alerts");
      void this.open(id);
    });
    host.map.element.append(this.banner.element);
    this.chip = new StaleChip(() => host.showTab("hotlists"));
    host.header.addIndicator(this.chip.element);
    this.hotlistsControl = new HotlistsController(this.chip, () => Date.now() + host.clockOffset(),
      () => ["supervisor", "admin"].includes(host.role()));
    this.searchControl = new SearchController(host.map, () => host.clockOffset());
    this.store.subscribe(() => this.onAlertsChanged());
  }

  get detailView(): PlateAlertDetailView {
    return this.detail.view;
  }

  get search(): SearchView {
    return this.searchControl.view;
  }

  get hotlists(): HotlistsView {
    return this.hotlistsControl.view;
  }

  /** First load: readers on the map, the open alerts, the hotlists' status. */
  start(): void {
    void this.store.load();
    void this.loadReaders();
    this.hotlistsControl.start();
  }

  suspend(): void {
    this.hotlistsControl.stop();
  }

  resume(): void {
    this.hotlistsControl.start();
    if (!this.store.hasLoaded) void this.store.load();
  }

  dispose(): void {
    this.hotlistsControl.stop();
    this.store.dispose();
    this.detail.close();
  }

  /** A plate alert raised or changed on the live channel. */
  onLive(message: PlateAlertMessage): void {
    this.store.applyLive(message);
    this.detail.onLive(message);
    const alert = message.alert;
    if (alert.status === "closed") {
      this.banner.acknowledge(alert.alert_id);
      return;
    }
    if (message.kind !== "lpr.alert.raised" || alert.alert_id === this.detail.alertId) return;
    this.banner.show(alert);
    if (alert.severity === "high") this.host.sound.beepPlateHigh();
  }

  /** A side tab came into view: give it fresh data. */
  tabShown(tab: SideTab): void {
    if (tab === "precision") void this.precision.refresh();
    else if (tab === "hotlists") void this.hotlistsControl.load();
    else if (tab === "search") void this.searchControl.shown().then(() => this.search.focusPlate());
  }

  async open(alertId: string): Promise<void> {
    this.alerts.select(alertId);
    const alert = this.store.get(alertId);
    if (alert) this.host.map.focusOn(alert.lat, alert.lon);
    await this.detail.open(alertId);
  }

  toggleSound(): void {
    const on = !this.host.sound.plateEnabled;
    this.host.sound.setPlateEnabled(on);
    this.alerts.setSound(on);
  }

  tick(nowMs: number): void {
    this.alerts.tick(nowMs);
    this.detailView.tick(nowMs);
  }

  private alertOpened(id: string | null): void {
    this.alerts.markOpen(id);
    if (id) this.banner.acknowledge(id);
    this.host.alertOpened(id);
  }

  private onAlertsChanged(): void {
    const alerts = this.store.alerts;
    this.host.map.setOverlay("alerts", alertFeatures(alerts));
    this.host.alertCount(alerts.length, alerts.filter((a) => a.severity === "high").length);
  }

  private async loadReaders(): Promise<void> {
    let readers: ReaderOut[];
    try {
      readers = await unwrap(api.GET("/api/lpr/readers"));
    } catch {
      return; // no plate readers for this role, or none reachable: the layer stays empty
    }
    this.host.map.setOverlay("plate-readers", readerFeatures(readers));
    this.search.setReaders(readers);
  }
}
