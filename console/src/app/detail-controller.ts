/**
 * Opening an incident and working it: the audited detail read, claim/release (409 shows who has
 * it), intel notes that appear at once, and refreshes when the live channel says something changed.
 */

import { api, unwrap } from "../api/client";
import { asApiError, describeError } from "../api/errors";
import type { IncidentDetail, QueueRow } from "../api/types";
import type { DetailView } from "../ui/detail-view";

export interface DetailHooks {
  /** The queue knows who claims what; tell it at once rather than waiting for the live event. */
  claimChanged(incidentId: string, row: Partial<QueueRow>): void;
  opened(incidentId: string | null, detail: IncidentDetail | null): void;
}

export class DetailController {
  private openId: string | null = null;
  private loadToken = 0;

  constructor(private readonly view: DetailView, private readonly hooks: DetailHooks) {}

  get incidentId(): string | null {
    return this.openId;
  }

  async open(incidentId: string): Promise<void> {
    this.openId = incidentId;
    this.view.showLoading(incidentId);
    this.hooks.opened(incidentId, null);
    await this.refresh();
  }

  close(): void {
    this.openId = null;
    this.loadToken += 1;
    this.view.hide();
    this.hooks.opened(null, null);
  }

  /** Re-read the open incident (after a note, a claim, a live change or a resync). */
  async refresh(): Promise<void> {
    const incidentId = this.openId;
    if (incidentId === null) return;
    const token = ++this.loadToken;
    try {
      const detail = await unwrap(api.GET("/api/incidents/{incident_id}", { params: { path: { incident_id: incidentId } } }));
      if (token !== this.loadToken || this.openId !== incidentId) return;
      this.view.render(detail);
      this.hooks.opened(incidentId, detail);
    } catch (error) {
      if (token !== this.loadToken) return;
      const problem = asApiError(error);
      if (problem.status === 401) return; // the lock screen or logon takes over
      this.view.showProblem(problem.status === 404 ? "This incident is no longer available." : describeError(problem));
    }
  }

  async claim(takeOver = false): Promise<void> {
    const incidentId = this.openId;
    if (incidentId === null) return;
    try {
      const claim = await unwrap(api.POST("/api/incidents/{incident_id}/claim", {
        params: { path: { incident_id: incidentId } },
        body: takeOver ? { take_over: true } : null,
      }));
      this.hooks.claimChanged(incidentId, { claimed_by: claim.claimed_by_designator, claimed_by_username: claim.claimed_by_username });
      this.view.showInfo(`Claimed by ${claim.claimed_by_designator ?? claim.claimed_by_username ?? "you"}.`);
    } catch (error) {
      const problem = asApiError(error);
      if (problem.status === 401) return;
      this.view.showProblem(problem.code === "already_claimed" ? capitalise(problem.message) + "." : describeError(problem));
    }
    await this.refresh();
  }

  async release(): Promise<void> {
    const incidentId = this.openId;
    if (incidentId === null) return;
    try {
      await unwrap(api.POST("/api/incidents/{incident_id}/release", { params: { path: { incident_id: incidentId } } }));
      this.hooks.claimChanged(incidentId, { claimed_by: null, claimed_by_username: null });
      this.view.showInfo("Released.");
    } catch (error) {
      const problem = asApiError(error);
      if (problem.status === 401) return;
      this.view.showProblem(describeError(problem));
    }
    await this.refresh();
  }

  /** Add an intel note; true when stored (the composer then clears). */
  async addNote(text: string): Promise<boolean> {
    const incidentId = this.openId;
    if (incidentId === null) return false;
    try {
      const note = await unwrap(api.POST("/api/incidents/{incident_id}/notes", {
        params: { path: { incident_id: incidentId } },
        body: { text },
      }));
      if (this.openId === incidentId) this.view.addNote(note);
      this.view.showInfo("Note added.");
      return true;
    } catch (error) {
      const problem = asApiError(error);
      if (problem.status !== 401) this.view.showProblem(`The note was not added: ${describeError(problem)}`);
      return false;
    }
  }
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
