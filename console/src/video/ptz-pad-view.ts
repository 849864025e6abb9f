/** The PTZ pad on a tile: hold an arrow (or zoom) to move, release to stop; Home; presets go-to and save. */

import { asApiError, describeError } from "../api/errors";
import { h, replaceChildren } from "../ui/dom";
import { PtzPad, type PtzDirection } from "./ptz";
import type { PtzCalls } from "./video-api";

const BUTTONS: Array<[PtzDirection, string, string]> = [
  ["up", "▲", "Tilt up"],
  ["left", "◀", "Pan left"],
  ["right", "▶", "Pan right"],
  ["down", "▼", "Tilt down"],
  ["zoom-in", "+", "Zoom in"],
  ["zoom-out", "−", "Zoom out"],
];

export class PtzPadView {
  readonly element: HTMLElement;
  readonly pad: PtzPad;
  private readonly presetList: HTMLSelectElement;
  private readonly presetName: HTMLInputElement;

  constructor(private readonly calls: PtzCalls, private readonly say: (text: string, error?: boolean) => void) {
    this.pad = new PtzPad(calls.sender, (error) => say(`PTZ: ${describeError(asApiError(error))}`, true));
    const arrows = BUTTONS.map(([direction, glyph, title]) => this.holdButton(direction, glyph, title));
    const home = h("button", { type: "button", class: "ptz-home", "data-testid": "ptz-home", title: "Home position" }, "Home");
    home.addEventListener("click", () => void this.run(() => calls.home(), "Home"));
    this.presetList = h("select", { class: "ptz-presets", "data-testid": "ptz-presets", "aria-label": "Presets" });
    const go = h("button", { type: "button", "data-testid": "ptz-goto", title: "Go to the preset" }, "Go");
    go.addEventListener("click", () => {
      const token = this.presetList.value;
      if (token) void this.run(() => calls.goto(token), "Preset");
    });
    this.presetName = h("input", { type: "text", class: "ptz-preset-name", "data-testid": "ptz-preset-name", maxlength: 60,
      placeholder: "New preset", "aria-label": "Name for a new preset" });
    const save = h("button", { type: "button", "data-testid": "ptz-save", title: "Save the current position as a preset" }, "Save");
    save.addEventListener("click", () => void this.savePreset());
    this.element = h("div", { class: "ptz-pad", "data-testid": "ptz-pad" },
      h("div", { class: "ptz-arrows" }, ...arrows), h("div", { class: "ptz-row" }, home, this.presetList, go),
      h("div", { class: "ptz-row" }, this.presetName, save));
  }

  /** Fill the preset list (the view is open). */
  async loadPresets(): Promise<void> {
    try {
      const presets = await this.calls.presets();
      replaceChildren(this.presetList, h("option", { value: "" }, presets.length ? "Presets…" : "No presets"),
        ...presets.map((p) => h("option", { value: p.token }, p.name)));
    } catch (error) {
      this.say(`Presets: ${describeError(asApiError(error))}`, true);
    }
  }

  private holdButton(direction: PtzDirection, glyph: string, title: string): HTMLButtonElement {
    const button = h("button", { type: "button", class: `ptz-${direction}`, "data-testid": `ptz-${direction}`, title, "aria-label": title }, glyph);
    button.addEventListener("pointerdown", (event) => {
      event.preventDefault();
      button.setPointerCapture?.(event.pointerId);
      this.pad.press(direction);
    });
    for (const type of ["pointerup", "pointercancel", "lostpointercapture"] as const) {
      button.addEventListener(type, () => this.pad.release(direction));
    }
    return button;
  }

  private async savePreset(): Promise<void> {
    const name = this.presetName.value.trim();
    if (!name) {
      this.say("Name the preset first.", true);
      return;
    }
    if (await this.run(() => this.calls.save(name), `Preset "${name}" saved`)) {
      this.presetName.value = "";
      await this.loadPresets();
    }
  }

  private async run(action: () => Promise<void>, done: string): Promise<boolean> {
    try {
      await action();
      this.say(done);
      return true;
    } catch (error) {
      this.say(`PTZ: ${describeError(asApiError(error))}`, true);
      return false;
    }
  }
}
