/**
 * The "Community cameras" map layer: the registered cameras in (a margin around) what the map
 * shows, read from GET /api/community/cameras with the box — each read is audited, so the layer
 * asks again only when the map leaves the box it has, and not while the layer is switched off —
 * and a popup on click: label, business or "Residence", what it covers, how long it keeps video,
 * which requests its owner accepts. Contact details never reach the console.
 */

import type { FeatureCollection } from "geojson";
import { Popup, type MapGeoJSONFeature, type Map as MapLibreMap } from "maplibre-gl";
import { asApiError, describeError } from "../api/errors";
import { call } from "../api/loose";
import type { MapView, MapViewport } from "../map/map-view";
import { h } from "../ui/dom";
import { COMMUNITY_DOT_LAYER, communityFeatures } from "./community-features";
import { coversText, kindLabel, ownerName, readCameras, type CommunityCameraRow } from "./community-model";
import { retentionText } from "./request-logic";
import { boxAround, contains, type Box } from "./viewport-box";

declare global {
  interface Window {
    /** Test hook: the community overlay last handed to the map. */
    watchfloorCommunityOverlay?: FeatureCollection;
  }
}

/** Wait this long after the map stops before asking (a pan is often followed by another). */
const SETTLE_MS = 300;
/** Zoomed in this far past the last read: ask again (a wide read may have stopped at the layer's limit). */
const REFINE_ZOOM = 2;

export class CommunityLayer {
  private cameras: CommunityCameraRow[] = [];
  private picked: ReadonlySet<string> = new Set();
  private box: Box | null = null;
  private boxZoom = 0;
  private view: MapViewport | null = null;
  private timer: number | undefined;
  private token = 0;
  private popup: Popup | null = null;
  problem: string | null = null;

  constructor(private readonly map: MapView) {
    map.whenReady((m) => this.listen(m));
    map.layers.element.addEventListener("change", () => this.schedule());
  }

  /** The map moved or zoomed. */
  mapMoved(view: MapViewport): void {
    this.view = view;
    this.schedule();
  }

  /** Cameras picked in the open incident's request form stand out on the map. */
  setPicked(ids: ReadonlySet<string>): void {
    this.picked = ids;
    this.draw();
  }

  /** Read the box again (after a resync, or a registration changed). */
  async reload(): Promise<void> {
    this.box = null;
    await this.fetch();
  }

  dispose(): void {
    window.clearTimeout(this.timer);
    this.popup?.remove();
  }

  private get visible(): boolean {
    return this.map.layers.visibility().some(([name, on]) => name === "community" && on);
  }

  private schedule(): void {
    window.clearTimeout(this.timer);
    this.timer = window.setTimeout(() => void this.fetch(), SETTLE_MS);
  }

  private async fetch(): Promise<void> {
    const view = this.view;
    if (!view || !this.visible || (this.box && contains(this.box, view) && view.zoom < this.boxZoom + REFINE_ZOOM)) return;
    const box = boxAround(view);
    const token = ++this.token;
    try {
      const body = await call("GET", "/api/community/cameras", undefined,
        { west: String(box.west), south: String(box.south), east: String(box.east), north: String(box.north) });
      if (token !== this.token) return;
      this.cameras = readCameras(body);
      this.box = box;
      this.boxZoom = view.zoom;
      this.problem = null;
      this.draw();
    } catch (error) {
      const failure = asApiError(error);
      if (token === this.token && failure.status !== 401) this.problem = describeError(failure);
    }
  }

  private draw(): void {
    const overlay = communityFeatures(this.cameras, this.picked);
    window.watchfloorCommunityOverlay = overlay;
    this.map.setOverlay("community", overlay);
  }

  private listen(map: MapLibreMap): void {
    map.on("click", COMMUNITY_DOT_LAYER, (event) => {
      const feature = event.features?.[0];
      if (!feature || this.map.isPicking) return;
      this.showPopup(map, feature, [event.lngLat.lng, event.lngLat.lat]);
    });
    map.on("mouseenter", COMMUNITY_DOT_LAYER, () => (map.getCanvas().style.cursor = "pointer"));
    map.on("mouseleave", COMMUNITY_DOT_LAYER, () => (map.getCanvas().style.cursor = ""));
  }

  private showPopup(map: MapLibreMap, feature: MapGeoJSONFeature, at: [number, number]): void {
    const id = feature.properties?.["id"];
    const camera = this.cameras.find((c) => c.id === id);
    if (!camera) return;
    this.popup?.remove();
    this.popup = new Popup({ closeButton: true, maxWidth: "18rem", className: "community-popup" })
      .setLngLat(at).setDOMContent(popupContent(camera)).addTo(map);
  }
}

/** What the popup says about one camera. */
export function popupContent(c: CommunityCameraRow): HTMLElement {
  const accepts = c.accepts.length ? c.accepts.map(kindLabel).join(", ") : "—";
  return h("div", { class: "community-popup-body", "data-testid": "community-popup", "data-id": c.id },
    h("strong", {}, c.label),
    h("div", { "data-testid": "community-popup-owner" }, ownerName(c.siteKind, c.siteName)),
    h("div", { class: "muted" }, `Covers ${coversText(c.covers) || "—"}`),
    h("div", { "data-testid": "community-popup-retention" }, retentionText(c.retentionDays)),
    h("div", { class: "muted" }, `Accepts: ${accepts}`),
    h("div", { class: "muted small-print" }, "Registered community camera — footage only on request, no live access."));
}
