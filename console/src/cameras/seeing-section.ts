/**
 * "Cameras that can see this" on an incident or a plate alert: ranked (in view, PTZ can turn,
 * merely near), each with why, and a Watch button that opens a live view with the reason filled in.
 */

import { api, unwrap } from "../api/client";
import { asApiError, describeError } from "../api/errors";
import type { SightingOut } from "../api/types";
import { h, replaceChildren } from "../ui/dom";
import type { ReasonDraft } from "../video/reason";

export const COVERAGE_WORDS: Record<string, string> = {
  in_view: "In view",
  ptz_can_turn: "PTZ can turn",
  nearby: "Merely near",
};

/** A sighting as shown (the wedge is drawn from the camera itself on the map). */
export type Sighting = Omit<SightingOut, "wedge">;

export type Watch = (sighting: Sighting, reason: Partial<ReasonDraft>) => void;

/** One section per point, kept across re-renders of the same detail (no refetch on every live change). */
export class SeeingSection {
  private key = "";
  private element: HTMLElement | null = null;
  private body: HTMLElement | null = null;
  private reason: Partial<ReasonDraft> = {};
  private place: { lat: number; lon: number } | null = null;

  constructor(private readonly watch: Watch, private readonly found: (codes: string[]) => void = () => undefined) {}

  /** The detail closed: the next forPoint reads afresh. */
  forget(): void {
    this.key = "";
    this.element = null;
    this.body = null;
    this.place = null;
  }

  /**
   * The section for a point (null when the place is unknown). With `fromPacket` it asks nothing
   * itself: the incident's context packet brings the cameras (`fill`), or `fetch` asks after all.
   */
  forPoint(lat: number | null | undefined, lon: number | null | undefined, reason: Partial<ReasonDraft>, fromPacket = false): HTMLElement | null {
    if (typeof lat !== "number" || typeof lon !== "number") return null;
    const key = `${lat},${lon},${reason.kind},${reason.ref}`;
    if (this.element && key === this.key) return this.element;
    this.key = key;
    this.reason = reason;
    this.place = { lat, lon };
    const body = h("div", { class: "seeing-body" }, h("p", { class: "muted" }, "Looking for cameras…"));
    this.body = body;
    this.element = h("section", { class: "detail-section section-cameras-seeing", "data-testid": "cameras-seeing" },
      h("h3", {}, "Cameras that can see this"), body);
    if (!fromPacket) void this.load(lat, lon, reason, body);
    return this.element;
  }

  /** Cameras the context packet found (ranked the same way as GET /api/cameras/seeing). */
  fill(sightings: readonly Sighting[]): void {
    if (this.body) this.show([...sightings], this.reason, this.body);
  }

  /** The packet could not be read: look the cameras up directly. */
  fetch(): void {
    if (this.body && this.place) void this.load(this.place.lat, this.place.lon, this.reason, this.body);
  }

  private async load(lat: number, lon: number, reason: Partial<ReasonDraft>, body: HTMLElement): Promise<void> {
    let sightings: Sighting[];
    try {
      sightings = await unwrap(api.GET("/api/cameras/seeing", { params: { query: { lat, lon } } }));
    } catch (error) {
      const problem = asApiError(error);
      replaceChildren(body, h("p", { class: "muted" }, problem.status === 403 ? "Your role cannot look up cameras." : describeError(problem)));
      return;
    }
    this.show(sightings, reason, body);
  }

  private show(sightings: Sighting[], reason: Partial<ReasonDraft>, body: HTMLElement): void {
    this.found(sightings.filter((s) => s.coverage !== "nearby").map((s) => s.code));
    if (sightings.length === 0) {
      replaceChildren(body, h("p", { class: "muted", "data-testid": "seeing-empty" }, "No camera sees or stands near this place."));
      return;
    }
    replaceChildren(body, h("ol", { class: "seeing-list" }, ...sightings.map((s) => this.row(s, reason))));
  }

  private row(s: Sighting, reason: Partial<ReasonDraft>): HTMLElement {
    const live = s.access_level === "live";
    const watch = h("button", { type: "button", class: "small", "data-testid": "seeing-watch", disabled: !live,
      title: live ? "Open a live view" : `Access level: ${s.access_level.replace(/_/g, " ")}` }, "Watch");
    watch.addEventListener("click", () => this.watch(s, reason));
    return h("li", { class: `seeing-row coverage-${s.coverage}`, "data-testid": "seeing-row", "data-code": s.code, "data-coverage": s.coverage },
      h("span", { class: "seeing-relation", "data-testid": "seeing-relation" }, COVERAGE_WORDS[s.coverage] ?? s.coverage),
      h("span", { class: "seeing-name" }, h("strong", {}, s.name), h("span", { class: "muted" }, ` ${s.code} · ${Math.round(s.distance_m)} m`)),
      watch,
      h("span", { class: "seeing-why muted" }, s.explanation, live ? "" : ` · ${s.access_level.replace(/_/g, " ")}`));
  }
}
