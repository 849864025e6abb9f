/** A plate drawn character by character, the characters an OCR misread changed marked. */

import { markSubstitutions } from "../core/plates";
import { h } from "./dom";

/** The read plate with its substituted characters highlighted (against the entry's plate). */
export function plateRead(read: string, entry: string, testId = "plate-read"): HTMLElement {
  const chars = markSubstitutions(read, entry).map((c) =>
    c.substituted ? h("mark", { class: "plate-sub", title: `entry has ${entry}` }, c.char) : document.createTextNode(c.char));
  const element = h("span", { class: "plate plate-chip", "data-testid": testId });
  element.append(...chars);
  return element;
}

/** "ABC128 ≈ ABC123" for a misread, just the plate for an exact hit. */
export function platePair(read: string, entry: string): HTMLElement {
  const pair = h("span", { class: "plate-pair" }, plateRead(read, entry));
  if (read !== entry) pair.append(h("span", { class: "plate-vs muted" }, "≈ entry"), h("span", { class: "plate plate-entry", "data-testid": "plate-entry" }, entry));
  return pair;
}
