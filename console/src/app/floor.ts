/**
 * The operator's watch floor: header, queue (with plate alerts, search, hotlists and precision on
 * tabs beside it), map, and the incident or plate-alert detail, wired to the REST client, the live
 * channel, keyboard shortcuts and the new-P1 and plate-hit alerts.
 */

import { AlertFloor } from "../alerts/alert-floor";
import type { ConsoleConfig, QueueRow } from "../api/types";
import { CameraFloor } from "../cameras/camera-floor";
import { CommunityFloor, seesCommunityStats } from "../community/community-floor";
import { IncidentExtras } from "../context/incident-extras";
import { stepSelection } from "../core/queue-order";
import type { LiveSocket } from "../live/socket";
import { CoalescedUpdate } from "../map/coalesce";
import { MapView } from "../map/map-view";
import { DetailView } from "../ui/detail-view";
import { h } from "../ui/dom";
import { Header } from "../ui/header";
import { HelpOverlay } from "../ui/help-overlay";
import { P1Alert } from "../ui/p1-alert";
import { QueueView } from "../ui/queue-view";
import { SidePanel, type SideTab } from "../ui/side-tabs";
import { AlertSound } from "../ui/sound";
import { UnitFloor } from "../units/unit-floor";
import { ServerClock } from "./clock";
import { DetailController } from "./detail-controller";
import { listenForShortcuts } from "./keyboard";
import { createLive } from "./live-wiring";
import { PlateFloor } from "./plate-floor";
import { QueueStore } from "./queue-store";
import { incidentIdFromHash, incidentHash, QueueLoader, liveHooks, type ConsoleView, type ViewCallbacks } from "./view-support";

export class FloorApp implements ConsoleView {
  readonly element: HTMLElement;
  private readonly store = new QueueStore();
  private readonly clock = new ServerClock();
  private readonly sound = new AlertSound();
  private readonly header: Header;
  private readonly queue: QueueView;
  private readonly map: MapView;
  private readonly detailView: DetailView;
  private readonly detail: DetailController;
  private readonly p1: P1Alert;
  private readonly help = new HelpOverlay();
  private readonly live: LiveSocket;
  private readonly loader: QueueLoader;
  private readonly plates: PlateFloor;
  private readonly cameras: CameraFloor;
  private readonly alertDesk: AlertFloor;
  private readonly units: UnitFloor;
  private readonly community: CommunityFloor;
  private readonly incidentExtras: IncidentExtras;
  private readonly side: SidePanel;
  private readonly cleanups: Array<() => void> = [];
  private active = true;

  constructor(private config: ConsoleConfig, callbacks: ViewCallbacks) {
    this.clock.sync(config.serverTime);
    this.header = new Header({
      logout: () => callbacks.logout(),
      toggleSound: (on) => this.sound.setEnabled(on),
      showHelp: () => this.help.toggle(),
    }, this.sound.enabled, "Watchfloor");
    this.header.setUser(config.user);
    this.queue = new QueueView(this.store, {
      interactive: true,
      onOpen: (id) => void this.open(id),
      onSelect: () => undefined,
      clockOffset: () => this.clock.offset,
    });
    this.map = new MapView({ autoFit: false, onOpenIncident: (id) => this.openFromElsewhere(id),
      onOpenAlert: (id) => void this.plates.open(id), onOpenCamera: (code) => this.cameras.openCamera(code),
      onViewChanged: (view) => {
        this.cameras.mapMoved(view);
        this.community.mapMoved(view);
      }, onOpenDeskAlert: (id) => this.alertDesk.openById(id) });
    this.p1 = new P1Alert((id) => this.openFromElsewhere(id));
    this.map.element.append(this.p1.element);
    this.detailView = new DetailView({
      claim: () => void this.claim(),
      release: () => void this.detail.release(),
      addNote: (text) => this.detail.addNote(text),
      close: () => this.detail.close(),
    }, () => this.config.user, () => this.clock.offset);
    this.detail = new DetailController(this.detailView, {
      claimChanged: (id, change) => this.patchRow(id, change),
      opened: (id, detail) => this.onOpened(id, detail?.incident ?? null),
    });
    this.plates = this.plateFloor();
    this.cameras = new CameraFloor({ map: this.map, role: () => this.config.user.role, showTab: (tab) => this.side.show(tab) });
    this.alertDesk = new AlertFloor({ map: this.map, sound: this.sound, clockOffset: () => this.clock.offset,
      openIncident: (id) => this.openFromElsewhere(id), showTab: () => this.side.show("desk") });
    this.alertDesk.store.subscribe(() => {
      const rows = this.alertDesk.store.rows;
      this.side.setDeskCount(rows.length, rows.filter((r) => r.priority === 1).length);
    });
    this.units = new UnitFloor({ map: this.map, clockOffset: () => this.clock.offset, role: () => this.config.user.role,
      showTab: () => this.side.show("units") });
    this.community = new CommunityFloor({ map: this.map, role: () => this.config.user.role, clockOffset: () => this.clock.offset });
    this.incidentExtras = new IncidentExtras(this.cameras, () => this.clock.offset, (id) => this.alertDesk.openById(id), this.community);
    this.detailView.leading = (detail) => this.incidentExtras.leading(detail);
    this.detailView.extras = (detail) => this.incidentExtras.trailing(detail);
    this.plates.detailView.extras = (detail) => this.cameras.alertExtras(detail);
    this.side = new SidePanel({ queue: this.queue.element, desk: this.alertDesk.view.element, alerts: this.plates.alerts.element, search: this.plates.search.element,
      hotlists: this.plates.hotlists.element, precision: this.plates.precision.element, cameras: this.cameras.view.element,
      video: this.cameras.grid.element, units: this.units.view.element, community: this.community.stats.element }, (tab) => {
      this.plates.tabShown(tab);
      this.cameras.tabShown(tab);
      this.community.tabShown(tab);
    });
    this.side.setAvailable("community", seesCommunityStats(config.user.role));
    this.loader = new QueueLoader(this.store);
    this.live = createLive({
      store: this.store,
      openIncidentId: () => this.detail.incidentId,
      refreshDetail: () => this.detail.refresh(),
      newP1: (row) => this.announceP1(row),
      plateAlert: (message) => this.plates.onLive(message),
      reloadPlateAlerts: () => this.plates.store.load(),
      cameraStatus: (message) => this.cameras.onStatus(message),
      reloadCameras: () => this.cameras.reload(),
      deskAlert: (message) => this.alertDesk.onLive(message),
      reloadDeskAlerts: () => this.alertDesk.reload(),
      context: (message) => this.incidentExtras.onContext(message),
      playbook: (message) => this.incidentExtras.onPlaybook(message),
      reloadIncidentExtras: () => this.incidentExtras.reload(),
      unit: (message) => this.units.onLive(message.unit),
      reloadUnits: () => this.units.reload(),
      communityRequest: (message) => this.community.onLive(message),
      reloadCommunity: () => this.community.reload(),
    }, liveHooks(this.header, this.clock, callbacks));
    this.element = h("div", { class: "console layout-floor", "data-testid": "app", "data-view": "floor" },
      this.header.element,
      h("main", { class: "floor-grid" }, this.side.element, this.map.element, this.detailView.element, this.plates.detailView.element),
      this.help.element);
  }

  private plateFloor(): PlateFloor {
    return new PlateFloor({
      map: this.map,
      header: this.header,
      sound: this.sound,
      clockOffset: () => this.clock.offset,
      role: () => this.config.user.role,
      alertOpened: (id) => {
        if (id && this.detail.incidentId) this.detail.close();
        if (!id) this.cameras.detailClosed();
      },
      showTab: (tab) => this.side.show(tab),
      alertCount: (open, high) => this.side.setAlertCount(open, high),
    });
  }

  async start(): Promise<void> {
    this.store.subscribe(() => this.scheduleMapUpdate());
    this.cleanups.push(() => this.mapUpdate.cancel());
    this.cleanups.push(listenForShortcuts(this.shortcuts(), () => this.active));
    const onHash = (): void => this.followHash();
    window.addEventListener("hashchange", onHash);
    this.cleanups.push(() => window.removeEventListener("hashchange", onHash));
    const onOnline = (): void => this.live.nudge();
    window.addEventListener("online", onOnline);
    this.cleanups.push(() => window.removeEventListener("online", onOnline));
    const ticker = window.setInterval(() => this.tick(), 1000);
    this.cleanups.push(() => window.clearInterval(ticker));
    this.live.start();
    void this.map.start();
    this.plates.start();
    this.cameras.start();
    this.alertDesk.start();
    this.units.start();
    await this.loader.loadFirst();
    this.followHash();
  }

  setConfig(config: ConsoleConfig): void {
    this.config = config;
    this.clock.sync(config.serverTime);
    this.header.setUser(config.user);
    this.side.setAvailable("community", seesCommunityStats(config.user.role));
  }

  /** Locked: no data flows, keys do nothing; everything on screen stays as it is. */
  suspend(): void {
    this.active = false;
    this.live.stop();
    this.plates.suspend();
    this.cameras.suspend();
  }

  /** Unlocked: reconnect with since/epoch so the missed events are replayed. */
  resume(): void {
    this.active = true;
    this.live.start();
    this.plates.resume();
    this.cameras.resume();
    if (!this.store.hasLoaded) void this.loader.loadFirst();
  }

  dispose(): void {
    this.active = false;
    this.live.stop();
    this.plates.dispose();
    this.cameras.dispose();
    this.alertDesk.dispose();
    this.units.dispose();
    this.community.dispose();
    for (const cleanup of this.cleanups.splice(0)) cleanup();
    this.element.remove();
  }

  private shortcuts() {
    return {
      "select-next": () => this.step(1),
      "select-previous": () => this.step(-1),
      "open-selected": () => this.openSelected(),
      claim: () => void this.claim(),
      release: () => void this.detail.release(),
      "focus-note": () => this.detailView.focusNote(),
      escape: () => this.escape(),
      "toggle-layers": () => this.map.layers.toggle(),
      "toggle-help": () => this.help.toggle(),
      "show-queue": () => this.side.show("queue"),
      "show-desk-alerts": () => this.side.show("desk"),
      "show-alerts": () => this.side.show("alerts"),
      "show-search": () => this.side.show("search"),
      "show-hotlists": () => this.side.show("hotlists"),
      "show-precision": () => this.side.show("precision"),
      "show-cameras": () => {
        this.side.show("cameras");
        this.cameras.view.focusSearch();
      },
      "show-video": () => this.side.show("video"),
      "show-units": () => this.side.show("units"),
      "show-community": () => {
        if (this.side.isAvailable("community")) this.side.show("community");
      },
      "toggle-plate-sound": () => this.plates.toggleSound(),
    };
  }

  /** j/k move through the list on show: the alerts or plate alerts on their tab, else the queue. */
  private step(direction: 1 | -1): void {
    if (this.side.current === "desk") {
      const desk = this.alertDesk.view;
      desk.select(stepSelection(desk.ids(), desk.selected, direction));
      return;
    }
    if (this.side.current === "alerts") {
      const alerts = this.plates.alerts;
      alerts.select(stepSelection(alerts.ids(), alerts.selected, direction));
      return;
    }
    this.side.show("queue");
    this.queue.select(stepSelection(this.queue.ids(), this.queue.selected, direction));
  }

  private openSelected(): void {
    const tab: SideTab = this.side.current;
    if (tab === "desk" && this.alertDesk.view.selected) this.alertDesk.openById(this.alertDesk.view.selected);
    else if (tab === "alerts" && this.plates.alerts.selected) void this.plates.open(this.plates.alerts.selected);
    else if (tab === "queue" && this.queue.selected) void this.open(this.queue.selected);
  }

  /** Esc: close the help, else leave a text field, else close the detail. */
  private escape(): void {
    const active = document.activeElement;
    const field = active instanceof HTMLElement && active.matches("input, textarea, select, [contenteditable]") ? active : null;
    this.map.cancelPick();
    if (this.help.isOpen) this.help.hide();
    else if (field) field.blur();
    else if (this.plates.detail.alertId) this.plates.detail.close();
    else if (this.detail.incidentId) this.detail.close();
    else if (active instanceof HTMLElement) active.blur();
  }

  private async open(id: string): Promise<void> {
    this.queue.select(id, false);
    await this.detail.open(id);
  }

  private openFromElsewhere(id: string): void {
    this.queue.select(id);
    void this.detail.open(id);
  }

  private async claim(): Promise<void> {
    const id = this.detail.incidentId;
    if (!id) return;
    const row = this.store.get(id);
    const heldByOther = row?.claimed_by_username && row.claimed_by_username !== this.config.user.username;
    await this.detail.claim(Boolean(heldByOther) && this.config.user.role === "supervisor");
  }

  private patchRow(id: string, change: Partial<QueueRow>): void {
    const row = this.store.get(id);
    if (row) this.store.upsert({ ...row, ...change });
  }

  private onOpened(id: string | null, incident: { lat?: number | null; lon?: number | null } | null): void {
    if (id && this.plates.detail.alertId) this.plates.detail.close();
    if (!id) {
      this.cameras.detailClosed();
      this.incidentExtras.forget();
    }
    this.queue.markOpen(id);
    if (id) this.p1.acknowledge(id);
    this.map.select(id, incident ?? (id ? this.store.get(id) ?? null : null));
    const hash = incidentHash(id);
    if (location.hash !== hash) history.replaceState(null, "", hash || location.pathname + location.search);
  }

  private followHash(): void {
    const id = incidentIdFromHash(location.hash);
    if (id && id !== this.detail.incidentId) this.openFromElsewhere(id);
  }

  private announceP1(row: QueueRow): void {
    this.p1.show({ id: row.id, typeText: row.type_text || row.type, address: row.address ?? "unknown address" });
    this.sound.beepNewP1();
    this.queue.flashNewP1(row.id);
  }

  private readonly mapUpdate = new CoalescedUpdate(() => this.map.setIncidents(this.store.rows));

  private scheduleMapUpdate(): void {
    this.mapUpdate.request();
  }

  private tick(): void {
    const now = Date.now();
    this.queue.tick(now);
    this.detailView.tick(now);
    this.plates.tick(now);
    this.alertDesk.tick(now);
    this.units.tick(now);
    this.incidentExtras.tick(now);
    this.community.tick(now);
    this.header.tick(now);
  }
}
