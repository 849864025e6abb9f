/** The map's layer toggles (checkboxes), remembered per browser; `l` opens and closes it. */

import { readFlag, writeFlag } from "../core/preferences";
import { h } from "../ui/dom";
import { OVERLAYS, OVERLAY_TITLES, type OverlayName } from "./overlays";

const prefKey = (name: OverlayName): string => `watchfloor.layer.${name}`;

export class LayersPanel {
  readonly element: HTMLElement;
  private readonly boxes = new Map<OverlayName, HTMLInputElement>();
  private readonly body: HTMLElement;
  private readonly button: HTMLButtonElement;

  constructor(private readonly onChange: (name: OverlayName, visible: boolean) => void) {
    this.body = h("div", { class: "layers-body", id: "layers-body" }, ...OVERLAYS.map((name) => this.row(name)));
    this.button = h("button", { type: "button", class: "layers-button", "aria-expanded": "true",
      "aria-controls": "layers-body", title: "Map layers (l)" }, "Layers");
    this.button.addEventListener("click", () => this.toggle());
    this.element = h("div", { class: "layers-panel", "data-testid": "layers-panel" }, this.button, this.body);
  }

  private row(name: OverlayName): HTMLElement {
    const box = h("input", { type: "checkbox", id: `layer-${name}`, "data-testid": `layer-toggle-${name}` });
    box.checked = readFlag(prefKey(name), true);
    box.addEventListener("change", () => {
      writeFlag(prefKey(name), box.checked);
      this.onChange(name, box.checked);
    });
    this.boxes.set(name, box);
    return h("label", { class: `layer-row layer-${name}`, for: `layer-${name}` }, box,
      h("span", { class: "layer-swatch", "aria-hidden": "true" }), OVERLAY_TITLES[name]);
  }

  visibility(): Array<[OverlayName, boolean]> {
    return OVERLAYS.map((name) => [name, this.boxes.get(name)?.checked ?? true]);
  }

  get isOpen(): boolean {
    return !this.body.hidden;
  }

  toggle(open: boolean = !this.isOpen): void {
    this.body.hidden = !open;
    this.button.setAttribute("aria-expanded", String(open));
  }
}
