/**
 * The map panel: MapLibre GL JS on the city basemap (GeoJSON from the API, no online tiles),
 * incident circles by priority (click opens the detail), a layers panel, visible attribution.
 */

import "maplibre-gl/dist/maplibre-gl.css";
import workerUrl from "maplibre-gl/dist/maplibre-gl-worker.mjs?url";
import { AttributionControl, LngLatBounds, Map as MapLibreMap, NavigationControl, setWorkerUrl } from "maplibre-gl";
import type { FeatureCollection } from "geojson";
import { api, unwrap } from "../api/client";
import { emptyBasemap, parseBasemap, type Basemap } from "./basemap";
import { buildBasemapStyle } from "./style";
import {
  highlightIncident, incidentFeatures, installOverlays, setOverlayData, setOverlayVisible,
  type OverlayName, type Placed,
} from "./overlays";
import { LayersPanel } from "./layers-panel";
import { h } from "../ui/dom";

setWorkerUrl(workerUrl);

declare global {
  interface Window {
    /** Test hook: the floor's MapLibre map (browser tests ask it what it drew). */
    watchfloorMap?: MapLibreMap;
  }
}

export interface MapViewOptions {
  /** Wall: keep every incident in view, no map controls. Floor: the operator moves the map. */
  autoFit: boolean;
  /** Extra size for map symbols on top of the screen's scale (the wall is read from afar). */
  symbolBoost?: number;
  onOpenIncident(incidentId: string): void;
  /** A plate alert's dot was clicked. */
  onOpenAlert?(alertId: string): void;
  /** A camera's dot was clicked. */
  onOpenCamera?(code: string): void;
  /** An alert-desk alert's dot (gunshot, panic …) was clicked. */
  onOpenDeskAlert?(alertId: string): void;
  /** The map moved or zoomed (camera wedges follow what is on screen). */
  onViewChanged?(view: MapViewport): void;
}

export interface MapViewport {
  west: number;
  south: number;
  east: number;
  north: number;
  zoom: number;
}

/** 1 at the base 16 px root font, 2 where the console scales up for a 4K screen. */
function screenScale(): number {
  const rootPx = Number.parseFloat(getComputedStyle(document.documentElement).fontSize);
  return Number.isFinite(rootPx) && rootPx > 0 ? rootPx / 16 : 1;
}

async function loadBasemap(): Promise<{ basemap: Basemap; problem: string | null }> {
  try {
    const body = await unwrap(api.GET("/api/map/basemap"));
    return { basemap: parseBasemap(body), problem: null };
  } catch {
    return { basemap: emptyBasemap(), problem: "Basemap unavailable — incidents are still shown." };
  }
}

export class MapView {
  readonly element: HTMLElement;
  readonly layers: LayersPanel;
  private map: MapLibreMap | null = null;
  private styleReady = false;
  private incidents: FeatureCollection = { type: "FeatureCollection", features: [] };
  private incidentsSet = false;
  private readyMarked = false;
  private selected: string | null = null;
  private basemap: Basemap | null = null;
  private scale = 1;
  private readonly notice = h("div", { class: "map-notice", hidden: true, role: "status" });
  private readonly canvasHost = h("div", { class: "map-canvas" });
  private readonly pending = new Map<OverlayName, FeatureCollection>();
  private picking: ((point: { lat: number; lon: number } | null) => void) | null = null;
  private readonly onReady: Array<(map: MapLibreMap) => void> = [];

  constructor(private readonly options: MapViewOptions) {
    this.layers = new LayersPanel((name, visible) => this.applyVisibility(name, visible));
    this.element = h("section", { class: "map-panel", "data-testid": "map", "aria-label": "Map" },
      this.canvasHost, this.layers.element, this.notice);
  }

  /** Fetch the basemap and start MapLibre (call once the element is in the document). */
  async start(): Promise<void> {
    const { basemap, problem } = await loadBasemap();
    this.basemap = basemap;
    if (problem) this.showNotice(problem);
    try {
      this.createMap(basemap);
    } catch (error) {
      this.showNotice(`The map cannot start here (${error instanceof Error ? error.message : "WebGL"}).`);
    }
  }

  private createMap(basemap: Basemap): void {
    this.scale = screenScale() * (this.options.symbolBoost ?? 1);
    const map = new MapLibreMap({
      container: this.canvasHost,
      style: buildBasemapStyle(basemap, this.scale),
      attributionControl: false,
      dragRotate: false,
      pitchWithRotate: false,
      fadeDuration: 0,
    });
    map.addControl(new AttributionControl({ compact: false, customAttribution: basemap.attribution || undefined }), "bottom-right");
    if (!this.options.autoFit) map.addControl(new NavigationControl({ showCompass: false }), "top-right");
    if (basemap.bbox) map.fitBounds(basemap.bbox, { padding: 20, animate: false });
    map.on("load", () => this.onStyleLoaded(map));
    map.on("error", (event) => console.warn("map:", event.error?.message));
    new ResizeObserver(() => map.resize()).observe(this.canvasHost);
    this.map = map;
    if (!this.options.autoFit) window.watchfloorMap = map;
  }

  private onStyleLoaded(map: MapLibreMap): void {
    installOverlays(map, this.scale);
    this.styleReady = true;
    setOverlayData(map, "incidents", this.incidents);
    for (const [name, data] of this.pending) setOverlayData(map, name, data);
    this.pending.clear();
    for (const [name, visible] of this.layers.visibility()) setOverlayVisible(map, name, visible);
    highlightIncident(map, this.selected);
    map.on("click", "incidents", (event) => {
      const id = event.features?.[0]?.properties?.["id"];
      if (typeof id === "string") this.options.onOpenIncident(id);
    });
    map.on("click", "alerts", (event) => {
      const id = event.features?.[0]?.properties?.["id"];
      if (typeof id === "string" && !this.picking) this.options.onOpenAlert?.(id);
    });
    map.on("click", "cameras", (event) => {
      const id = event.features?.[0]?.properties?.["id"];
      if (typeof id === "string" && !this.picking) this.options.onOpenCamera?.(id);
    });
    map.on("click", "desk-alerts", (event) => {
      const id = event.features?.[0]?.properties?.["id"];
      if (typeof id === "string" && !this.picking) this.options.onOpenDeskAlert?.(id);
    });
    map.on("moveend", () => {
      const view = this.viewport();
      if (view) this.options.onViewChanged?.(view);
    });
    map.on("click", (event) => this.finishPick({ lat: event.lngLat.lat, lon: event.lngLat.lng }));
    for (const layer of ["incidents", "alerts", "cameras", "desk-alerts"]) {
      map.on("mouseenter", layer, () => (map.getCanvas().style.cursor = "pointer"));
      map.on("mouseleave", layer, () => (map.getCanvas().style.cursor = this.picking ? "crosshair" : ""));
    }
    for (const ready of this.onReady.splice(0)) ready(map);
    this.fitIfWall();
    this.markReadyWhenIdle();
    const view = this.viewport();
    if (view) this.options.onViewChanged?.(view);
  }

  /** Run `ready` with the map once its overlays are in (at once when they already are): a feature's own clicks and popups. */
  whenReady(ready: (map: MapLibreMap) => void): void {
    if (this.map && this.styleReady) ready(this.map);
    else this.onReady.push(ready);
  }

  /** Is a point-picking click under way (features' own clicks stand back then)? */
  get isPicking(): boolean {
    return this.picking !== null;
  }

  /** The open incidents (queue rows); rows without coordinates stay off the map. */
  setIncidents(rows: readonly Placed[]): void {
    this.incidents = incidentFeatures(rows);
    this.incidentsSet = true;
    if (this.map && this.styleReady) {
      setOverlayData(this.map, "incidents", this.incidents);
      this.fitIfWall();
      this.markReadyWhenIdle();
    }
  }

  /** Later features fill units, cameras, plate readers and alerts through this. */
  setOverlay(name: OverlayName, data: FeatureCollection): void {
    if (name === "incidents") {
      this.incidents = data;
      this.incidentsSet = true;
    }
    if (this.map && this.styleReady) setOverlayData(this.map, name, data);
    else this.pending.set(name, data);
  }

  select(incidentId: string | null, focus: { lat?: number | null; lon?: number | null } | null): void {
    this.selected = incidentId;
    if (!this.map || !this.styleReady) return;
    highlightIncident(this.map, incidentId);
    if (focus && typeof focus.lat === "number" && typeof focus.lon === "number" && !this.options.autoFit) {
      const zoom = Math.max(this.map.getZoom(), 15);
      this.map.easeTo({ center: [focus.lon, focus.lat], zoom, duration: 400 });
    }
  }

  /** What the map shows now (null until it runs). */
  viewport(): MapViewport | null {
    if (!this.map || !this.styleReady) return null;
    const b = this.map.getBounds();
    return { west: b.getWest(), south: b.getSouth(), east: b.getEast(), north: b.getNorth(), zoom: this.map.getZoom() };
  }

  /** The next click on the map, as a place (null when cancelled or when the map is not running). */
  pickPoint(): Promise<{ lat: number; lon: number } | null> {
    this.finishPick(null);
    if (!this.map || !this.styleReady) return Promise.resolve(null);
    this.map.getCanvas().style.cursor = "crosshair";
    return new Promise((resolve) => (this.picking = resolve));
  }

  cancelPick(): void {
    this.finishPick(null);
  }

  private finishPick(point: { lat: number; lon: number } | null): void {
    const resolve = this.picking;
    if (!resolve) return;
    this.picking = null;
    if (this.map) this.map.getCanvas().style.cursor = "";
    resolve(point);
  }

  /** Bring a place into view (a plate alert, a search hit). */
  focusOn(lat: number | null | undefined, lon: number | null | undefined): void {
    if (!this.map || !this.styleReady || typeof lat !== "number" || typeof lon !== "number") return;
    this.map.easeTo({ center: [lon, lat], zoom: Math.max(this.map.getZoom(), 15), duration: 400 });
  }

  /** Bring every point ([lon, lat]) into view (search results). */
  fitPoints(points: ReadonlyArray<[number, number]>): void {
    if (!this.map || !this.styleReady || points.length === 0) return;
    const bounds = new LngLatBounds();
    for (const point of points) bounds.extend(point);
    this.map.fitBounds(bounds, { padding: 80, maxZoom: 16, duration: 400 });
  }

  private applyVisibility(name: OverlayName, visible: boolean): void {
    if (this.map && this.styleReady) setOverlayVisible(this.map, name, visible);
  }

  private fitIfWall(): void {
    if (!this.options.autoFit || !this.map) return;
    const points = this.incidents.features.flatMap((f) => (f.geometry.type === "Point" ? [f.geometry.coordinates] : []));
    if (points.length === 0) {
      if (this.basemap?.bbox) this.map.fitBounds(this.basemap.bbox, { padding: 40, duration: 600 });
      return;
    }
    const bounds = new LngLatBounds();
    for (const [lon, lat] of points) if (lon !== undefined && lat !== undefined) bounds.extend([lon, lat]);
    this.map.fitBounds(bounds, { padding: 80, maxZoom: 15.5, duration: 600 });
  }

  private markReadyWhenIdle(): void {
    if (this.readyMarked || !this.incidentsSet || !this.map) return;
    this.map.once("idle", () => {
      if (this.readyMarked) return;
      this.readyMarked = true;
      performance.mark("watchfloor:map-ready");
    });
  }

  private showNotice(text: string): void {
    this.notice.textContent = text;
    this.notice.hidden = false;
  }
}
