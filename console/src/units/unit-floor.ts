/**
 * Units on the watch floor, wired together: the roster (REST, then live `unit` messages), the
 * units map overlay (status colour, heading, trail, stale marks) and the Units tab.
 */

import { api, unwrap } from "../api/client";
import { asApiError, describeError } from "../api/errors";
import { call } from "../api/loose";
import { formProblemsFrom } from "../cameras/camera-form-logic";
import type { MapView } from "../map/map-view";
import { FORM_FIELDS, type UnitSubmit } from "./unit-form";
import type { FormProblems, UnitEdit, UnitIn } from "./unit-form-logic";
import { unitFeatures } from "./unit-features";
import type { UnitRow } from "./unit-model";
import { UnitStore } from "./unit-store";
import { UnitsView } from "./units-view";
import type { FeatureCollection } from "geojson";

declare global {
  interface Window {
    /** Test hook: what the units overlay holds now. */
    watchfloorUnitOverlay?: FeatureCollection;
  }
}

export interface UnitFloorHost {
  map: MapView;
  clockOffset(): number;
  /** The signed-on user's role: supervisors and admins create and edit units. */
  role(): string;
  /** Bring the Units tab forward. */
  showTab(): void;
}

/** Redraw the overlay at most this often while positions stream in, and every tick for ageing. */
const REDRAW_MS = 250;

/** The roles POST and PATCH /api/units allow (domain/units/routes.py, Registrar). */
const EDITORS = new Set(["supervisor", "admin"]);

function problemsOf(error: unknown): FormProblems {
  const problem = asApiError(error);
  if (problem.status === 422 && problem.problems.length) return formProblemsFrom(problem.problems, FORM_FIELDS);
  if (problem.status === 409) return { code: problem.message };
  return { form: describeError(problem) };
}

export class UnitFloor {
  readonly store: UnitStore;
  readonly view: UnitsView;
  private timer: number | undefined;

  constructor(private readonly host: UnitFloorHost) {
    this.store = new UnitStore((path, query) => call("GET", path, undefined, query), () => Date.now() + host.clockOffset());
    this.view = new UnitsView(this.store, {
      onOpen: (unit) => this.open(unit),
      clockOffset: () => host.clockOffset(),
      canEdit: () => EDITORS.has(host.role()),
      create: (body) => this.save(api.POST("/api/units", { body: body as UnitIn })),
      update: (code): UnitSubmit => (body) => this.save(api.PATCH("/api/units/{code}", { params: { path: { code } }, body: body as UnitEdit })),
    });
    this.store.subscribe(() => this.scheduleDraw());
  }

  start(): void {
    void this.reload();
  }

  /** After a resync (or on start): every unit and its recent trail again. */
  async reload(): Promise<void> {
    await this.store.load();
  }

  dispose(): void {
    window.clearTimeout(this.timer);
  }

  /** A live `unit` message's payload (a UnitOut). */
  onLive(unit: unknown): void {
    this.store.applyLive(unit);
  }

  /** Once a second: positions age into staleness without a message, and old trail points go. */
  tick(nowMs: number): void {
    this.view.tick(nowMs);
    this.store.trim();
    this.draw();
  }

  /** Store a unit (create or edit); the roster shows the answer at once, before its live message. */
  private async save(pending: Promise<{ data?: unknown; error?: unknown; response: Response }>): Promise<FormProblems | null> {
    try {
      this.store.applyLive(await unwrap(pending));
      return null;
    } catch (error) {
      return problemsOf(error);
    }
  }

  private open(unit: UnitRow): void {
    this.host.map.focusOn(unit.lat, unit.lon);
  }

  private scheduleDraw(): void {
    if (this.timer !== undefined) return;
    this.timer = window.setTimeout(() => {
      this.timer = undefined;
      this.draw();
    }, REDRAW_MS);
  }

  private draw(): void {
    const features = unitFeatures(this.store.units, this.store.trails, Date.now(), this.host.clockOffset());
    window.watchfloorUnitOverlay = features;
    this.host.map.setOverlay("units", features);
  }
}
