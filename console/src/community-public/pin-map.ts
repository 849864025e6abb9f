/**
 * The map under the address: the city basemap (GET /community/basemap.json, served here, no online
 * tiles) and one draggable pin at the chosen address, which the owner may move onto the spot the
 * cameras are. Without WebGL the form still works: the pin stays on the address point.
 */

import "maplibre-gl/dist/maplibre-gl.css";
import workerUrl from "maplibre-gl/dist/maplibre-gl-worker.mjs?url";
import { AttributionControl, Map as MapLibreMap, Marker, NavigationControl, setWorkerUrl } from "maplibre-gl";
import { h } from "../ui/dom";
import { parseBasemap } from "../map/basemap";
import { buildBasemapStyle } from "../map/style";

setWorkerUrl(workerUrl);

declare global {
  interface Window {
    /** Test hook: the pin map (browser tests read the pin's position). */
    communityPin?: { map: MapLibreMap; marker: Marker };
  }
}

export interface PinPosition {
  lat: number;
  lon: number;
}

export class PinMap {
  readonly element: HTMLElement;
  private readonly canvas = h("div", { class: "pin-map-canvas", "data-testid": "pin-map" });
  private readonly notice = h("p", { class: "hint", hidden: true });
  private map: MapLibreMap | null = null;
  private marker: Marker | null = null;

  constructor(private readonly onMoved: (position: PinPosition) => void) {
    this.element = h("div", { class: "pin-map" }, this.canvas, this.notice);
  }

  /** Load the basemap and start the map centred on `center` (call once it is in the document). */
  async start(center: PinPosition): Promise<void> {
    try {
      const response = await fetch("/community/basemap.json", { credentials: "same-origin" });
      const basemap = parseBasemap(await response.json());
      const map = new MapLibreMap({
        container: this.canvas, style: buildBasemapStyle(basemap), center: [center.lon, center.lat], zoom: 16,
        attributionControl: false, dragRotate: false, pitchWithRotate: false, fadeDuration: 0,
      });
      map.addControl(new AttributionControl({ compact: false, customAttribution: basemap.attribution || undefined }), "bottom-right");
      map.addControl(new NavigationControl({ showCompass: false }), "top-right");
      map.on("load", () => performance.mark("community:pin-map-ready"));
      this.map = map;
    } catch (error) {
      this.notice.textContent = `The map cannot be shown here (${error instanceof Error ? error.message : "no WebGL"}); the pin stays on your address.`;
      this.notice.hidden = false;
    }
  }

  /** Put the pin at a position and bring it into view. */
  place(position: PinPosition): void {
    const map = this.map;
    if (!map) return;
    const at: [number, number] = [position.lon, position.lat];
    if (!this.marker) {
      const marker = new Marker({ draggable: true, color: "#b3261e" }).setLngLat(at).addTo(map);
      marker.getElement().setAttribute("aria-label", "Pin: drag it to where your cameras are");
      marker.getElement().setAttribute("data-testid", "pin");
      marker.on("dragend", () => {
        const moved = marker.getLngLat();
        this.onMoved({ lat: moved.lat, lon: moved.lng });
      });
      this.marker = marker;
      window.communityPin = { map, marker };
    } else {
      this.marker.setLngLat(at);
    }
    map.jumpTo({ center: at, zoom: Math.max(map.getZoom(), 17) });
  }
}
