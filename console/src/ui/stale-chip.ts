/** A warning chip in the header while any hotlist is stale ("NCIC list stale 14 h"); a click opens the hotlists. */

import { h, setText } from "./dom";

export class StaleChip {
  readonly element: HTMLButtonElement;

  constructor(onOpen: () => void) {
    this.element = h("button", { type: "button", class: "stale-chip", "data-testid": "stale-chip", hidden: true,
      title: "Hits from a stale list may no longer be valid (h: hotlists)" });
    this.element.addEventListener("click", onOpen);
  }

  set(warnings: readonly string[]): void {
    this.element.hidden = warnings.length === 0;
    const [first, ...rest] = warnings;
    setText(this.element, first ? `⚠ ${first}${rest.length ? ` +${rest.length} more` : ""}` : "");
    this.element.setAttribute("aria-label", warnings.join("; "));
  }
}
