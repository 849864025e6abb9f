/**
 * Create or edit a camera (supervisors and admins). Stream and ONVIF addresses are write-only:
 * the inputs start empty and only say how many addresses are on file; the server's field
 * problems (422) appear beside their fields.
 */

import type { CameraOut } from "../api/types";
import { words } from "../core/plates";
import { h } from "../ui/dom";
import { showProblems, submitChecked } from "../ui/form-problems";
import {
  ACCESS_LEVELS, cameraBody, KINDS, NUMBER_FIELDS, STATUSES, TEXT_FIELDS, valuesOf, type CameraFormValues, type FormProblems,
} from "./camera-form-logic";
import type { CameraIn, CameraPatch } from "../api/types";

/** Stores the body; null when stored, otherwise the problems by field. */
export type CameraSubmit = (body: CameraIn | CameraPatch) => Promise<FormProblems | null>;

const LABELS: Record<string, string> = {
  code: "Code", name: "Name", owner: "Owner", agreement: "Sharing agreement", location_note: "Location note",
  recording_source: "Recording source", maintenance_contact: "Maintenance contact", external_ref: "External ref",
  lat: "Latitude", lon: "Longitude", mount_height_m: "Mount height (m)", bearing: "Bearing (°)", fov_angle: "Field of view (°)",
  fov_range_m: "View range (m)", ptz_range_m: "PTZ reach (m)", kind: "Kind", access_level: "Access level", status: "Status",
  labels: "Labels (comma separated)", stream_urls: "Stream addresses (one per line)", onvif_url: "ONVIF device address", ptz: "PTZ",
};

export const FORM_FIELDS: ReadonlySet<string> = new Set(Object.keys(LABELS));

function choice(name: string, options: readonly string[], value: string): HTMLSelectElement {
  const select = h("select", { id: `camera-${name}`, name, "data-testid": `camera-field-${name}` },
    ...options.map((o) => h("option", { value: o }, words(o))));
  select.value = value;
  return select;
}

function input(name: string, value: string, extra: Record<string, string | number | boolean> = {}): HTMLInputElement {
  const element = h("input", { type: "text", id: `camera-${name}`, name, "data-testid": `camera-field-${name}`, autocomplete: "off", ...extra });
  element.value = value;
  return element;
}

export class CameraForm {
  readonly element: HTMLFormElement;
  private readonly errors = new Map<string, HTMLElement>();
  private readonly controls = new Map<string, HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement>();
  private readonly submitButton: HTMLButtonElement;

  constructor(private readonly camera: CameraOut | null, submit: CameraSubmit, cancel: () => void) {
    const v = valuesOf(camera);
    const creating = camera === null;
    this.add("code", input("code", v.code, { maxlength: 64, disabled: !creating }));
    for (const f of TEXT_FIELDS) this.add(f, input(f, v.text[f], { maxlength: 300 }));
    this.add("kind", choice("kind", KINDS, v.kind));
    this.add("access_level", choice("access_level", ACCESS_LEVELS, v.access_level));
    this.add("status", choice("status", STATUSES, v.status));
    for (const f of NUMBER_FIELDS) this.add(f, input(f, v.numbers[f], { inputmode: "decimal" }));
    const ptz = h("input", { type: "checkbox", id: "camera-ptz", "data-testid": "camera-field-ptz" });
    ptz.checked = v.ptz;
    this.add("ptz", ptz);
    this.add("labels", input("labels", v.labels));
    const onFile = camera?.stream_count ?? 0;
    this.add("stream_urls", h("textarea", { id: "camera-stream_urls", "data-testid": "camera-field-stream_urls", rows: 2, autocomplete: "off",
      spellcheck: false, placeholder: onFile ? `${onFile} on file — leave empty to keep them` : "rtsp://user:password@host/path" }));
    this.add("onvif_url", input("onvif_url", "", { type: "password", autocomplete: "new-password",
      placeholder: camera?.has_onvif ? "On file — leave empty to keep it" : "http://user:password@host:port" }));
    this.submitButton = h("button", { type: "submit", class: "primary", "data-testid": "camera-save" }, creating ? "Create camera" : "Save changes");
    const cancelButton = h("button", { type: "button", class: "ghost", "data-testid": "camera-cancel" }, "Cancel");
    cancelButton.addEventListener("click", cancel);
    const formError = h("p", { class: "form-error", role: "alert", "data-testid": "camera-form-error" });
    this.errors.set("form", formError);
    this.element = h("form", { class: "camera-form", "data-testid": "camera-form", autocomplete: "off" },
      h("h3", {}, creating ? "New camera" : `Edit ${camera.code}`),
      ...[...this.controls.keys()].map((name) => this.row(name)),
      h("p", { class: "muted small-print" }, "Stream and ONVIF addresses are write-only: they are stored, never shown again."),
      formError, h("div", { class: "form-actions" }, cancelButton, this.submitButton));
    this.element.addEventListener("keydown", (event) => event.stopPropagation());
    this.element.addEventListener("submit", (event) => {
      event.preventDefault();
      void this.send(submit);
    });
  }

  private add(name: string, control: HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement): void {
    this.controls.set(name, control);
    this.errors.set(name, h("span", { class: "form-error field-error", "data-testid": `camera-error-${name}` }));
  }

  private row(name: string): HTMLElement {
    return h("div", { class: `field field-${name}` }, h("label", { for: `camera-${name}` }, LABELS[name] ?? name),
      this.controls.get(name) ?? null, this.errors.get(name) ?? null);
  }

  private values(): CameraFormValues {
    const value = (name: string): string => this.controls.get(name)?.value ?? "";
    const v = valuesOf(this.camera);
    v.code = this.camera?.code ?? value("code");
    v.kind = value("kind");
    v.access_level = value("access_level");
    v.status = value("status");
    v.ptz = (this.controls.get("ptz") as HTMLInputElement).checked;
    v.labels = value("labels");
    for (const f of TEXT_FIELDS) v.text[f] = value(f);
    for (const f of NUMBER_FIELDS) v.numbers[f] = value(f);
    v.stream_urls = value("stream_urls");
    v.onvif_url = value("onvif_url");
    return v;
  }

  private show(problems: FormProblems): void {
    showProblems(this.errors, this.controls, problems);
  }

  private async send(submit: CameraSubmit): Promise<void> {
    await submitChecked(cameraBody(this.values(), this.camera === null), this.submitButton, submit, (p) => this.show(p));
  }
}
