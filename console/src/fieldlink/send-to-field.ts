/**
 * "Send to field" on the open incident: an intel note sent as GeoChat to the TAK devices of the
 * units on the incident, or to a TAK team, with the notes already sent and who each one reached.
 */

import { asApiError, describeError } from "../api/errors";
import { call, route } from "../api/loose";
import { formatClock } from "../core/age";
import { h, replaceChildren, setText } from "../ui/dom";
import { type Audience, type FieldNote, groupName, NOTE_MAX_CHARS, noteBody, noteProblem, reachSummary, readNote, readNotes } from "./field-notes";

export class SendToFieldPanel {
  private incidentId: string | null = null;
  private readonly text = h("textarea", { id: "field-note-text", "data-testid": "field-note-text", rows: 2, maxlength: NOTE_MAX_CHARS,
    placeholder: "Intel for the officers (sent to their TAK devices)" });
  private readonly toUnits = h("input", { type: "radio", name: "field-note-to", value: "incident", checked: true, "data-testid": "field-note-to-units" });
  private readonly toGroup = h("input", { type: "radio", name: "field-note-to", value: "group", "data-testid": "field-note-to-group" });
  private readonly group = h("input", { type: "text", maxlength: 100, placeholder: "Team, e.g. Cyan", "data-testid": "field-note-group" });
  private readonly submit = h("button", { type: "submit", class: "primary", "data-testid": "field-note-send" }, "Send to field");
  private readonly status = h("p", { class: "muted", "data-testid": "field-note-status", role: "status" });
  private readonly list = h("ol", { class: "timeline field-notes", "data-testid": "field-notes" });
  readonly element: HTMLElement;

  constructor() {
    const form = h("form", { class: "field-note-form" }, h("label", { for: "field-note-text" }, "Note"), this.text,
      h("div", { class: "field-note-to" }, h("label", {}, this.toUnits, " Units on this incident"), h("label", {}, this.toGroup, " Team "), this.group),
      this.submit, this.status);
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      void this.send();
    });
    this.group.addEventListener("input", () => { this.toGroup.checked = true; });
    this.element = h("section", { class: "detail-section section-send-to-field", "data-testid": "send-to-field" },
      h("h3", {}, "Send to field"), form, this.list);
  }

  forIncident(incidentId: string): HTMLElement {
    if (incidentId !== this.incidentId) {
      this.incidentId = incidentId;
      this.text.value = "";
      setText(this.status, "");
      replaceChildren(this.list);
      void this.load();
    }
    return this.element;
  }

  forget(): void {
    this.incidentId = null;
  }

  private audience(): Audience | string {
    if (!this.toGroup.checked) return { kind: "incident" };
    const group = groupName(this.group.value);
    return group === null ? "Name the team." : { kind: "group", group };
  }

  async send(): Promise<void> {
    const id = this.incidentId;
    if (id === null) return;
    const audience = this.audience();
    const problem = noteProblem(this.text.value) ?? (typeof audience === "string" ? audience : null);
    if (problem !== null || typeof audience === "string") {
      setText(this.status, problem ?? "");
      return;
    }
    this.submit.disabled = true;
    try {
      const note = readNote(await call("POST", "/api/fieldlink/notes", noteBody(id, this.text.value, audience)));
      if (id !== this.incidentId) return;
      this.text.value = "";
      setText(this.status, note === null ? "Sent." : reachSummary(note));
      if (note !== null) this.list.append(this.row(note));
    } catch (error) {
      const failure = asApiError(error);
      if (failure.status !== 401) setText(this.status, failure.problems[0]?.reason ?? describeError(failure));
    } finally {
      this.submit.disabled = false;
    }
  }

  async load(): Promise<void> {
    const id = this.incidentId;
    if (id === null) return;
    try {
      const notes = readNotes(await call("GET", route("/api/incidents", id, "field-notes")));
      if (id === this.incidentId) replaceChildren(this.list, ...notes.map((n) => this.row(n)));
    } catch (error) {
      const failure = asApiError(error);
      if (failure.status !== 401 && id === this.incidentId) setText(this.status, describeError(failure));
    }
  }

  private row(note: FieldNote): HTMLElement {
    const to = note.group === null ? "units" : `team ${note.group}`;
    return h("li", { class: "timeline-entry", "data-testid": "field-note" },
      h("time", { datetime: note.writtenAt }, formatClock(note.writtenAt, Date.now())),
      h("span", { class: "timeline-what" }, note.text),
      h("span", { class: "timeline-actor muted" }, `${note.designator ?? note.author} → ${to} · ${reachSummary(note)}`));
  }
}
