/**
 * The registration form (new, or the owner editing theirs): who to contact, where (address with
 * suggestions and a movable pin), the cameras, how long recordings are kept, which requests are
 * welcome, and, for a new registration, the terms to agree to. Problems appear beside fields.
 */

import { ApiError } from "../api/errors";
import { h } from "../ui/dom";
import { AddressField } from "./address-field";
import { directionOf, fieldOfViewOf } from "./camera-terms";
import { CameraList } from "./camera-fields";
import { check, checked, choiceGroup, field, FieldErrors } from "./forms";
import { messageOf, type PublicApi } from "./http";
import { PinMap, type PinPosition } from "./pin-map";
import type { PublicStart, RegistrationIn, RegistrationOut } from "./types";
import { checkRegistration, type CameraDraft, type RegistrationDraft } from "./validation";

export const TERMS = [
  "Taking part is voluntary and free, and needs no particular equipment.",
  "The police get no live view of your cameras and no access to your system. They can only ask you for recordings; you decide each time whether to share.",
  "You can pause or delete your registration at any time from the private link we e-mail you. Deleting really deletes it.",
  "Only the police's real-time crime centre sees where registered cameras are; your name and contact details are never shown on their map.",
];

export interface FormOptions {
  start: PublicStart;
  api: PublicApi;
  initial: RegistrationOut | null;
  submitLabel: string;
  /** Send the checked body; throw the server's ApiError to have its problems shown. */
  onSubmit(body: RegistrationIn): Promise<void>;
}

function cameraDrafts(initial: RegistrationOut | null): CameraDraft[] {
  return (initial?.cameras ?? []).map((c) => ({
    id: c.id, label: c.label, ...directionOf(c.bearing), fov: fieldOfViewOf(c.fov_angle),
    range: c.range_m === null ? "" : String(c.range_m), covers: c.covers,
  }));
}

export class RegistrationForm {
  readonly element: HTMLFormElement;
  private readonly errors = new FieldErrors();
  private readonly kind: HTMLInputElement[];
  private readonly name = h("input", { type: "text", maxlength: 200, autocomplete: "organization" });
  private readonly nameField: HTMLElement;
  private readonly contactName = h("input", { type: "text", maxlength: 200, autocomplete: "name" });
  private readonly email = h("input", { type: "email", maxlength: 254, autocomplete: "email" });
  private readonly phone = h("input", { type: "tel", maxlength: 40, autocomplete: "tel" });
  private readonly address: AddressField;
  private readonly pin: PinMap;
  private readonly pinNote = h("p", { class: "hint", "data-testid": "pin-note" });
  private readonly cameras: CameraList;
  private readonly retention = h("input", { type: "number", min: 1, step: 1, inputmode: "numeric" });
  private readonly accepts: HTMLInputElement[];
  private readonly contactTimes = h("input", { type: "text", maxlength: 300 });
  private readonly consent = h("input", { type: "checkbox", "data-testid": "consent" });
  private readonly submit = h("button", { type: "submit", class: "primary", "data-testid": "submit" });
  private position: PinPosition | null = null;

  constructor(private readonly options: FormOptions) {
    const { start, initial } = options;
    this.address = new AddressField(options.api, this.errors, (match) => this.addressChosen(match));
    this.pin = new PinMap((moved) => this.pinMoved(moved));
    const kinds = choiceGroup(this.errors, "kind", "Is this a home or a business?", "radio",
      [{ value: "residence", label: "A home" }, { value: "business", label: "A business or organisation" }], "kind");
    this.kind = kinds.inputs;
    this.nameField = field(this.errors, "name", this.name, { label: "Name of the business" });
    const accepts = choiceGroup(this.errors, "accepts", "Which requests are you willing to receive?", "checkbox",
      start.request_kinds, "accepts", "You can always decline a request, whatever you tick here.");
    this.accepts = accepts.inputs;
    this.retention.max = String(start.max_retention_days);
    this.cameras = new CameraList(this.errors, start.covers, start.max_cameras, cameraDrafts(initial));
    this.submit.textContent = options.submitLabel;
    this.element = h("form", { class: "registration", novalidate: true, "data-testid": "registration-form" },
      this.errors.summary,
      h("section", { class: "section" }, h("h2", {}, "Who we would contact"), kinds.element, this.nameField,
        field(this.errors, "contact_name", this.contactName, { label: "Contact person" }),
        field(this.errors, "email", this.email, { label: "E-mail address", hint: "We send your private link here. It is never shown to anyone else." }),
        field(this.errors, "phone", this.phone, { label: "Phone number", optional: true })),
      h("section", { class: "section" }, h("h2", {}, "Where"), this.address.element, this.pin.element, this.pinNote),
      this.cameras.element,
      h("section", { class: "section" }, h("h2", {}, "Recordings and requests"),
        field(this.errors, "retention_days", this.retention, { label: "How many days does your system keep recordings?",
          hint: "This tells the police how soon to ask before the footage is gone. A guess is fine." }),
        accepts.element,
        field(this.errors, "contact_times", this.contactTimes, { label: "When may we contact you?", hint: "For example “weekdays after 17”.", optional: true })),
      initial === null ? this.consentSection() : null,
      this.submit);
    this.fill(initial);
    for (const input of this.kind) input.addEventListener("change", () => this.kindChanged());
    this.kindChanged();
    this.element.addEventListener("submit", (event) => {
      event.preventDefault();
      void this.send();
    });
  }

  /** Start the map (once the form is in the document). */
  async mount(): Promise<void> {
    const { lat, lon } = this.position ?? this.options.start.center;
    await this.pin.start({ lat, lon });
    if (this.position) this.pin.place(this.position);
  }

  private consentSection(): HTMLElement {
    const message = this.errors.slot("consent", this.consent, this.consent);
    this.consent.id = "consent";
    return h("section", { class: "section terms" }, h("h2", {}, "The terms"),
      h("ul", {}, ...TERMS.map((t) => h("li", {}, t))), message,
      h("div", { class: "choice" }, this.consent, h("label", { for: "consent" }, "I have read these terms and I agree to take part.")));
  }

  private fill(initial: RegistrationOut | null): void {
    check(this.kind, [initial?.kind ?? "residence"]);
    if (!initial) return;
    this.name.value = initial.name ?? "";
    this.contactName.value = initial.contact_name;
    this.email.value = initial.email;
    this.phone.value = initial.phone ?? "";
    this.address.set({ address: initial.address, lat: initial.lat, lon: initial.lon, district: null });
    this.position = { lat: initial.lat, lon: initial.lon };
    this.pinNote.textContent = "The pin shows where your cameras are. Drag it to move it.";
    this.retention.value = String(initial.retention_days);
    check(this.accepts, initial.accepts);
    this.contactTimes.value = initial.contact_times ?? "";
  }

  private kindChanged(): void {
    this.nameField.hidden = checked(this.kind)[0] !== "business";
  }

  private addressChosen(match: { lat: number; lon: number } | null): void {
    this.position = match ? { lat: match.lat, lon: match.lon } : null;
    if (match) this.pin.place(match);
    this.pinNote.textContent = match ? "The pin is on your address. Drag it if your cameras are elsewhere on the plot." : "";
  }

  private pinMoved(moved: PinPosition): void {
    this.position = moved;
    this.pinNote.textContent = `You moved the pin (${moved.lat.toFixed(5)}, ${moved.lon.toFixed(5)}).`;
  }

  private draft(): RegistrationDraft {
    return {
      kind: checked(this.kind)[0] ?? "", name: this.name.value, contact_name: this.contactName.value,
      email: this.email.value, phone: this.phone.value, address: this.address.input.value,
      lat: this.address.chosen ? (this.position?.lat ?? null) : null,
      lon: this.address.chosen ? (this.position?.lon ?? null) : null,
      retention_days: this.retention.value, accepts: checked(this.accepts), contact_times: this.contactTimes.value,
      cameras: this.cameras.read(), consent: this.consent.checked,
    };
  }

  private async send(): Promise<void> {
    const limits = { maxCameras: this.options.start.max_cameras, maxRetentionDays: this.options.start.max_retention_days };
    const { problems, body } = checkRegistration(this.draft(), limits, this.options.initial === null);
    if (problems.length > 0) {
      this.errors.show(problems);
      return;
    }
    this.errors.clear();
    this.submit.disabled = true;
    try {
      await this.options.onSubmit(body);
    } catch (error) {
      const problemsFromServer = error instanceof ApiError ? error.problems : [];
      this.errors.show(problemsFromServer.length > 0 ? problemsFromServer : [{ pointer: "", reason: messageOf(error) }],
        problemsFromServer.length > 0 ? "The server could not accept this yet:" : "It did not work:");
    } finally {
      this.submit.disabled = false;
    }
  }
}
