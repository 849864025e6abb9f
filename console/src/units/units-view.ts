/**
 * The Units tab (`u`): every unit with its status (in the map's colour), kind, incident, and how
 * old its position is; stale ones greyed with their age. A click brings the unit into view. For
 * supervisors and admins, "New unit" and each row's "Edit" open the unit form above the list.
 */

import { h, replaceChildren, setAttr, setText } from "../ui/dom";
import { UnitForm, type UnitSubmit } from "./unit-form";
import { ageLabel, compareUnits, isStale, positionAge, statusWord, type UnitRow } from "./unit-model";
import type { UnitStore } from "./unit-store";

export interface UnitsViewOptions {
  onOpen(unit: UnitRow): void;
  clockOffset(): number;
  /** Whether this user may create and edit units (the server's roles for POST/PATCH /api/units). */
  canEdit(): boolean;
  create: UnitSubmit;
  update(code: string): UnitSubmit;
}

/** "Crew: A, B · K9, EMT" — who is aboard and what the unit can do; null when neither is on file. */
function crewLine(unit: UnitRow): HTMLElement | null {
  const parts = [unit.crew.length ? `Crew: ${unit.crew.join(", ")}` : "", unit.capabilities.join(", ")].filter(Boolean);
  return parts.length ? h("span", { class: "muted unit-crew", "data-testid": "unit-crew" }, parts.join(" · ")) : null;
}

export class UnitsView {
  readonly element: HTMLElement;
  private readonly list: HTMLOListElement;
  private readonly count: HTMLElement;
  private readonly empty: HTMLElement;
  private readonly newButton: HTMLButtonElement;
  private readonly formHost = h("div", { class: "unit-form-host" });
  private ages: Array<[HTMLElement, HTMLElement, UnitRow]> = [];

  constructor(private readonly store: UnitStore, private readonly options: UnitsViewOptions) {
    this.list = h("ol", { class: "unit-list", "data-testid": "units", "aria-label": "Units" });
    this.count = h("span", { class: "queue-count", "aria-live": "polite" });
    this.empty = h("p", { class: "queue-empty" }, "Loading units…");
    this.newButton = h("button", { type: "button", class: "small", "data-testid": "unit-new", hidden: !options.canEdit() }, "New unit");
    this.newButton.addEventListener("click", () => this.showForm(null));
    this.element = h("section", { class: "queue-panel units-panel", "aria-label": "Units" },
      h("header", { class: "panel-head" }, h("h2", {}, "Units"), this.count, this.newButton), this.formHost, this.empty, this.list);
    store.subscribe(() => this.render());
  }

  /** Open the form: a new unit (null) or the unit with this code. */
  showForm(unit: UnitRow | null): void {
    if (!this.options.canEdit()) return;
    const submit = unit ? this.options.update(unit.code) : this.options.create;
    const form = new UnitForm(unit, async (body) => {
      const problems = await submit(body);
      if (problems === null) replaceChildren(this.formHost);
      return problems;
    }, () => replaceChildren(this.formHost));
    replaceChildren(this.formHost, form.element);
    form.element.querySelector<HTMLElement>("input:not([disabled])")?.focus();
  }

  /** Re-age every row (once a second): positions go stale without any message arriving. */
  tick(nowMs: number = Date.now()): void {
    const offset = this.options.clockOffset();
    for (const [row, age, unit] of this.ages) {
      const stale = isStale(unit, nowMs, offset);
      setText(age, ageLabel(positionAge(unit, nowMs, offset)));
      setAttr(row, "data-stale", String(stale));
    }
  }

  private render(): void {
    this.newButton.hidden = !this.options.canEdit();
    const now = Date.now();
    const offset = this.options.clockOffset();
    const units = this.store.units.sort((a, b) => compareUnits(a, b, now, offset));
    this.ages = [];
    replaceChildren(this.list, ...units.map((u) => this.row(u)));
    const stale = units.filter((u) => isStale(u, now, offset)).length;
    setText(this.count, `${units.length} units${stale ? ` · ${stale} stale` : ""}`);
    this.empty.hidden = units.length > 0;
    setText(this.empty, this.store.problem ?? (this.store.hasLoaded ? "No units yet." : "Loading units…"));
    this.tick(now);
  }

  private row(unit: UnitRow): HTMLElement {
    const age = h("span", { class: "row-age", "data-testid": "unit-age" });
    const status = h("span", { class: "unit-status", "data-testid": "unit-status", "data-status": unit.status },
      h("span", { class: "unit-swatch", "aria-hidden": "true" }), statusWord(unit.status));
    const element = h("li", { class: "unit-row", "data-testid": "unit-row", "data-code": unit.code, "data-status": unit.status, tabindex: -1 },
      h("span", { class: "row-main" },
        h("span", { class: "row-type" }, h("strong", {}, unit.code), unit.name !== unit.code ? ` · ${unit.name}` : ""),
        h("span", { class: "muted" }, [unit.kind, unit.agency].filter(Boolean).join(" · "),
          unit.incidentId ? h("span", { class: "unit-incident", title: unit.incidentId }, " · on an incident") : null),
        crewLine(unit)),
      h("span", { class: "row-meta" }, status, age, this.editButton(unit)));
    this.ages.push([element, age, unit]);
    element.addEventListener("click", () => this.options.onOpen(unit));
    return element;
  }

  private editButton(unit: UnitRow): HTMLButtonElement | null {
    if (!this.options.canEdit()) return null;
    const edit = h("button", { type: "button", class: "small ghost", "data-testid": "unit-edit", "aria-label": `Edit ${unit.code}` }, "Edit");
    edit.addEventListener("click", (event) => {
      event.stopPropagation();
      this.showForm(this.store.get(unit.code) ?? unit);
    });
    return edit;
  }
}
