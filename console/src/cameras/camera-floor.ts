/**
 * The camera and video features of the watch floor, wired together: cameras on the map (health
 * colours, view wedges), the Cameras tab, the Video tab's grid, "cameras that can see this" on
 * incidents and plate alerts, the biometric switch, and camera status from the live channel.
 */

import type { FeatureCollection } from "geojson";
import { api, unwrap } from "../api/client";
import { asApiError, describeError } from "../api/errors";
import type { AlertDetail, CameraIn, CameraOut, CameraPatch, IncidentDetail } from "../api/types";
import { CoalescedUpdate } from "../map/coalesce";
import type { MapView, MapViewport } from "../map/map-view";
import type { SideTab } from "../ui/side-tabs";
import type { ReasonDraft } from "../video/reason";
import { VideoGrid, type GridCamera } from "../video/video-grid";
import { BiometricPanel } from "./biometric-panel";
import { FORM_FIELDS } from "./camera-form";
import { formProblemsFrom, type FormProblems } from "./camera-form-logic";
import { cameraOverlay, cameraPosition } from "./camera-features";
import { CameraStore } from "./camera-store";
import { CamerasView } from "./cameras-view";
import { SeeingSection, type Sighting } from "./seeing-section";

export interface CameraHost {
  map: MapView;
  role(): string;
  showTab(tab: SideTab): void;
}

const EDITORS = new Set(["supervisor", "admin"]);

declare global {
  interface Window {
    /** Test hook: the camera overlay last handed to the map. */
    watchfloorCameraOverlay?: FeatureCollection;
  }
}

function problemsOf(error: unknown): FormProblems {
  const problem = asApiError(error);
  if (problem.status === 422 && problem.problems.length) return formProblemsFrom(problem.problems, FORM_FIELDS);
  if (problem.status === 409) return { code: problem.message };
  return { form: describeError(problem) };
}

export class CameraFloor {
  readonly store = new CameraStore();
  readonly view: CamerasView;
  readonly grid: VideoGrid;
  readonly biometric: BiometricPanel;
  private readonly incidentSeeing: SeeingSection;
  private readonly alertSeeing: SeeingSection;
  private viewport: MapViewport | null = null;
  private selected: string | null = null;
  private watched: string[] = [];
  /** Cameras that see (or can turn to) the open incident or alert: their wedges are drawn. */
  private seeing: string[] = [];
  private readonly redraw = new CoalescedUpdate(() => this.drawMap());

  constructor(private readonly host: CameraHost) {
    this.biometric = new BiometricPanel(() => host.role() === "admin");
    this.grid = new VideoGrid(() => this.gridCameras(), (codes) => {
      this.watched = codes;
      this.redraw.request();
    });
    this.view = new CamerasView(this.store, {
      canEdit: () => EDITORS.has(host.role()),
      watch: (camera) => this.watch(camera.code, { kind: "proactive" }),
      showOnMap: (camera) => {
        const at = cameraPosition(camera);
        if (at) host.map.focusOn(at.lat, at.lon);
      },
      selected: (code) => {
        this.selected = code;
        this.redraw.request();
      },
      create: (body) => this.save(api.POST("/api/cameras", { body: body as CameraIn })),
      update: (code) => (body) => this.save(api.PATCH("/api/cameras/{code}", { params: { path: { code } }, body: body as CameraPatch })),
    }, this.biometric);
    const watchSighting = (s: Sighting, reason: Partial<ReasonDraft>): void => this.watch(s.code, reason, s);
    const found = (codes: string[]): void => {
      this.seeing = codes;
      this.redraw.request();
    };
    this.incidentSeeing = new SeeingSection(watchSighting, found);
    this.alertSeeing = new SeeingSection(watchSighting, found);
    this.store.subscribe(() => {
      this.redraw.request();
      this.grid.fillPicker();
    });
  }

  start(): void {
    void this.store.load();
    void this.biometric.load();
  }

  suspend(): void {
    this.grid.pause();
  }

  resume(): void {
    this.grid.resume();
  }

  dispose(): void {
    this.redraw.cancel();
    this.grid.closeAll();
  }

  /** A camera_status message from the live channel. */
  onStatus(message: unknown): void {
    this.store.applyStatus(message);
  }

  /** After a resync: read cameras and health again. */
  reload(): Promise<void> {
    return this.store.load();
  }

  mapMoved(view: MapViewport): void {
    this.viewport = view;
    this.redraw.request();
  }

  /** A camera's dot was clicked on the map. */
  openCamera(code: string): void {
    this.host.showTab("cameras");
    this.view.open(code);
  }

  tabShown(tab: SideTab): void {
    if (tab === "cameras") {
      void this.store.load();
      void this.biometric.load();
    } else if (tab === "video") this.grid.fillPicker();
  }

  /** The "cameras that can see this" section of an incident's detail (filled from its context packet when `fromPacket`). */
  incidentExtras(detail: IncidentDetail, fromPacket = false): Array<HTMLElement | null> {
    const i = detail.incident;
    return [this.incidentSeeing.forPoint(i.lat, i.lon, { kind: "incident", ref: i.cad_incident_number ?? i.id }, fromPacket)];
  }

  /** The open incident's context packet listed its cameras. */
  incidentCameras(sightings: readonly Sighting[]): void {
    this.incidentSeeing.fill(sightings);
  }

  /** The open incident's context packet is not to be had: look its cameras up directly. */
  incidentCamerasDirect(): void {
    this.incidentSeeing.fetch();
  }

  alertExtras(detail: AlertDetail): Array<HTMLElement | null> {
    return [this.alertSeeing.forPoint(detail.lat, detail.lon, { kind: "alert", ref: detail.id })];
  }

  /** An incident or alert detail closed: its cameras' wedges go. */
  detailClosed(): void {
    this.incidentSeeing.forget();
    this.alertSeeing.forget();
    this.seeing = [];
    this.redraw.request();
  }

  /** Open a live view (through the reason dialog) on the Video tab. */
  watch(code: string, reason: Partial<ReasonDraft>, fallback?: Sighting): void {
    const camera = this.store.get(code);
    const target: GridCamera | null = camera ? { code, name: camera.name, ptz: camera.ptz, access_level: camera.access_level }
      : fallback ? { code, name: fallback.name, ptz: false, access_level: fallback.access_level } : null;
    if (!target) return;
    this.host.showTab("video");
    this.grid.watch(target, reason);
  }

  private gridCameras(): GridCamera[] {
    return this.store.cameras.filter((c) => c.status !== "retired")
      .map((c) => ({ code: c.code, name: c.name, ptz: c.ptz, access_level: c.access_level }));
  }

  private async save(pending: Promise<{ data?: CameraOut; error?: unknown; response: Response }>): Promise<FormProblems | null> {
    try {
      this.store.put(await unwrap(pending));
      return null;
    } catch (error) {
      return problemsOf(error);
    }
  }

  private drawMap(): void {
    const always = new Set([...this.watched, ...this.seeing, ...(this.selected ? [this.selected] : [])]);
    const overlay = cameraOverlay(this.store.cameras, (code) => this.store.health.status(code), this.viewport, always, this.selected);
    window.watchfloorCameraOverlay = overlay;
    this.host.map.setOverlay("cameras", overlay);
  }
}
