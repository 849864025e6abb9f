/**
 * The hotlists: size, last refresh and age, a stale flag, the last import (a progress bar while
 * one runs); "Refresh now" for supervisors; manual entries on local lists, added with a
 * documented reason and removed with one.
 */

import type { EntryOut, HotlistOut, ImportOut, ManualEntryIn } from "../api/types";
import { formatClock } from "../core/age";
import { describeImport, formatListAge, importFraction } from "../core/hotlist-status";
import { words } from "../core/plates";
import { h, replaceChildren, setText } from "./dom";
import { manualEntryForm } from "./hotlist-entry-form";

export interface HotlistActions {
  refreshNow(listId: number): Promise<string | null>;
  addEntry(listId: number, body: ManualEntryIn): Promise<string | null>;
  entries(listId: number): Promise<EntryOut[] | string>;
  removeEntry(listId: number, entryId: number, reason: string): Promise<string | null>;
}

function progressOf(run: ImportOut): HTMLElement {
  const fraction = importFraction(run);
  const bar = h("progress", { class: "import-progress", "data-testid": "import-progress", max: 1 });
  if (fraction !== null) bar.value = fraction;
  return bar;
}

function importLine(list: HotlistOut, running: ImportOut | undefined): HTMLElement {
  const run = running ?? list.last_import;
  if (!run) return h("p", { class: "muted" }, "No import yet.");
  return h("div", { class: `import-line import-${run.status}`, "data-testid": "hotlist-import", "data-status": run.status },
    h("span", {}, `Last import (${run.trigger}, ${run.triggered_by}): ${describeImport(run)}`),
    run.status === "running" ? progressOf(run) : null);
}

interface Card {
  element: HTMLElement;
  info: HTMLElement;
  refresh: HTMLButtonElement | null;
}

export class HotlistsView {
  readonly element: HTMLElement;
  private readonly body: HTMLElement;
  private readonly status: HTMLElement;
  private readonly empty = h("p", { class: "muted" }, "No hotlists.");
  /** Cards by list id, kept across polls so a half-typed entry survives a progress update. */
  private readonly cards = new Map<number, Card>();

  constructor(private readonly actions: HotlistActions, private readonly canRefresh: () => boolean, reload: () => void) {
    this.body = h("div", { class: "tool-body hotlist-cards", "data-testid": "hotlists" });
    this.status = h("p", { class: "muted tool-status", role: "status" });
    const refresh = h("button", { type: "button", class: "ghost small" }, "Reload");
    refresh.addEventListener("click", reload);
    this.element = h("section", { class: "tool-panel", "data-testid": "hotlists-view", "aria-label": "Hotlists" },
      h("header", { class: "panel-head" }, h("h2", {}, "Hotlists"), refresh), this.status, this.body);
  }

  showProblem(text: string | null): void {
    setText(this.status, text ?? "");
  }

  render(lists: readonly HotlistOut[], running: ReadonlyMap<number, ImportOut>, nowMs: number): void {
    const keep = new Set(lists.map((l) => l.id));
    for (const [id, card] of this.cards) {
      if (!keep.has(id)) {
        card.element.remove();
        this.cards.delete(id);
      }
    }
    const ordered = lists.map((list) => this.update(list, running.get(list.id), nowMs));
    replaceChildren(this.body, ...(ordered.length ? ordered : [this.empty]));
  }

  private update(list: HotlistOut, running: ImportOut | undefined, nowMs: number): HTMLElement {
    const card = this.cards.get(list.id) ?? this.createCard(list, nowMs);
    const refreshed = list.last_refreshed_at ? `refreshed ${formatClock(list.last_refreshed_at, nowMs)} (${formatListAge(list.age_minutes)} ago)` : "never refreshed";
    card.element.classList.toggle("is-stale", list.stale);
    card.element.setAttribute("data-stale", String(list.stale));
    replaceChildren(card.info,
      h("header", { class: "hotlist-head" }, h("h3", { class: "hotlist-name" }, list.name),
        h("span", { class: "muted" }, `${list.kind.toUpperCase()} · ${list.source_format}`),
        list.stale ? h("span", { class: "stale-badge", "data-testid": "hotlist-stale" }, `STALE ${formatListAge(list.age_minutes)}`) : null,
        list.active ? null : h("span", { class: "status-pill" }, "inactive")),
      h("p", { class: "hotlist-facts" }, h("strong", { "data-testid": "hotlist-count" }, `${list.entry_count} entries`),
        ` · ${refreshed} · stale after ${formatListAge(list.max_age_minutes)}`),
      importLine(list, running));
    if (card.refresh && card.refresh.dataset["busy"] !== "1") card.refresh.disabled = running !== undefined || !list.active;
    return card.element;
  }

  private createCard(list: HotlistOut, nowMs: number): Card {
    const info = h("div", { class: "hotlist-info" });
    const bar = h("div", { class: "hotlist-controls" });
    const feedback = h("p", { class: "form-error", role: "alert" });
    const extra = h("div", { class: "hotlist-extra" });
    let refresh: HTMLButtonElement | null = null;
    if (this.canRefresh() && list.source_format !== "manual") {
      const button = h("button", { type: "button", "data-testid": "hotlist-refresh" }, "Refresh now");
      button.addEventListener("click", () => {
        button.disabled = true;
        button.dataset["busy"] = "1";
        void this.actions.refreshNow(list.id).then((problem) => {
          delete button.dataset["busy"];
          button.disabled = problem === null;
          setText(feedback, problem ?? "");
        });
      });
      bar.append(button);
      refresh = button;
    }
    if (list.kind === "local") bar.append(this.entryButtons(list, extra, nowMs));
    const element = h("article", { class: "hotlist-card", "data-testid": "hotlist", "data-hotlist-id": list.id },
      info, bar, feedback, extra);
    const card = { element, info, refresh };
    this.cards.set(list.id, card);
    return card;
  }

  private entryButtons(list: HotlistOut, extra: HTMLElement, nowMs: number): HTMLElement {
    const add = h("button", { type: "button", "data-testid": "hotlist-add-entry", "aria-expanded": "false" }, "Add manual entry");
    const show = h("button", { type: "button", class: "ghost", "data-testid": "hotlist-entries" }, "Entries");
    const form = manualEntryForm(list.id, nowMs, (body) => this.actions.addEntry(list.id, body));
    form.hidden = true;
    add.addEventListener("click", () => {
      form.hidden = !form.hidden;
      add.setAttribute("aria-expanded", String(!form.hidden));
    });
    const entries = h("div", { class: "entry-list" });
    show.addEventListener("click", () => void this.showEntries(list.id, entries, nowMs));
    extra.append(form, entries);
    return h("span", { class: "hotlist-entry-buttons" }, add, show);
  }

  /** The list's entries (an audited read), each manual one with a remove that asks why. */
  async showEntries(listId: number, into: HTMLElement, nowMs: number): Promise<void> {
    setText(into, "Loading entries…");
    const found = await this.actions.entries(listId);
    if (typeof found === "string") {
      replaceChildren(into, h("p", { class: "form-error" }, found));
      return;
    }
    const rows = found.map((entry) => this.entryRow(listId, entry, into, nowMs));
    replaceChildren(into, rows.length ? h("ul", { class: "plain-list entries" }, ...rows) : h("p", { class: "muted" }, "No entries."));
  }

  private entryRow(listId: number, entry: EntryOut, into: HTMLElement, nowMs: number): HTMLElement {
    const expires = entry.expires_at ? `expires ${formatClock(entry.expires_at, nowMs)}` : null;
    const row = h("li", { "data-testid": "hotlist-entry", "data-entry-id": entry.id },
      h("strong", { class: "plate" }, entry.plate), h("span", {}, words(entry.reason_code)),
      h("span", { class: "muted" }, [entry.state, entry.manual_reason, entry.entered_by, expires].filter(Boolean).join(" · ")));
    if (entry.manual_reason !== null) row.append(this.removeControl(listId, entry, into, nowMs));
    return row;
  }

  private removeControl(listId: number, entry: EntryOut, into: HTMLElement, nowMs: number): HTMLElement {
    const reason = h("input", { type: "text", "data-testid": "entry-remove-reason", placeholder: "Why remove it (required)", maxlength: 1000 });
    const remove = h("button", { type: "submit", "data-testid": "entry-remove" }, "Remove");
    const error = h("span", { class: "form-error" });
    const form = h("form", { class: "inline-form" }, reason, remove, error);
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      if (reason.value.trim().length < 3) {
        setText(error, "Say why (at least 3 characters).");
        return;
      }
      void this.actions.removeEntry(listId, entry.id, reason.value.trim()).then((problem) => {
        if (problem) setText(error, problem);
        else void this.showEntries(listId, into, nowMs);
      });
    });
    return form;
  }
}
