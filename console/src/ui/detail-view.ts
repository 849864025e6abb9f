/**
 * The open incident: what, where, since when, who has it; claim/release; intel notes with a
 * composer (Ctrl+Enter submits); then cautions, units, people, vehicles, agencies and timeline.
 */

import type { IncidentDetail, NoteOut } from "../api/types";
import { ageSeconds, formatAge, formatClock } from "../core/age";
import { priorityBand, priorityLabel } from "../core/queue-order";
import { chronological, statusWord } from "../core/timeline";
import { h, replaceChildren, setText } from "./dom";
import {
  agenciesSection, cautionsSection, personsSection, timelineSection, unitsSection, vehiclesSection,
} from "./detail-sections";

export interface DetailActions {
  claim(): void;
  release(): void;
  addNote(text: string): Promise<boolean>;
  close(): void;
}

export interface Viewer {
  username: string;
  role: string;
}

export class DetailView {
  readonly element: HTMLElement;
  private readonly body: HTMLElement;
  private readonly noteInput: HTMLTextAreaElement;
  private readonly noteSubmit: HTMLButtonElement;
  private readonly feedback: HTMLElement;
  private age: HTMLElement | null = null;
  private receivedAt = "";
  private current: IncidentDetail | null = null;
  /** Sections other features add to the detail (cameras that can see the incident). */
  extras: (detail: IncidentDetail) => Array<HTMLElement | null> = () => [];
  /** Sections shown first, right under the cautions (the context packet, the playbook). */
  leading: (detail: IncidentDetail) => Array<HTMLElement | null> = () => [];
  /** Unsent note text per incident, so switching calls never loses a draft. */
  private readonly drafts = new Map<string, string>();

  constructor(private readonly actions: DetailActions, private readonly viewer: () => Viewer, private readonly clockOffset: () => number) {
    this.noteInput = h("textarea", { id: "note-input", "data-testid": "note-input", rows: 3, maxlength: 4000,
      placeholder: "Intel for the units on this call… (Ctrl+Enter to add)", "aria-label": "Intel note" });
    this.noteSubmit = h("button", { type: "submit", class: "primary", "data-testid": "note-submit" }, "Add note");
    this.feedback = h("p", { class: "detail-feedback", role: "status", "aria-live": "polite" });
    this.body = h("div", { class: "detail-body" });
    this.element = h("section", { class: "detail-panel", "data-testid": "incident-detail", "aria-label": "Incident detail", hidden: true },
      this.body);
    this.noteInput.addEventListener("keydown", (event) => {
      if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
        event.preventDefault();
        void this.submitNote();
      }
    });
  }

  get incidentId(): string | null {
    return this.current?.incident.id ?? null;
  }

  get isOpen(): boolean {
    return !this.element.hidden;
  }

  showLoading(incidentId: string): void {
    this.keepDraft();
    this.element.hidden = false;
    this.element.setAttribute("data-incident-id", incidentId);
    if (this.current?.incident.id !== incidentId) {
      this.current = null;
      replaceChildren(this.body, h("p", { class: "muted detail-loading" }, "Opening the incident…"));
    }
  }

  showProblem(text: string): void {
    setText(this.feedback, text);
    this.feedback.classList.add("is-error");
    if (!this.current) replaceChildren(this.body, this.closeBar(), this.feedback);
  }

  showInfo(text: string): void {
    setText(this.feedback, text);
    this.feedback.classList.remove("is-error");
  }

  hide(): void {
    this.keepDraft();
    this.element.hidden = true;
    this.element.removeAttribute("data-incident-id");
    this.current = null;
    this.age = null;
    replaceChildren(this.body);
  }

  focusNote(): void {
    if (this.isOpen && this.current) this.noteInput.focus();
  }

  /** Render (or re-render after a change) keeping the note being typed and the scroll position. */
  render(detail: IncidentDetail): void {
    const sameIncident = this.current?.incident.id === detail.incident.id;
    const scroll = sameIncident ? this.body.scrollTop : 0;
    const typing = document.activeElement === this.noteInput;
    const { selectionStart, selectionEnd } = this.noteInput;
    if (!sameIncident) setText(this.feedback, "");
    this.current = detail;
    this.element.hidden = false;
    this.element.setAttribute("data-incident-id", detail.incident.id);
    const now = Date.now();
    replaceChildren(this.body, this.closeBar(), this.header(detail, now), this.claimBar(detail), this.feedback,
      cautionsSection(detail), ...this.leading(detail), this.notesSection(detail.notes, now), ...this.extras(detail), unitsSection(detail, now),
      personsSection(detail), vehiclesSection(detail), agenciesSection(detail), timelineSection(detail, now));
    this.body.scrollTop = scroll;
    if (typing) {
      this.noteInput.focus({ preventScroll: true });
      this.noteInput.setSelectionRange(selectionStart, selectionEnd);
    }
    if (!sameIncident) this.noteInput.value = this.drafts.get(detail.incident.id) ?? "";
    this.tick(now);
  }

  /** Append a note we just wrote, before the server's live message brings the full detail. */
  addNote(note: NoteOut): void {
    if (!this.current || this.current.notes.some((n) => n.id === note.id)) return;
    this.render({ ...this.current, notes: [...this.current.notes, note] });
  }

  tick(nowMs: number = Date.now()): void {
    if (this.age) setText(this.age, formatAge(ageSeconds(this.receivedAt, nowMs, this.clockOffset())));
  }

  private closeBar(): HTMLElement {
    const close = h("button", { type: "button", class: "ghost close-detail", title: "Close (Esc)", "aria-label": "Close detail" }, "×");
    close.addEventListener("click", () => this.actions.close());
    return h("div", { class: "detail-close" }, close);
  }

  private header(detail: IncidentDetail, now: number): HTMLElement {
    const i = detail.incident;
    const band = priorityBand(i.priority);
    this.receivedAt = i.received_at;
    this.age = h("span", { class: "detail-age", "data-testid": "detail-age" });
    const cross = i.cross_streets.length ? `at ${i.cross_streets.join(" / ")}` : null;
    return h("header", { class: "detail-head" },
      h("div", { class: "detail-title" }, h("span", { class: `badge badge-${band}` }, priorityLabel(i.priority)),
        h("h2", {}, i.type_text || i.type_code), h("span", { class: `status-pill status-${i.status}` }, statusWord(i.status))),
      h("p", { class: "detail-address" }, i.address ?? "No address"),
      cross ? h("p", { class: "detail-cross muted" }, cross) : null,
      i.location_description ? h("p", { class: "muted" }, i.location_description) : null,
      h("p", { class: "detail-times" }, "Received ", h("time", { datetime: i.received_at }, formatClock(i.received_at, now)),
        " · age ", this.age, i.cad_incident_number ? ` · CAD ${i.cad_incident_number}` : "", i.beat ? ` · beat ${i.beat}` : ""));
  }

  private claimBar(detail: IncidentDetail): HTMLElement {
    const i = detail.incident;
    const me = this.viewer();
    const mine = i.claimed_by_username === me.username;
    const holder = i.claimed_by_designator ?? i.claimed_by_username;
    const supervisor = me.role === "supervisor";
    const claim = h("button", { type: "button", class: "primary", "data-testid": "claim", title: "Claim (c)", disabled: mine },
      holder && !mine && supervisor ? "Take over" : "Claim");
    const release = h("button", { type: "button", "data-testid": "release", title: "Release (r)", disabled: !holder || (!mine && !supervisor) }, "Release");
    claim.addEventListener("click", () => this.actions.claim());
    release.addEventListener("click", () => this.actions.release());
    const who = h("span", { class: `claimed-by${holder ? " is-claimed" : ""}`, "data-testid": "claimed-by" },
      holder ? `${holder}${i.claimed_by_username && i.claimed_by_username !== holder ? ` (${i.claimed_by_username})` : ""}` : "Unclaimed");
    return h("div", { class: "claim-bar" }, h("span", { class: "muted" }, "Worked by "), who, claim, release);
  }

  private notesSection(notes: readonly NoteOut[], now: number): HTMLElement {
    const ordered = chronological(notes.map((n) => ({ ...n, at: n.written_at })));
    const items = ordered.map((n) =>
      h("li", { class: `note origin-${n.origin}`, "data-testid": "note", "data-note-id": n.id },
        h("div", { class: "note-meta" }, h("span", { class: "note-origin" }, n.origin === "intel" ? "INTEL" : n.origin.toUpperCase()),
          h("strong", {}, n.designator ?? n.author ?? "CAD"), h("time", { datetime: n.written_at }, formatClock(n.written_at, now))),
        h("p", { class: "note-text" }, n.text)));
    const list = h("ol", { class: "notes", "data-testid": "notes" }, ...items);
    const form = h("form", { class: "note-form" }, this.noteInput, h("div", { class: "note-actions" }, this.noteSubmit));
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      void this.submitNote();
    });
    return h("section", { class: "detail-section section-notes" },
      h("h3", {}, "Notes", h("span", { class: "section-count" }, String(items.length))), list, form);
  }

  private keepDraft(): void {
    const id = this.current?.incident.id;
    if (!id) return;
    if (this.noteInput.value.trim()) this.drafts.set(id, this.noteInput.value);
    else this.drafts.delete(id);
  }

  private async submitNote(): Promise<void> {
    const text = this.noteInput.value.trim();
    const incidentId = this.incidentId;
    if (!text || !incidentId || this.noteSubmit.disabled) return;
    this.noteSubmit.disabled = true;
    try {
      if (await this.actions.addNote(text)) {
        this.drafts.delete(incidentId);
        if (this.incidentId === incidentId) this.noteInput.value = "";
      }
    } finally {
      this.noteSubmit.disabled = false;
    }
  }
}
