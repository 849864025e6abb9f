/**
 * The incident's after-action timeline (contract, H4: GET /api/incidents/{id}/after-action):
 * every event, alert, view and action in order, read when the panel is opened (and again on
 * each opening), with a link to the PDF export.
 */

import { asApiError, describeError } from "../api/errors";
import { call, route } from "../api/loose";
import { formatClock } from "../core/age";
import { h, replaceChildren } from "../ui/dom";

export interface AfterActionEntry {
  at: string;
  kind: string;
  actor: string | null;
  summary: string;
  details: Record<string, unknown>;
}

type Fields = Record<string, unknown>;
const isFields = (v: unknown): v is Fields => typeof v === "object" && v !== null && !Array.isArray(v);

/** The answer's entries, oldest first (ties keep the server's order). */
export function readAfterAction(body: unknown): AfterActionEntry[] {
  const raw = isFields(body) && Array.isArray(body["entries"]) ? body["entries"] : Array.isArray(body) ? body : [];
  const entries = raw.filter(isFields).flatMap((e) => {
    const at = typeof e["at"] === "string" ? e["at"] : null;
    if (at === null) return [];
    return [{ at, kind: typeof e["kind"] === "string" ? e["kind"] : "", actor: typeof e["actor"] === "string" ? e["actor"] : null,
      summary: typeof e["summary"] === "string" ? e["summary"] : "", details: isFields(e["details"]) ? e["details"] : {} }];
  });
  return entries
    .map((e, i) => ({ e, i, ms: Date.parse(e.at) }))
    .sort((a, b) => (a.ms - b.ms) || (a.i - b.i))
    .map(({ e }) => e);
}

/** The family an entry's kind belongs to (its first word): incident, alert, camera, playbook … */
export function entryFamily(kind: string): string {
  return kind.split(".")[0]?.replace(/[^a-z0-9-]/gi, "") || "other";
}

export class AfterActionPanel {
  private incidentId: string | null = null;
  private readonly list = h("div", { class: "after-action-body" });
  private readonly pdf = h("a", { class: "button small", "data-testid": "after-action-pdf", target: "_blank", rel: "noopener" }, "PDF");
  readonly element: HTMLDetailsElement;

  constructor() {
    this.element = h("details", { class: "detail-section section-after-action", "data-testid": "after-action" },
      h("summary", {}, h("h3", {}, "After-action timeline")), h("div", { class: "after-action-bar" }, this.pdf), this.list);
    this.element.addEventListener("toggle", () => {
      if (this.element.open) void this.load();
    });
  }

  forIncident(incidentId: string): HTMLElement {
    if (incidentId !== this.incidentId) {
      this.incidentId = incidentId;
      this.element.open = false;
      this.pdf.setAttribute("href", route("/api/incidents", incidentId, "after-action.pdf"));
      replaceChildren(this.list);
    }
    return this.element;
  }

  forget(): void {
    this.incidentId = null;
  }

  async load(): Promise<void> {
    const id = this.incidentId;
    if (id === null) return;
    replaceChildren(this.list, h("p", { class: "muted" }, "Reading the timeline…"));
    try {
      const entries = readAfterAction(await call("GET", route("/api/incidents", id, "after-action")));
      if (id !== this.incidentId) return;
      const now = Date.now();
      replaceChildren(this.list, entries.length === 0 ? h("p", { class: "muted" }, "Nothing recorded yet.")
        : h("ol", { class: "timeline after-action-list" }, ...entries.map((e) =>
          h("li", { class: `timeline-entry family-${entryFamily(e.kind)}`, "data-testid": "after-action-entry" },
            h("time", { datetime: e.at }, formatClock(e.at, now)), h("span", { class: "timeline-what" }, e.summary || e.kind),
            h("span", { class: "timeline-actor muted" }, e.actor ?? "")))));
    } catch (error) {
      const problem = asApiError(error);
      if (problem.status !== 401 && id === this.incidentId) replaceChildren(this.list, h("p", { class: "muted" }, describeError(problem)));
    }
  }
}
