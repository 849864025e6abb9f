/**
 * "Registered community cameras" in the open incident's context: the cameras near it from the
 * context packet (distance, how long each keeps video, when the incident's footage will be gone —
 * highlighted when soon), checkboxes, the "Request footage" form (kind, window, reason →
 * POST /api/community/requests, one request per site) and the incident's requests below.
 */

import { asApiError, describeError } from "../api/errors";
import { call } from "../api/loose";
import type { IncidentDetail } from "../api/types";
import type { CommunityCamera } from "../context/packet";
import { distanceText } from "../context/packet";
import { h, replaceChildren, setText } from "../ui/dom";
import { coversText, kindLabel, readRequests, REQUEST_KINDS } from "./community-model";
import {
  accepts, askedSites, draftProblems, footageLostAt, footageUrgency, pickedSummary, REASON_MAX, requestBody, retentionText,
  serverProblems, sitesOf, windowInputs, type DraftField, type DraftProblems, type RequestDraft,
} from "./request-logic";
import { RequestsList } from "./requests-list";

export interface SectionHost {
  /** Server time now (ms). */
  nowMs(): number;
  /** May this person ask for footage (operators and supervisors)? */
  canRequest(): boolean;
  /** The picked cameras, to mark them on the map. */
  picked(ids: ReadonlySet<string>): void;
}

/** The incident's time the footage must show: when the call first came in. */
function incidentTime(detail: IncidentDetail): number {
  const i = detail.incident as { first_received_at?: string | null; received_at: string };
  return Date.parse(i.first_received_at ?? i.received_at);
}

export class CommunitySection {
  readonly element: HTMLElement;
  readonly requests: RequestsList;
  private incidentId: string | null = null;
  private incidentMs = Number.NaN;
  private cameras: CommunityCamera[] = [];
  private readonly picked = new Set<string>();
  private readonly count = h("span", { class: "section-count" });
  private readonly list = h("ul", { class: "plain-list ctx-list community-cameras", "data-testid": "community-cameras" });
  private readonly empty = h("p", { class: "muted ctx-empty" }, "None registered nearby.");
  private readonly kind = h("select", { id: "community-kind", "data-testid": "community-kind" },
    h("option", { value: "" }, "Choose…"), ...REQUEST_KINDS.map(([value, label]) => h("option", { value }, label)));
  private readonly from = h("input", { type: "datetime-local", id: "community-from", "data-testid": "community-from" });
  private readonly to = h("input", { type: "datetime-local", id: "community-to", "data-testid": "community-to" });
  private readonly reason = h("textarea", { id: "community-reason", rows: 2, maxlength: REASON_MAX, "data-testid": "community-reason",
    placeholder: "What happened and what the footage may show (the owner reads this)" });
  private readonly summary = h("p", { class: "muted", "data-testid": "community-picked" });
  private readonly submit = h("button", { type: "submit", class: "primary", "data-testid": "community-request-send" }, "Request footage");
  private readonly formStatus = h("p", { class: "form-status", role: "status", "data-testid": "community-form-status" });
  private readonly fieldErrors = new Map<DraftField, HTMLElement>();
  private readonly form: HTMLFormElement;
  private cameraProblems: Record<string, string> = {};

  constructor(private readonly host: SectionHost) {
    this.requests = new RequestsList(() => host.nowMs(), () => this.renderCameras());
    this.form = this.buildForm();
    this.element = h("div", { class: "ctx-part ctx-community", "data-testid": "ctx-community" },
      h("h4", {}, "Registered community cameras", this.count), this.empty, this.list, this.form, this.requests.element);
  }

  /** The incident the section shows (null when none is open). */
  get incident(): string | null {
    return this.incidentId;
  }

  /** The section for this incident (the same element while it stays open). */
  forIncident(detail: IncidentDetail): HTMLElement {
    const id = detail.incident.id;
    this.incidentMs = incidentTime(detail);
    if (id !== this.incidentId) {
      this.incidentId = id;
      this.cameras = [];
      this.picked.clear();
      this.cameraProblems = {};
      this.resetForm();
      this.requests.forIncident(id);
      this.renderCameras();
    }
    return this.element;
  }

  /** The context packet listed the registered cameras near the incident. */
  found(cameras: readonly CommunityCamera[]): void {
    this.cameras = [...cameras].sort((a, b) => (a.distance_m ?? Infinity) - (b.distance_m ?? Infinity));
    const known = new Set(this.cameras.map((c) => c.id));
    for (const id of [...this.picked]) if (!known.has(id)) this.picked.delete(id);
    this.renderCameras();
  }

  forget(): void {
    this.incidentId = null;
    this.picked.clear();
    this.host.picked(this.picked);
    this.requests.forget();
  }

  /** Re-age the "footage gone in …" lines (once a minute is plenty). */
  tick(): void {
    if (this.incidentId !== null) this.renderCameras();
  }

  private buildForm(): HTMLFormElement {
    const field = (name: DraftField, label: string, input: HTMLElement): HTMLElement => {
      const error = h("span", { class: "field-error", "data-testid": `community-error-${name}` });
      this.fieldErrors.set(name, error);
      input.addEventListener("input", () => setText(error, ""));
      return h("div", { class: `community-field field-${name}` }, h("label", { for: input.id }, label), input, error);
    };
    const cameraError = h("span", { class: "field-error", "data-testid": "community-error-cameras" });
    this.fieldErrors.set("cameras", cameraError);
    const form = h("form", { class: "community-request-form", "data-testid": "community-request-form", novalidate: true },
      h("h4", {}, "Request footage"), this.summary, cameraError, field("kind", "Kind of request", this.kind),
      h("div", { class: "community-window" }, field("from", "From", this.from), field("to", "To", this.to)),
      field("reason", "Reason", this.reason), h("div", { class: "form-actions" }, this.submit), this.formStatus);
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      void this.send();
    });
    this.kind.addEventListener("change", () => this.kindChanged());
    return form;
  }

  private resetForm(): void {
    const window = windowInputs(this.incidentMs, this.host.nowMs());
    this.from.value = window.from;
    this.to.value = window.to;
    this.kind.value = "";
    this.reason.value = "";
    setText(this.formStatus, "");
    this.showProblems({});
  }

  private draft(): RequestDraft {
    return { incidentId: this.incidentId ?? "", cameraIds: this.cameras.filter((c) => this.picked.has(c.id)).map((c) => c.id),
      kind: this.kind.value, from: this.from.value, to: this.to.value, reason: this.reason.value };
  }

  private showProblems(problems: DraftProblems): void {
    for (const [name, element] of this.fieldErrors) setText(element, problems[name] ?? "");
  }

  async send(): Promise<void> {
    const draft = this.draft();
    const problems = draftProblems(draft, this.host.nowMs());
    this.showProblems(problems);
    if (Object.keys(problems).length > 0) {
      setText(this.formStatus, "Check the marked fields.");
      return;
    }
    this.submit.disabled = true;
    setText(this.formStatus, "Sending…");
    try {
      const sent = readRequests(await call("POST", "/api/community/requests", requestBody(draft)));
      if (draft.incidentId !== this.incidentId) return;
      this.picked.clear();
      this.reason.value = "";
      this.cameraProblems = {};
      setText(this.formStatus, `Sent ${sent.length} request${sent.length === 1 ? "" : "s"}; each owner gets an e-mail with a one-time upload link.`);
      this.requests.add(sent);
      void this.requests.load();
    } catch (error) {
      this.refused(error, draft);
    } finally {
      this.submit.disabled = false;
    }
  }

  private refused(error: unknown, draft: RequestDraft): void {
    const failure = asApiError(error);
    if (failure.status === 401) return;
    const { fields, cameras, other } = serverProblems(failure.problems, draft.cameraIds);
    this.showProblems(fields);
    this.cameraProblems = cameras;
    this.renderCameras();
    setText(this.formStatus, other[0] ?? (failure.problems.length ? "The request was refused: check the marked fields." : describeError(failure)));
  }

  private renderCameras(): void {
    const now = this.host.nowMs();
    const asked = askedSites(this.requests.current);
    replaceChildren(this.list, ...this.cameras.map((c) => this.cameraRow(c, now, asked)));
    const empty = this.cameras.length === 0;
    this.empty.hidden = !empty;
    setText(this.count, empty ? "" : String(this.cameras.length));
    this.form.hidden = empty || !this.host.canRequest();
    this.pickedChanged();
  }

  private pickedChanged(): void {
    const picked = this.cameras.filter((c) => this.picked.has(c.id));
    setText(this.summary, pickedSummary(picked.length, sitesOf(picked, this.picked).size));
    this.host.picked(this.picked);
  }

  /** A new kind: cameras whose owners do not take it are unpicked (and greyed). */
  private kindChanged(): void {
    const kind = this.kind.value;
    if (kind) for (const c of this.cameras) if (!accepts(c.accepts, kind)) this.picked.delete(c.id);
    this.renderCameras();
  }

  private cameraRow(c: CommunityCamera, now: number, asked: ReadonlySet<string>): HTMLElement {
    const lost = footageUrgency(footageLostAt(this.incidentMs, c.retention_days), now);
    const takes = !this.kind.value || accepts(c.accepts, this.kind.value);
    const box = h("input", { type: "checkbox", "data-testid": "community-pick", "aria-label": `Ask ${c.name}` });
    box.checked = this.picked.has(c.id);
    box.disabled = !takes || !this.host.canRequest();
    box.addEventListener("change", () => {
      if (box.checked) this.picked.add(c.id);
      else this.picked.delete(c.id);
      this.pickedChanged();
    });
    const notes = [!takes && this.kind.value ? `does not accept ${kindLabel(this.kind.value).toLowerCase()} requests` : null,
      c.site_id && asked.has(c.site_id) ? "already asked for this incident" : null, this.cameraProblems[c.id] ?? null].filter(Boolean);
    return h("li", { class: `community-camera urgency-${lost.urgency}`, "data-testid": "community-camera", "data-id": c.id,
      "data-urgency": lost.urgency },
      h("label", { class: "community-camera-pick" }, box, h("strong", {}, c.name)),
      h("span", { class: "muted" }, ` ${[c.site_kind === "residence" ? "Residence" : c.site_name, distanceText(c.distance_m),
        retentionText(c.retention_days), c.covers.length ? `covers ${coversText(c.covers)}` : null].filter(Boolean).join(" · ")}`),
      h("span", { class: `footage-urgency urgency-${lost.urgency}`, "data-testid": "community-urgency" }, lost.text),
      notes.length ? h("span", { class: "community-camera-note" }, notes.join(" · ")) : null);
  }
}
