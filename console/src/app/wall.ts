/**
 * The video wall (/wall): full-screen map and the live queue in big type, no operator controls
 * but the video grid (shown with the "Video" button; each view still asks for its reason).
 * It still needs a session; the map keeps every open incident in view.
 */

import type { ConsoleConfig, QueueRow } from "../api/types";
import { CameraStore } from "../cameras/camera-store";
import { VideoGrid } from "../video/video-grid";
import type { LiveSocket } from "../live/socket";
import { CoalescedUpdate } from "../map/coalesce";
import { MapView } from "../map/map-view";
import { h, setText } from "../ui/dom";
import { Header } from "../ui/header";
import { P1Alert } from "../ui/p1-alert";
import { QueueView } from "../ui/queue-view";
import { ServerClock } from "./clock";
import { createLive } from "./live-wiring";
import { QueueStore } from "./queue-store";
import { QueueLoader, liveHooks, type ConsoleView, type ViewCallbacks } from "./view-support";

function pad2(n: number): string {
  return n.toString().padStart(2, "0");
}

export class WallApp implements ConsoleView {
  readonly element: HTMLElement;
  private readonly store = new QueueStore();
  private readonly clock = new ServerClock();
  private readonly header: Header;
  private readonly queue: QueueView;
  private readonly map: MapView;
  private readonly p1: P1Alert;
  private readonly live: LiveSocket;
  private readonly loader: QueueLoader;
  private readonly wallClock = h("span", { class: "wall-clock", "aria-label": "Time" });
  private readonly cameras = new CameraStore();
  private readonly grid = new VideoGrid(() => this.cameras.cameras.filter((c) => c.status !== "retired"));
  private ticker: number | undefined;
  private readonly mapUpdate = new CoalescedUpdate(() => this.map.setIncidents(this.store.rows));

  constructor(config: ConsoleConfig, callbacks: ViewCallbacks) {
    this.clock.sync(config.serverTime);
    this.header = new Header(null, false, "Watchfloor");
    this.header.setUser(config.user);
    const video = h("button", { type: "button", class: "ghost small", "data-testid": "wall-video-toggle", "aria-pressed": "false" }, "Video");
    video.addEventListener("click", () => this.toggleVideo(video));
    this.grid.element.hidden = true;
    this.cameras.subscribe(() => this.grid.fillPicker());
    this.header.element.append(video, this.wallClock);
    this.queue = new QueueView(this.store, { interactive: false, onOpen: () => undefined, onSelect: () => undefined,
      clockOffset: () => this.clock.offset });
    this.map = new MapView({ autoFit: true, symbolBoost: 1.25, onOpenIncident: () => undefined });
    this.map.layers.toggle(false);
    this.p1 = new P1Alert(() => undefined);
    this.p1.element.classList.add("is-passive");
    this.map.element.append(this.p1.element);
    this.loader = new QueueLoader(this.store);
    this.live = createLive({
      store: this.store,
      openIncidentId: () => null,
      refreshDetail: async () => undefined,
      newP1: (row: QueueRow) => {
        this.p1.show({ id: row.id, typeText: row.type_text || row.type, address: row.address ?? "unknown address" });
        this.queue.flashNewP1(row.id);
      },
    }, liveHooks(this.header, this.clock, callbacks));
    this.element = h("div", { class: "console layout-wall", "data-testid": "app", "data-view": "wall" },
      this.header.element, h("main", { class: "wall-grid" }, this.map.element, this.grid.element, this.queue.element));
  }

  async start(): Promise<void> {
    this.store.subscribe(() => this.scheduleMap());
    this.ticker = window.setInterval(() => this.tick(), 1000);
    this.tick();
    this.live.start();
    void this.map.start();
    await this.loader.loadFirst();
  }

  setConfig(config: ConsoleConfig): void {
    this.clock.sync(config.serverTime);
    this.header.setUser(config.user);
  }

  suspend(): void {
    this.live.stop();
    this.grid.pause();
  }

  resume(): void {
    this.live.start();
    this.grid.resume();
    if (!this.store.hasLoaded) void this.loader.loadFirst();
  }

  dispose(): void {
    this.live.stop();
    this.grid.closeAll();
    window.clearInterval(this.ticker);
    this.mapUpdate.cancel();
    this.element.remove();
  }

  private toggleVideo(button: HTMLButtonElement): void {
    const show = this.grid.element.hidden;
    this.grid.element.hidden = !show;
    button.setAttribute("aria-pressed", String(show));
    if (show) void this.cameras.load();
  }

  private scheduleMap(): void {
    this.mapUpdate.request();
  }

  private tick(): void {
    const now = Date.now();
    this.queue.tick(now);
    this.header.tick(now);
    const t = new Date(now + this.clock.offset);
    setText(this.wallClock, `${pad2(t.getHours())}:${pad2(t.getMinutes())}:${pad2(t.getSeconds())}`);
  }
}
