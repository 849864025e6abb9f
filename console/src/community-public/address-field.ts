/**
 * The address box: as the owner types, addresses the registry knows are suggested
 * (GET /community/api/addresses?q=); arrow keys and Enter or a click pick one (a combobox in the
 * ARIA sense), which puts the map's pin there.
 */

import { h } from "../ui/dom";
import { FieldErrors, uid } from "./forms";
import { messageOf, type PublicApi } from "./http";
import type { AddressMatch } from "./types";

const DELAY_MS = 250;
const MIN_CHARS = 3;

export class AddressField {
  readonly element: HTMLElement;
  readonly input = h("input", {
    type: "text", autocomplete: "street-address", role: "combobox", "aria-autocomplete": "list",
    "aria-expanded": "false", spellcheck: "false", maxlength: 300, "data-testid": "address",
  });
  private readonly list = h("ul", { class: "suggestions", role: "listbox", id: uid("addresses"), hidden: true, "data-testid": "address-suggestions" });
  private readonly note = h("p", { class: "hint", "aria-live": "polite" });
  private matches: AddressMatch[] = [];
  private active = -1;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private asked = 0;
  chosen: AddressMatch | null = null;

  constructor(private readonly api: PublicApi, errors: FieldErrors, private readonly onChosen: (match: AddressMatch | null) => void) {
    this.input.id = uid("f-address");
    this.input.setAttribute("aria-controls", this.list.id);
    const hint = h("p", { class: "hint", id: uid("hint") }, "Start typing your street and number, then choose your address from the list.");
    this.input.setAttribute("aria-describedby", hint.id);
    const message = errors.slot("address", this.input, this.input);
    this.element = h("div", { class: "field address-field" },
      h("label", { for: this.input.id }, "Address"), hint, message, this.input, this.list, this.note);
    this.input.addEventListener("input", () => this.typed());
    this.input.addEventListener("keydown", (event) => this.key(event));
    this.input.addEventListener("blur", () => setTimeout(() => this.close(), 150));
  }

  /** Show a known address as chosen (editing a registration). */
  set(match: AddressMatch): void {
    this.input.value = match.address;
    this.chosen = match;
    this.note.textContent = "";
  }

  private typed(): void {
    if (this.chosen && this.input.value !== this.chosen.address) {
      this.chosen = null;
      this.onChosen(null);
    }
    if (this.timer !== null) clearTimeout(this.timer);
    const query = this.input.value.trim();
    if (query.length < MIN_CHARS) {
      this.close();
      return;
    }
    this.timer = setTimeout(() => void this.lookUp(query), DELAY_MS);
  }

  private async lookUp(query: string): Promise<void> {
    const asked = ++this.asked;
    try {
      const matches = await this.api.call<AddressMatch[]>("GET", "/addresses", { query: { q: query } });
      if (asked !== this.asked) return;
      this.open(matches);
    } catch (error) {
      if (asked === this.asked) this.note.textContent = messageOf(error);
    }
  }

  private open(matches: AddressMatch[]): void {
    this.matches = matches;
    this.active = -1;
    this.list.replaceChildren(...matches.map((match, i) => {
      const option = h("li", { role: "option", id: `${this.list.id}-${i}`, "aria-selected": "false" },
        match.address, match.district ? h("span", { class: "district" }, ` · ${match.district}`) : null);
      option.addEventListener("mousedown", (event) => event.preventDefault());
      option.addEventListener("click", () => this.pick(i));
      return option;
    }));
    this.list.hidden = matches.length === 0;
    this.input.setAttribute("aria-expanded", String(matches.length > 0));
    this.note.textContent = matches.length === 0
      ? "No address found. Check the spelling, or try just the street name."
      : `${matches.length} address${matches.length === 1 ? "" : "es"} found; use the arrow keys or click to choose.`;
  }

  private close(): void {
    this.list.hidden = true;
    this.input.setAttribute("aria-expanded", "false");
    this.input.removeAttribute("aria-activedescendant");
  }

  private key(event: KeyboardEvent): void {
    if (this.list.hidden || this.matches.length === 0) return;
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      event.preventDefault();
      const step = event.key === "ArrowDown" ? 1 : -1;
      this.highlight((this.active + step + this.matches.length) % this.matches.length);
    } else if (event.key === "Enter" && this.active >= 0) {
      event.preventDefault();
      this.pick(this.active);
    } else if (event.key === "Escape") {
      this.close();
    }
  }

  private highlight(index: number): void {
    this.active = index;
    [...this.list.children].forEach((option, i) => option.setAttribute("aria-selected", String(i === index)));
    this.input.setAttribute("aria-activedescendant", `${this.list.id}-${index}`);
  }

  private pick(index: number): void {
    const match = this.matches[index];
    if (!match) return;
    this.set(match);
    this.close();
    this.note.textContent = `Chosen: ${match.address}. The pin on the map is there; drag it if your cameras are elsewhere on the plot.`;
    this.onChosen(match);
  }
}
