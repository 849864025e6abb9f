/**
 * Community Connect on the watch floor, wired together: the "Community cameras" map layer, the
 * "Registered community cameras" section (with the request form and the requests) in the open
 * incident's context, the supervisor's "Community requests" tab, and live `community.request`
 * messages that keep the open incident's requests current.
 */

import "./community.css";
import type { IncidentDetail } from "../api/types";
import type { CommunityCamera } from "../context/packet";
import type { CommunityRequestMessage } from "../live/messages";
import type { MapView, MapViewport } from "../map/map-view";
import { CommunityLayer } from "./community-layer";
import { CommunitySection } from "./community-section";
import { CommunityStatsView } from "./stats-view";

export interface CommunityHost {
  map: MapView;
  role(): string;
  clockOffset(): number;
}

const REQUESTERS = new Set(["operator", "supervisor"]);
const STATS_READERS = new Set(["supervisor", "admin"]);
/** Re-age the "footage gone in …" lines this often. */
const AGE_EVERY_MS = 60_000;

/** Does this role see the supervisor's "Community requests" tab? */
export function seesCommunityStats(role: string): boolean {
  return STATS_READERS.has(role);
}

export class CommunityFloor {
  readonly layer: CommunityLayer;
  readonly section: CommunitySection;
  readonly stats: CommunityStatsView;
  private lastAged = 0;

  constructor(private readonly host: CommunityHost) {
    const nowMs = (): number => Date.now() + host.clockOffset();
    this.layer = new CommunityLayer(host.map);
    this.section = new CommunitySection({
      nowMs,
      canRequest: () => REQUESTERS.has(host.role()),
      picked: (ids) => this.layer.setPicked(ids),
    });
    this.stats = new CommunityStatsView(nowMs);
  }

  mapMoved(view: MapViewport): void {
    this.layer.mapMoved(view);
  }

  /** The section for the open incident's context. */
  sectionFor(detail: IncidentDetail): HTMLElement {
    return this.section.forIncident(detail);
  }

  /** The context packet listed the registered cameras near the open incident. */
  found(cameras: readonly CommunityCamera[]): void {
    this.section.found(cameras);
  }

  /** A live `community.request` message: the open incident's requests are read again. */
  onLive(message: CommunityRequestMessage): void {
    if (message.incident_id === this.openIncident) void this.section.requests.load();
  }

  /** After a resync: the layer's box and the open incident's requests again. */
  async reload(): Promise<void> {
    await Promise.all([this.layer.reload(), this.section.requests.load()]);
  }

  tabShown(tab: string): void {
    if (tab === "community" && seesCommunityStats(this.host.role())) void this.stats.refresh();
  }

  /** The detail closed. */
  forget(): void {
    this.section.forget();
  }

  tick(nowMs: number): void {
    if (nowMs - this.lastAged < AGE_EVERY_MS) return;
    this.lastAged = nowMs;
    this.section.tick();
  }

  dispose(): void {
    this.layer.dispose();
  }

  private get openIncident(): string | null {
    return this.section.incident;
  }
}
