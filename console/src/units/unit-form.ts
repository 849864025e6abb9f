/**
 * Create or edit a unit (supervisors and admins): code, name, kind, agency, crew and capabilities.
 * Status and the assigned incident come from the CAD or the status control, so the form only shows
 * them. The browser's own checks and the server's field problems (422, 409) appear beside their fields.
 */

import { words } from "../core/plates";
import { h } from "../ui/dom";
import { showProblems, submitChecked } from "../ui/form-problems";
import { KINDS, LIMITS, unitBody, valuesOf, type FormProblems, type UnitEdit, type UnitFormValues, type UnitIn } from "./unit-form-logic";
import { statusWord, type UnitRow } from "./unit-model";

/** Stores the body; null when stored, otherwise the problems by field. */
export type UnitSubmit = (body: UnitIn | UnitEdit) => Promise<FormProblems | null>;

const LABELS: Record<keyof UnitFormValues, string> = {
  code: "Code", name: "Name", kind: "Kind", agency: "Agency",
  crew: "Crew (comma separated)", capabilities: "Capabilities (comma separated)",
};

export const FORM_FIELDS: ReadonlySet<string> = new Set(Object.keys(LABELS));

type Control = HTMLInputElement | HTMLSelectElement;

function input(name: string, value: string, extra: Record<string, string | number | boolean> = {}): HTMLInputElement {
  const element = h("input", { type: "text", id: `unit-${name}`, name, "data-testid": `unit-field-${name}`, autocomplete: "off", ...extra });
  element.value = value;
  return element;
}

function kindChoice(value: string): HTMLSelectElement {
  const select = h("select", { id: "unit-kind", name: "kind", "data-testid": "unit-field-kind" },
    ...KINDS.map((k) => h("option", { value: k }, k === "rtcc" ? "RTCC" : k === "ems" ? "EMS" : words(k))));
  select.value = value;
  return select;
}

export class UnitForm {
  readonly element: HTMLFormElement;
  private readonly errors = new Map<string, HTMLElement>();
  private readonly controls = new Map<keyof UnitFormValues, Control>();
  private readonly submitButton: HTMLButtonElement;

  constructor(private readonly unit: UnitRow | null, submit: UnitSubmit, cancel: () => void) {
    const v = valuesOf(unit);
    const creating = unit === null;
    this.add("code", input("code", v.code, { maxlength: LIMITS.code, disabled: !creating, placeholder: "e.g. 2A14" }));
    this.add("name", input("name", v.name, { maxlength: LIMITS.name, placeholder: creating ? "The code when left empty" : "" }));
    this.add("kind", kindChoice(v.kind));
    this.add("agency", input("agency", v.agency, { maxlength: LIMITS.agency }));
    this.add("crew", input("crew", v.crew, { placeholder: "Ofc. Virtanen, Ofc. Laine" }));
    this.add("capabilities", input("capabilities", v.capabilities, { placeholder: "K9, EMT, drone pilot" }));
    this.submitButton = h("button", { type: "submit", class: "primary", "data-testid": "unit-save" }, creating ? "Create unit" : "Save changes");
    const cancelButton = h("button", { type: "button", class: "ghost", "data-testid": "unit-cancel" }, "Cancel");
    cancelButton.addEventListener("click", cancel);
    const formError = h("p", { class: "form-error", role: "alert", "data-testid": "unit-form-error" });
    this.errors.set("form", formError);
    // The camera form's layout (two columns, full-width headings and actions) suits this one too.
    this.element = h("form", { class: "camera-form unit-form", "data-testid": "unit-form", autocomplete: "off" },
      h("h3", {}, creating ? "New unit" : `Edit ${unit.code}`),
      ...[...this.controls.keys()].map((name) => this.row(name)),
      unit ? h("p", { class: "muted small-print", "data-testid": "unit-form-assignment" },
        `${statusWord(unit.status)} · ${unit.incidentId ? `assigned to incident ${unit.incidentId}` : "not on an incident"} (set by the CAD or the status control)`) : null,
      formError, h("div", { class: "form-actions" }, cancelButton, this.submitButton));
    this.element.addEventListener("keydown", (event) => event.stopPropagation());
    this.element.addEventListener("submit", (event) => {
      event.preventDefault();
      void this.send(submit);
    });
  }

  private add(name: keyof UnitFormValues, control: Control): void {
    this.controls.set(name, control);
    this.errors.set(name, h("span", { class: "form-error field-error", "data-testid": `unit-error-${name}` }));
  }

  private row(name: keyof UnitFormValues): HTMLElement {
    return h("div", { class: `field field-${name}` }, h("label", { for: `unit-${name}` }, LABELS[name]),
      this.controls.get(name) ?? null, this.errors.get(name) ?? null);
  }

  private values(): UnitFormValues {
    const value = (name: keyof UnitFormValues): string => this.controls.get(name)?.value ?? "";
    return { code: this.unit?.code ?? value("code"), name: value("name"), kind: value("kind"), agency: value("agency"),
      crew: value("crew"), capabilities: value("capabilities") };
  }

  private show(problems: FormProblems): void {
    showProblems(this.errors, this.controls, problems);
  }

  private async send(submit: UnitSubmit): Promise<void> {
    await submitChecked(unitBody(this.values(), this.unit === null), this.submitButton, submit, (p) => this.show(p));
  }
}
