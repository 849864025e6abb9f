/**
 * The open incident's footage requests (GET /api/community/requests?incident_id=): where each
 * stands, what the owner sent (each file with its evidence code), "Mark useful / not useful" once
 * footage arrived, and "Withdraw" (with a reason) while the owner has not answered.
 */

import { asApiError, describeError } from "../api/errors";
import { call, route } from "../api/loose";
import { formatClock } from "../core/age";
import { h, replaceChildren, setText } from "../ui/dom";
import { kindLabel, OPEN_STATUSES, readRequest, readRequests, sizeText, statusLabel, type FootageRequestRow, type UploadRow } from "./community-model";
import { footageUrgency, groupRequests } from "./request-logic";

export class RequestsList {
  readonly element: HTMLElement;
  private incidentId: string | null = null;
  private requests: FootageRequestRow[] = [];
  private token = 0;
  private readonly list = h("ol", { class: "plain-list community-requests", "data-testid": "community-requests" });
  private readonly status = h("p", { class: "muted", role: "status", "data-testid": "community-requests-status" });

  constructor(private readonly nowMs: () => number, private readonly changed: (requests: readonly FootageRequestRow[]) => void) {
    this.element = h("div", { class: "community-requests-part" }, h("h4", {}, "Footage requests"), this.status, this.list);
  }

  get current(): readonly FootageRequestRow[] {
    return this.requests;
  }

  /** Show this incident's requests (read them when it changed). */
  forIncident(incidentId: string): void {
    if (incidentId === this.incidentId) return;
    this.incidentId = incidentId;
    this.requests = [];
    this.render();
    void this.load();
  }

  forget(): void {
    this.incidentId = null;
    this.token += 1;
  }

  /** Read the incident's requests again. */
  async load(): Promise<void> {
    const id = this.incidentId;
    if (id === null) return;
    const token = ++this.token;
    try {
      const requests = readRequests(await call("GET", "/api/community/requests", undefined, { incident_id: id }));
      if (token !== this.token) return;
      this.requests = requests;
      setText(this.status, "");
      this.render();
    } catch (error) {
      const failure = asApiError(error);
      if (token === this.token && failure.status !== 401) setText(this.status, `Requests cannot be read: ${describeError(failure)}`);
    }
  }

  /** Requests just sent (POST's answer) join the list at once. */
  add(sent: readonly FootageRequestRow[]): void {
    const ids = new Set(sent.map((r) => r.id));
    this.requests = [...sent, ...this.requests.filter((r) => !ids.has(r.id))];
    this.render();
  }

  render(): void {
    const { waiting, done } = groupRequests(this.requests);
    replaceChildren(this.list, ...[...waiting, ...done].map((r) => this.row(r)));
    if (this.requests.length === 0 && !this.status.textContent) setText(this.status, "No footage requested yet.");
    else if (this.requests.length > 0 && this.status.textContent === "No footage requested yet.") setText(this.status, "");
    this.changed(this.requests);
  }

  private replace(updated: FootageRequestRow): void {
    this.requests = this.requests.map((r) => (r.id === updated.id ? updated : r));
    this.render();
  }

  private row(r: FootageRequestRow): HTMLElement {
    const now = this.nowMs();
    const waiting = OPEN_STATUSES.has(r.status);
    const lost = waiting && r.footageLostAt ? footageUrgency(Date.parse(r.footageLostAt), now) : null;
    return h("li", { class: `community-request status-${r.status}`, "data-testid": "community-request", "data-id": r.id, "data-status": r.status },
      h("div", { class: "community-request-head" }, h("strong", {}, r.siteLabel),
        h("span", { class: `request-status status-${r.status}`, "data-testid": "community-request-status" }, statusLabel(r.status))),
      h("div", { class: "muted" }, [kindLabel(r.kind), `${formatClock(r.windowFrom, now)}–${formatClock(r.windowTo, now)}`,
        `asked ${formatClock(r.createdAt, now)} by ${r.requestedBy}`].join(" · ")),
      lost ? h("div", { class: `footage-urgency urgency-${lost.urgency}`, "data-urgency": lost.urgency }, lost.text) : null,
      r.declineNote ? h("div", { class: "muted" }, `Owner's note: ${r.declineNote}`) : null,
      r.files.length ? h("ul", { class: "plain-list community-files" }, ...r.files.map(fileRow)) : null,
      r.status === "uploaded" ? this.usefulButtons(r) : null,
      waiting ? this.withdrawControl(r) : null);
  }

  private usefulButtons(r: FootageRequestRow): HTMLElement {
    const button = (useful: boolean, text: string): HTMLButtonElement => {
      const b = h("button", { type: "button", class: "ghost small", "aria-pressed": String(r.useful === useful),
        "data-testid": useful ? "community-useful" : "community-not-useful" }, text);
      b.addEventListener("click", () => void this.act(r, "PUT", "useful", { useful }, b));
      return b;
    };
    const verdict = r.useful === null ? "Not yet judged" : r.useful ? "Marked useful" : "Marked not useful";
    return h("div", { class: "community-useful" }, button(true, "Mark useful"), button(false, "Not useful"),
      h("span", { class: "muted", "data-testid": "community-useful-verdict" }, verdict));
  }

  private withdrawControl(r: FootageRequestRow): HTMLElement {
    const reason = h("input", { type: "text", maxlength: 500, placeholder: "Why withdraw (the owner is told)", hidden: true,
      "data-testid": "community-withdraw-reason" });
    const button = h("button", { type: "button", class: "ghost small", "data-testid": "community-withdraw" }, "Withdraw");
    button.addEventListener("click", () => {
      if (reason.hidden) {
        reason.hidden = false;
        reason.focus();
        setText(button, "Confirm withdraw");
        return;
      }
      if (reason.value.trim().length === 0) {
        reason.focus();
        return;
      }
      void this.act(r, "POST", "withdraw", { reason: reason.value.trim() }, button);
    });
    return h("div", { class: "community-withdraw" }, reason, button);
  }

  private async act(r: FootageRequestRow, method: "PUT" | "POST", action: string, body: Record<string, unknown>,
    button: HTMLButtonElement): Promise<void> {
    button.disabled = true;
    try {
      const updated = readRequest(await call(method, route("/api/community/requests", r.id, action), body));
      if (updated) this.replace(updated);
      else await this.load();
    } catch (error) {
      const failure = asApiError(error);
      if (failure.status !== 401) setText(this.status, failure.problems[0]?.reason ?? describeError(failure));
    } finally {
      button.disabled = false;
    }
  }
}

function fileRow(f: UploadRow): HTMLElement {
  const state = f.status === "stored" ? null : f.status === "rejected" ? `rejected: ${f.problem ?? "not a video or image"}`
    : `receiving ${sizeText(f.received)} of ${sizeText(f.size)}`;
  return h("li", { class: `community-file file-${f.status}`, "data-testid": "community-file", "data-status": f.status },
    h("span", {}, f.filename), h("span", { class: "muted" }, ` ${sizeText(f.size)}`),
    f.evidenceCode ? h("span", { class: "evidence-code", "data-testid": "community-evidence-code" }, ` ${f.evidenceCode}`) : null,
    state ? h("span", { class: "muted" }, ` · ${state}`) : null);
}
