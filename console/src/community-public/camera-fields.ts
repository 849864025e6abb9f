/** The cameras part of the form: one fieldset per camera, added and removed by the owner. */

import { h } from "../ui/dom";
import { DIRECTION_CHOICES, DIRECTION_DEGREES, FIELD_OF_VIEW } from "./camera-terms";
import { check, checked, choiceGroup, field, FieldErrors, select } from "./forms";
import type { CameraDraft } from "./validation";
import type { Choice } from "./types";

export function emptyCamera(): CameraDraft {
  return { label: "", direction: "", degrees: "", fov: "", range: "", covers: [] };
}

class CameraFields {
  readonly element: HTMLFieldSetElement;
  private readonly label = h("input", { type: "text", maxlength: 100, autocomplete: "off" });
  private readonly direction: HTMLSelectElement;
  private readonly degrees = h("input", { type: "number", min: 0, max: 359, step: "any", inputmode: "decimal" });
  private readonly degreesField: HTMLElement;
  private readonly fov: HTMLSelectElement;
  private readonly range = h("input", { type: "number", min: 1, max: 300, step: "any", inputmode: "decimal" });
  private readonly covers: HTMLInputElement[];

  constructor(errors: FieldErrors, index: number, coverChoices: Choice[], private readonly draft: CameraDraft, onRemove: (() => void) | null) {
    const key = `cameras-${index}`;
    this.label.value = draft.label;
    this.direction = select(DIRECTION_CHOICES, draft.direction);
    this.degrees.value = draft.degrees;
    this.fov = select(FIELD_OF_VIEW, draft.fov);
    this.range.value = draft.range;
    const covers = choiceGroup(errors, `${key}-covers`, "What does it see?", "checkbox", coverChoices, `covers-${index}`, "Tick all that apply.");
    this.covers = covers.inputs;
    check(this.covers, draft.covers);
    this.direction.id = `dir-${index}`;
    this.degrees.id = `deg-${index}`;
    // The degrees box shares the direction's message slot: both set the bearing.
    const bearingMessage = errors.slot(`${key}-bearing`, this.direction, this.direction, this.degrees);
    this.degreesField = h("div", { class: "field" }, h("label", { for: this.degrees.id }, "Direction in degrees (0 = north, 90 = east)"), this.degrees);
    this.direction.addEventListener("change", () => this.toggleDegrees());
    const remove = onRemove ? h("button", { type: "button", class: "secondary" }, `Remove camera ${index + 1}`) : null;
    remove?.addEventListener("click", onRemove ?? (() => undefined));
    this.element = h("fieldset", { class: "camera", "data-testid": `camera-${index}` },
      h("legend", {}, `Camera ${index + 1}`),
      field(errors, `${key}-label`, this.label, { label: "Name of this camera", hint: "Something that helps you recognise it, like “Front door” or “Car park, east corner”." }),
      h("div", { class: "field" }, h("label", { for: this.direction.id }, "Which way does it point?"), bearingMessage, this.direction),
      this.degreesField,
      field(errors, `${key}-fov_angle`, this.fov, { label: "How wide does it see?", optional: true }),
      field(errors, `${key}-range_m`, this.range, { label: "How far does it see, roughly (metres)?", optional: true }),
      covers.element,
      remove,
    );
    this.toggleDegrees();
  }

  private toggleDegrees(): void {
    this.degreesField.hidden = this.direction.value !== DIRECTION_DEGREES;
  }

  read(): CameraDraft {
    return {
      id: this.draft.id,
      label: this.label.value,
      direction: this.direction.value,
      degrees: this.degrees.value,
      fov: this.fov.value,
      range: this.range.value,
      covers: checked(this.covers),
    };
  }
}

export class CameraList {
  readonly element: HTMLElement;
  private readonly holder = h("div", { class: "cameras" });
  private readonly add = h("button", { type: "button", class: "secondary", "data-testid": "add-camera" }, "Add another camera");
  private fields: CameraFields[] = [];

  constructor(private readonly errors: FieldErrors, private readonly covers: Choice[], private readonly max: number, drafts: CameraDraft[]) {
    const message = errors.slot("cameras", this.add);
    this.element = h("section", { class: "section", "aria-labelledby": "cameras-heading" },
      h("h2", { id: "cameras-heading" }, "Your cameras"),
      h("p", { class: "hint" }, "Describe each camera that looks at a public place or your plot's edges. Rough answers are fine."),
      message, this.holder, this.add);
    this.add.addEventListener("click", () => {
      this.render([...this.read(), emptyCamera()]);
      this.fields.at(-1)?.element.querySelector("input")?.focus();
    });
    this.render(drafts.length > 0 ? drafts : [emptyCamera()]);
  }

  read(): CameraDraft[] {
    return this.fields.map((f) => f.read());
  }

  private render(drafts: CameraDraft[]): void {
    this.errors.drop("cameras-");
    this.fields = drafts.map((draft, index) => new CameraFields(this.errors, index, this.covers, draft,
      drafts.length > 1 ? () => this.removeAt(index) : null));
    this.holder.replaceChildren(...this.fields.map((f) => f.element));
    this.add.hidden = drafts.length >= this.max;
  }

  private removeAt(index: number): void {
    this.render(this.read().filter((_, i) => i !== index));
    this.add.focus();
  }
}
