/**
 * Accessible form pieces: every input has a visible label, a hint and a message slot tied to it
 * with aria-describedby; problems are shown beside their field, summed up at the top of the form
 * (each a link to its field) and focus moves to the summary so a screen reader hears them.
 */

import { h } from "../ui/dom";
import { placeProblems } from "./problems";
import type { Problem } from "./validation";

type Control = HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement;

let counter = 0;
/** A page-unique id. */
export function uid(prefix: string): string {
  counter += 1;
  return `${prefix}-${counter}`;
}

interface Slot {
  message: HTMLElement;
  focus: HTMLElement;
  controls: Control[];
}

export class FieldErrors {
  private readonly slots = new Map<string, Slot>();
  readonly summary = h("div", { class: "error-summary", role: "alert", tabindex: "-1", hidden: true, "data-testid": "error-summary" });

  /** A message slot for `key` (a pointer-derived key like "email" or "cameras-0-label"). */
  slot(key: string, focus: HTMLElement, ...controls: Control[]): HTMLElement {
    const message = h("p", { class: "field-error", id: uid("err"), hidden: true, "data-error-for": key });
    for (const control of controls) {
      const described = control.getAttribute("aria-describedby");
      control.setAttribute("aria-describedby", described ? `${described} ${message.id}` : message.id);
    }
    this.slots.set(key, { message, focus, controls });
    return message;
  }

  /** Forget slots whose keys start with `prefix` (a removed camera). */
  drop(prefix: string): void {
    for (const key of [...this.slots.keys()]) if (key.startsWith(prefix)) this.slots.delete(key);
  }

  clear(): void {
    for (const slot of this.slots.values()) {
      slot.message.hidden = true;
      slot.message.textContent = "";
      for (const control of slot.controls) control.removeAttribute("aria-invalid");
    }
    this.summary.hidden = true;
    this.summary.replaceChildren();
  }

  /** Show problems beside their fields and in the summary; focus the summary. */
  show(problems: Problem[], headline = "Please check these and try again:"): void {
    this.clear();
    const placed = placeProblems(problems, new Set(this.slots.keys()));
    const items: HTMLElement[] = [];
    for (const [key, reason] of placed.bySlot) {
      const slot = this.slots.get(key);
      if (!slot) continue;
      slot.message.textContent = reason;
      slot.message.hidden = false;
      for (const control of slot.controls) control.setAttribute("aria-invalid", "true");
      const link = h("a", { href: `#${slot.focus.id}` }, reason);
      link.addEventListener("click", (event) => {
        event.preventDefault();
        slot.focus.focus();
      });
      items.push(h("li", {}, link));
    }
    for (const reason of placed.unplaced) items.push(h("li", {}, reason));
    this.summary.replaceChildren(h("h2", {}, headline), h("ul", {}, ...items));
    this.summary.hidden = false;
    this.summary.focus();
  }
}

export interface FieldOptions {
  label: string;
  hint?: string;
  optional?: boolean;
}

/** A labelled control with its hint and message slot. */
export function field(errors: FieldErrors, key: string, control: Control, options: FieldOptions): HTMLElement {
  if (!control.id) control.id = uid(`f-${key}`);
  const hint = options.hint ? h("p", { class: "hint", id: uid("hint") }, options.hint) : null;
  if (hint) control.setAttribute("aria-describedby", hint.id);
  const message = errors.slot(key, control, control);
  const label = h("label", { for: control.id }, options.label, options.optional ? h("span", { class: "optional" }, " (optional)") : null);
  return h("div", { class: "field" }, label, hint, message, control);
}

/** A fieldset of checkboxes (or radios) with one message slot for the group. */
export function choiceGroup(
  errors: FieldErrors, key: string, legend: string, type: "checkbox" | "radio",
  choices: { value: string; label: string }[], name: string, hint?: string,
): { element: HTMLFieldSetElement; inputs: HTMLInputElement[] } {
  const inputs = choices.map((choice) => h("input", { type, name, value: choice.value, id: uid(`f-${name}`) }));
  const hintEl = hint ? h("p", { class: "hint", id: uid("hint") }, hint) : null;
  const element = h("fieldset", { class: `choices choices-${type}`, "data-group": key },
    h("legend", {}, legend), hintEl);
  const message = errors.slot(key, inputs[0] ?? element, ...inputs);
  if (hintEl) for (const input of inputs) input.setAttribute("aria-describedby", `${hintEl.id} ${message.id}`);
  element.append(message);
  inputs.forEach((input, i) => element.append(h("div", { class: "choice" }, input, h("label", { for: input.id }, choices[i]?.label ?? ""))));
  return { element, inputs };
}

/** The values of the ticked boxes. */
export function checked(inputs: HTMLInputElement[]): string[] {
  return inputs.filter((i) => i.checked).map((i) => i.value);
}

/** Tick exactly the boxes whose values are given. */
export function check(inputs: HTMLInputElement[], values: readonly string[]): void {
  for (const input of inputs) input.checked = values.includes(input.value);
}

/** A select with its options. */
export function select(choices: { value: string; label: string }[], value = ""): HTMLSelectElement {
  const element = h("select", {}, ...choices.map((c) => h("option", { value: c.value }, c.label)));
  element.value = value;
  return element;
}
