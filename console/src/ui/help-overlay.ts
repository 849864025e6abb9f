/** The keyboard shortcut sheet (`?`). Non-destructive: Esc or ? closes it. */

import { SHORTCUTS } from "../core/keys";
import { h } from "./dom";

export class HelpOverlay {
  readonly element: HTMLElement;

  constructor() {
    const rows = SHORTCUTS.map(([keys, what]) => h("tr", {}, h("th", { scope: "row" }, h("kbd", {}, keys)), h("td", {}, what)));
    const close = h("button", { type: "button", class: "ghost" }, "Close");
    close.addEventListener("click", () => this.hide());
    this.element = h("div", { class: "help-overlay", "data-testid": "shortcut-help", role: "dialog", "aria-label": "Keyboard shortcuts", hidden: true },
      h("div", { class: "help-card" }, h("h2", {}, "Keyboard shortcuts"), h("table", {}, h("tbody", {}, ...rows)), close));
    this.element.addEventListener("click", (event) => {
      if (event.target === this.element) this.hide();
    });
  }

  get isOpen(): boolean {
    return !this.element.hidden;
  }

  toggle(): void {
    this.element.hidden = !this.element.hidden;
  }

  hide(): void {
    this.element.hidden = true;
  }
}
