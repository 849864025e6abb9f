/**
 * Hotlist status for the floor: the lists read every minute (the header's stale chip), every
 * second while an import runs (its progress from the import route), refresh now, manual entries.
 */

import { api, unwrap } from "../api/client";
import { asApiError, describeError } from "../api/errors";
import type { EntryOut, HotlistOut, ImportOut, ManualEntryIn } from "../api/types";
import { staleWarnings } from "../core/hotlist-status";
import { HotlistsView, type HotlistActions } from "../ui/hotlists-view";
import type { StaleChip } from "../ui/stale-chip";

const SLOW_MS = 60_000;
const FAST_MS = 1_000;

const REFUSALS: Record<string, string> = {
  source_unchanged: "Nothing new: the source has not changed since the last import.",
};

function problemText(error: unknown): string {
  const problem = asApiError(error);
  return REFUSALS[problem.code] ?? describeError(problem);
}

export class HotlistsController implements HotlistActions {
  readonly view: HotlistsView;
  private lists: HotlistOut[] = [];
  private readonly running = new Map<number, ImportOut>();
  private timer: number | undefined;
  private active = false;

  /** `now` is the server's clock (a manual entry's expiry is checked against it). */
  constructor(private readonly chip: StaleChip, private readonly now: () => number, canRefresh: () => boolean) {
    this.view = new HotlistsView(this, canRefresh, () => void this.load());
  }

  start(): void {
    this.active = true;
    void this.cycle();
  }

  stop(): void {
    this.active = false;
    window.clearTimeout(this.timer);
  }

  /** Read the lists now (the view was opened, or an entry changed a count). */
  async load(): Promise<void> {
    try {
      this.lists = await unwrap(api.GET("/api/hotlists"));
      for (const list of this.lists) {
        if (list.last_import?.status === "running") this.running.set(list.id, list.last_import);
      }
      this.view.showProblem(null);
    } catch (error) {
      const problem = asApiError(error);
      if (problem.status === 401) return;
      this.view.showProblem(problem.status === 403 ? "Hotlists are not shown to your role." : `Hotlists cannot be loaded: ${describeError(problem)}`);
    }
    this.chip.set(staleWarnings(this.lists));
    this.view.render(this.lists, this.running, this.now());
  }

  async refreshNow(listId: number): Promise<string | null> {
    try {
      const run = await unwrap(api.POST("/api/hotlists/{hotlist_id}/refresh", { params: { path: { hotlist_id: listId }, query: { wait: false } } }));
      if (run.status === "running") this.running.set(listId, run);
      await this.load();
      this.reschedule();
      return null;
    } catch (error) {
      return problemText(error);
    }
  }

  async addEntry(listId: number, body: ManualEntryIn): Promise<string | null> {
    try {
      await unwrap(api.POST("/api/hotlists/{hotlist_id}/entries", { params: { path: { hotlist_id: listId } }, body }));
      await this.load();
      return null;
    } catch (error) {
      return problemText(error);
    }
  }

  async entries(listId: number): Promise<EntryOut[] | string> {
    try {
      return await unwrap(api.GET("/api/hotlists/{hotlist_id}/entries", { params: { path: { hotlist_id: listId }, query: { limit: 200 } } }));
    } catch (error) {
      return problemText(error);
    }
  }

  async removeEntry(listId: number, entryId: number, reason: string): Promise<string | null> {
    try {
      await unwrap(api.DELETE("/api/hotlists/{hotlist_id}/entries/{entry_id}", {
        params: { path: { hotlist_id: listId, entry_id: entryId } }, body: { reason } }));
      await this.load();
      return null;
    } catch (error) {
      return problemText(error);
    }
  }

  private async cycle(): Promise<void> {
    if (!this.active) return;
    if (this.running.size > 0) await this.pollImports();
    else await this.load();
    this.reschedule();
  }

  private reschedule(): void {
    window.clearTimeout(this.timer);
    if (this.active) this.timer = window.setTimeout(() => void this.cycle(), this.running.size > 0 ? FAST_MS : SLOW_MS);
  }

  /** Progress of the running imports; when one ends, the lists are read again. */
  private async pollImports(): Promise<void> {
    let finished = false;
    for (const [listId, run] of [...this.running]) {
      try {
        const now = await unwrap(api.GET("/api/hotlists/{hotlist_id}/imports/{import_id}", {
          params: { path: { hotlist_id: listId, import_id: run.id } } }));
        if (now.status === "running") this.running.set(listId, now);
        else {
          this.running.delete(listId);
          finished = true;
        }
      } catch {
        this.running.delete(listId);
        finished = true;
      }
    }
    if (finished) await this.load();
    else this.view.render(this.lists, this.running, this.now());
  }
}
