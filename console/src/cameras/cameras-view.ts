/**
 * The Cameras tab: a searchable list (health dot, code, name, kind, access), the camera's detail
 * (stream and ONVIF addresses only as "on file"), Watch and Show on map, and for supervisors and
 * admins the create/edit form. The biometric switch sits on top.
 */

import type { CameraOut } from "../api/types";
import { words } from "../core/plates";
import { h, replaceChildren, setText } from "../ui/dom";
import type { BiometricPanel } from "./biometric-panel";
import { CameraForm, type CameraSubmit } from "./camera-form";
import { filterCameras } from "./camera-form-logic";
import { HEALTH_WORDS } from "./camera-health";
import type { CameraStore } from "./camera-store";

export interface CamerasActions {
  canEdit(): boolean;
  watch(camera: CameraOut): void;
  showOnMap(camera: CameraOut): void;
  selected(code: string | null): void;
  create: CameraSubmit;
  update(code: string): CameraSubmit;
}

const joined = (...parts: Array<string | null | undefined>): string => parts.filter((p) => p).join(" · ");

function facts(rows: Array<[string, string | null]>): HTMLElement {
  const list = h("dl", { class: "facts" });
  for (const [label, value] of rows) if (value) list.append(h("dt", {}, label), h("dd", { "data-fact": label }, value));
  return list;
}

export class CamerasView {
  readonly element: HTMLElement;
  private readonly search: HTMLInputElement;
  private readonly list = h("ul", { class: "camera-list", "data-testid": "camera-list" });
  private readonly count = h("span", { class: "queue-count", "data-testid": "camera-count" });
  private readonly status = h("p", { class: "muted tool-status", role: "status" });
  private readonly detail = h("div", { class: "camera-detail-host" });
  private readonly newButton: HTMLButtonElement;
  private openCode: string | null = null;
  private editing = false;

  constructor(private readonly store: CameraStore, private readonly actions: CamerasActions, biometric: BiometricPanel) {
    this.search = h("input", { type: "search", class: "camera-search", "data-testid": "camera-search", placeholder: "Search code, name, kind, owner, label",
      "aria-label": "Search cameras", autocomplete: "off" });
    this.search.addEventListener("input", () => this.renderList());
    this.newButton = h("button", { type: "button", class: "small", "data-testid": "camera-new", hidden: true }, "New camera");
    this.newButton.addEventListener("click", () => this.showForm(null));
    this.element = h("section", { class: "tool-panel cameras-panel", "data-testid": "cameras-view", "aria-label": "Cameras" },
      h("header", { class: "panel-head" }, h("h2", {}, "Cameras"), this.count, this.newButton),
      biometric.element, h("div", { class: "camera-search-row" }, this.search), this.status,
      h("div", { class: "cameras-body" }, this.list, this.detail));
    store.subscribe(() => this.refresh());
  }

  focusSearch(): void {
    this.search.focus();
  }

  refresh(): void {
    this.newButton.hidden = !this.actions.canEdit();
    setText(this.status, this.store.problem ?? "");
    this.renderList();
    if (!this.editing && this.openCode) this.renderDetail(this.store.get(this.openCode) ?? null);
  }

  /** Open a camera's detail (from the list or a click on the map). */
  open(code: string): void {
    this.openCode = code;
    this.editing = false;
    this.renderList();
    this.renderDetail(this.store.get(code) ?? null);
    this.actions.selected(code);
  }

  private renderList(): void {
    const shown = filterCameras(this.store.cameras, this.search.value);
    setText(this.count, `${shown.length} of ${this.store.cameras.length}`);
    replaceChildren(this.list, ...shown.slice(0, 500).map((c) => this.row(c)));
  }

  private row(c: CameraOut): HTMLElement {
    const health = this.store.health.status(c.code);
    const row = h("li", { class: `camera-row${c.code === this.openCode ? " is-open" : ""}`, "data-testid": "camera-row", "data-code": c.code,
      "data-health": health, tabindex: 0 },
      h("span", { class: `health-dot health-${health}`, title: HEALTH_WORDS[health], "aria-label": HEALTH_WORDS[health] }),
      h("span", { class: "camera-main" }, h("strong", {}, c.name), h("span", { class: "muted" }, joined(c.code, words(c.kind), c.ptz ? "PTZ" : null))),
      h("span", { class: `access access-${c.access_level}` }, words(c.access_level)));
    row.addEventListener("click", () => this.open(c.code));
    row.addEventListener("keydown", (event) => {
      if (event.key === "Enter") this.open(c.code);
    });
    return row;
  }

  private renderDetail(c: CameraOut | null): void {
    if (!c) {
      replaceChildren(this.detail);
      return;
    }
    const health = this.store.health.of(c.code);
    const watch = h("button", { type: "button", class: "primary small", "data-testid": "camera-watch", disabled: c.access_level !== "live",
      title: c.access_level === "live" ? "Open a live view" : `Access level: ${words(c.access_level)}` }, "Watch");
    watch.addEventListener("click", () => this.actions.watch(c));
    const map = h("button", { type: "button", class: "small", "data-testid": "camera-show-on-map" }, "Show on map");
    map.addEventListener("click", () => this.actions.showOnMap(c));
    const edit = this.actions.canEdit() ? h("button", { type: "button", class: "small", "data-testid": "camera-edit" }, "Edit") : null;
    edit?.addEventListener("click", () => this.showForm(c));
    const place = c.mobile ? (c.last_lat !== null && c.last_lon !== null ? `${c.last_lat.toFixed(5)}, ${c.last_lon.toFixed(5)} (last reported)` : "no recent position")
      : c.lat !== null && c.lon !== null ? `${c.lat.toFixed(5)}, ${c.lon.toFixed(5)}` : null;
    const view = c.bearing === null ? "all round" : `facing ${Math.round(c.bearing)}°`;
    replaceChildren(this.detail, h("article", { class: "camera-detail", "data-testid": "camera-detail", "data-code": c.code },
      h("header", { class: "detail-head" }, h("h2", {}, c.name), h("p", { class: "muted" }, joined(c.code, words(c.kind), words(c.status)))),
      h("div", { class: "camera-actions" }, watch, map, edit),
      facts([
        ["Health", `${HEALTH_WORDS[health.status]}${health.problems.length ? ` — ${health.problems.join("; ")}` : ""}`],
        ["Owner", joined(c.owner, c.agreement && `agreement ${c.agreement}`)],
        ["Place", joined(place, c.location_note, c.mount_height_m !== null ? `${c.mount_height_m} m up` : null)],
        ["View", joined(view, c.fov_angle !== null ? `${Math.round(c.fov_angle)}° wide` : null, c.fov_range_m !== null ? `${Math.round(c.fov_range_m)} m` : null)],
        ["PTZ", c.ptz ? `yes${c.ptz_range_m !== null ? `, reach ${Math.round(c.ptz_range_m)} m` : ""}` : "no"],
        ["Access", words(c.access_level)],
        ["Streams", c.has_stream ? `${c.stream_count} address${c.stream_count === 1 ? "" : "es"} on file` : "none on file"],
        ["ONVIF", c.has_onvif ? "address on file" : "none"],
        ["Recording", c.recording_source],
        ["Labels", c.labels.join(", ") || null],
        ["Maintenance", c.maintenance_contact],
        ["External ref", c.external_ref],
      ])));
  }

  private showForm(camera: CameraOut | null): void {
    this.editing = true;
    const submit = camera ? this.actions.update(camera.code) : this.actions.create;
    const form = new CameraForm(camera, async (body) => {
      const problems = await submit(body);
      if (problems === null) {
        this.editing = false;
        this.open(camera?.code ?? (body as { code: string }).code);
      }
      return problems;
    }, () => {
      this.editing = false;
      this.renderDetail(this.openCode ? this.store.get(this.openCode) ?? null : null);
    });
    replaceChildren(this.detail, form.element);
    form.element.querySelector<HTMLElement>("input:not([disabled])")?.focus();
  }
}
