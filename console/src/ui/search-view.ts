/**
 * The investigative search form: a plate pattern checked as it is typed, a time window, an area
 * picked on the map, readers, vehicle details, and the purpose and case number every search needs.
 */

import type { PurposesOut, ReadHit, ReaderOut, SearchOut } from "../api/types";
import { toLocalInput } from "../core/local-time";
import { checkPlatePattern, words } from "../core/plates";
import type { AreaChoice, FormProblem, SearchForm } from "../core/search-form";
import { h, replaceChildren, setText } from "./dom";
import { resultsTable, timeline } from "./search-results";

export interface SearchActions {
  search(form: SearchForm): void;
  exportCsv(form: SearchForm): void;
  pickArea(): Promise<{ lat: number; lon: number } | null>;
  areaChanged(area: AreaChoice | null): void;
  focus(read: ReadHit): void;
}

const HOUR_MS = 3_600_000;

function input(id: string, testId: string, attrs: Record<string, string | number | boolean> = {}): HTMLInputElement {
  return h("input", { type: "text", id, "data-testid": testId, autocomplete: "off", ...attrs });
}

function field(label: string, control: HTMLElement, id: string, ...after: Array<HTMLElement | null>): HTMLElement {
  return h("div", { class: "field" }, h("label", { for: id }, label), control, ...after);
}

export class SearchView {
  readonly element: HTMLElement;
  private readonly plate = input("search-plate", "search-plate", { maxlength: 40, placeholder: "ABC123, ABC*, *12*, A?C123" });
  private readonly plateHint = h("p", { class: "field-hint", "data-testid": "search-plate-hint", "aria-live": "polite" });
  private readonly since = input("search-since", "search-since", { type: "datetime-local" });
  private readonly until = input("search-until", "search-until", { type: "datetime-local" });
  private readonly radius = input("search-radius", "search-radius", { type: "number", min: 10, max: 100000, step: 10, value: 500 });
  private readonly areaText = h("span", { class: "muted", "data-testid": "search-area" }, "Anywhere");
  private readonly readers = h("select", { id: "search-readers", "data-testid": "search-readers", multiple: true, size: 3 });
  private readonly make = input("search-make", "search-make", { maxlength: 40 });
  private readonly colour = input("search-colour", "search-colour", { maxlength: 20 });
  private readonly purpose = h("select", { id: "search-purpose", "data-testid": "search-purpose", required: true });
  private readonly purposeHint = h("p", { class: "field-hint is-warning", "data-testid": "search-purpose-hint" });
  private readonly caseNumber = input("search-case", "search-case", { maxlength: 100, required: true, placeholder: "required" });
  private readonly problems = h("div", { class: "form-error", role: "alert", "data-testid": "search-error" });
  private readonly status = h("p", { class: "muted tool-status", role: "status" });
  private readonly results = h("div", { class: "search-results" });
  private area: { lat: number; lon: number } | null = null;
  private prohibited = new Set<string>();
  private timeTouched = false;

  constructor(private readonly actions: SearchActions, private readonly clockOffset: () => number) {
    this.plate.addEventListener("input", () => this.updatePlateHint());
    for (const t of [this.since, this.until]) t.addEventListener("change", () => (this.timeTouched = true));
    this.purpose.addEventListener("change", () => this.updatePurposeHint());
    this.radius.addEventListener("change", () => this.actions.areaChanged(this.areaChoice()));
    this.element = h("section", { class: "tool-panel", "data-testid": "search-view", "aria-label": "Plate search" },
      h("header", { class: "panel-head" }, h("h2", {}, "Plate search")),
      h("p", { class: "muted tool-intro" }, "Investigative search of stored reads. Every search names its purpose and case, and is audited."),
      this.form(), this.status, this.results);
    this.updatePlateHint();
    this.resetWindow();
  }

  private form(): HTMLFormElement {
    const submit = h("button", { type: "submit", class: "primary", "data-testid": "search-submit" }, "Search");
    const exportButton = h("button", { type: "button", "data-testid": "search-export" }, "Export CSV");
    exportButton.addEventListener("click", () => this.actions.exportCsv(this.read()));
    const form = h("form", { class: "search-form", "data-testid": "search-form", novalidate: true },
      field("Plate pattern", this.plate, "search-plate", this.plateHint),
      h("div", { class: "form-row" }, field("Since", this.since, "search-since"), field("Until", this.until, "search-until")),
      h("div", { class: "form-row area-row" }, field("Radius (m)", this.radius, "search-radius"), this.areaField()),
      h("div", { class: "form-row" }, field("Readers (none = all)", this.readers, "search-readers"),
        h("div", { class: "field-stack" }, field("Make", this.make, "search-make"), field("Colour", this.colour, "search-colour"))),
      h("div", { class: "form-row" }, field("Purpose", this.purpose, "search-purpose", this.purposeHint), field("Case number", this.caseNumber, "search-case")),
      this.problems, h("div", { class: "form-actions" }, exportButton, submit));
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      this.actions.search(this.read());
    });
    return form;
  }

  private areaField(): HTMLElement {
    const pick = h("button", { type: "button", "data-testid": "search-area-pick" }, "Pick on map");
    pick.addEventListener("click", () => void this.pickArea(pick));
    const clear = h("button", { type: "button", class: "ghost", "data-testid": "search-area-clear" }, "Clear");
    clear.addEventListener("click", () => this.setArea(null));
    return h("div", { class: "field" }, h("span", { class: "field-label" }, "Area"), h("div", { class: "area-controls" }, pick, clear, this.areaText));
  }

  /** Default window: the last 24 hours by the server's clock (until the operator changes it). */
  resetWindow(): void {
    if (this.timeTouched) return;
    const now = Date.now() + this.clockOffset();
    this.since.value = toLocalInput(now - 24 * HOUR_MS);
    this.until.value = toLocalInput(now + HOUR_MS);
  }

  setPurposes(purposes: PurposesOut): void {
    this.prohibited = new Set(purposes.prohibited);
    const allowed = purposes.purposes.map((p) => h("option", { value: p }, words(p)));
    const refused = purposes.prohibited.map((p) => h("option", { value: p, class: "is-prohibited" }, words(p)));
    replaceChildren(this.purpose, h("option", { value: "" }, "— choose the purpose —"), ...allowed,
      refused.length ? h("optgroup", { label: "Prohibited by agency policy (refused, and the attempt logged)" }, ...refused) : null);
    this.updatePurposeHint();
  }

  setReaders(readers: readonly ReaderOut[]): void {
    const chosen = new Set([...this.readers.selectedOptions].map((o) => o.value));
    replaceChildren(this.readers, ...readers.map((r) => h("option", { value: r.code, selected: chosen.has(r.code) }, `${r.code} — ${r.name}`)));
  }

  showProblems(problems: readonly FormProblem[], text: string | null = null): void {
    const lines = [...(text ? [text] : []), ...problems.map((p) => p.reason)];
    replaceChildren(this.problems, ...lines.map((line) => h("p", {}, line)));
  }

  showStatus(text: string): void {
    setText(this.status, text);
  }

  showResults(out: SearchOut): void {
    const now = Date.now();
    replaceChildren(this.results, resultsTable(out, now, (r) => this.actions.focus(r)), timeline(out, now, (r) => this.actions.focus(r)));
  }

  clearResults(): void {
    replaceChildren(this.results);
  }

  focusPlate(): void {
    this.plate.focus();
  }

  private read(): SearchForm {
    return {
      plate: this.plate.value, since: this.since.value, until: this.until.value, area: this.areaChoice(),
      readerCodes: [...this.readers.selectedOptions].map((o) => o.value), make: this.make.value, model: "",
      colour: this.colour.value, purpose: this.purpose.value, caseNumber: this.caseNumber.value, limit: 500,
    };
  }

  private areaChoice(): AreaChoice | null {
    return this.area ? { ...this.area, radius_m: Number(this.radius.value) } : null;
  }

  private async pickArea(button: HTMLButtonElement): Promise<void> {
    setText(button, "Click the map…");
    const point = await this.actions.pickArea();
    setText(button, "Pick on map");
    if (point) this.setArea(point);
  }

  private setArea(point: { lat: number; lon: number } | null): void {
    this.area = point;
    setText(this.areaText, point ? `${point.lat.toFixed(5)}, ${point.lon.toFixed(5)}` : "Anywhere");
    this.actions.areaChanged(this.areaChoice());
  }

  private updatePlateHint(): void {
    const check = checkPlatePattern(this.plate.value);
    setText(this.plateHint, check.explanation);
    this.plateHint.classList.toggle("is-error", !check.ok);
    this.plate.setAttribute("aria-invalid", String(!check.ok));
  }

  private updatePurposeHint(): void {
    const refused = this.prohibited.has(this.purpose.value);
    setText(this.purposeHint, refused ? "This purpose is prohibited: the search will be refused and the attempt logged." : "");
  }
}
