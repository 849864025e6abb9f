/**
 * The call queue: policy order, priority badge, type, address, status, a per-second age and who
 * has the call. Rows are keyed by incident id and reused, so a live update touches one row.
 */

import type { QueueRow } from "../api/types";
import { ageSeconds, formatAge } from "../core/age";
import { priorityBand, priorityLabel } from "../core/queue-order";
import { statusWord } from "../core/timeline";
import type { QueueChange, QueueStore } from "../app/queue-store";
import { h, setAttr, setText } from "./dom";

const NEW_P1_MS = 60_000;

interface RowParts {
  element: HTMLLIElement;
  badge: HTMLElement;
  type: HTMLElement;
  address: HTMLElement;
  status: HTMLElement;
  age: HTMLElement;
  claim: HTMLElement;
  receivedAt: string;
}

export interface QueueViewOptions {
  interactive: boolean;
  onOpen(id: string): void;
  onSelect(id: string): void;
  clockOffset(): number;
}

export class QueueView {
  readonly element: HTMLElement;
  private readonly list: HTMLOListElement;
  private readonly count: HTMLElement;
  private readonly empty: HTMLElement;
  private readonly rows = new Map<string, RowParts>();
  private selectedId: string | null = null;
  private openId: string | null = null;

  constructor(private readonly store: QueueStore, private readonly options: QueueViewOptions) {
    // Hidden until the first load: a visible queue is a loaded queue (never a misleading empty one).
    this.list = h("ol", { class: "queue-list", "data-testid": "queue", "aria-label": "Call queue", hidden: true });
    this.count = h("span", { class: "queue-count", "aria-live": "polite" });
    this.empty = h("p", { class: "queue-empty" }, "Loading the queue…");
    this.element = h("section", { class: "queue-panel", "aria-label": "Queue" },
      h("header", { class: "panel-head" }, h("h2", {}, "Queue"), this.count), this.empty, this.list);
    store.subscribe((change) => this.apply(change));
    this.list.addEventListener("click", (event) => this.onClick(event));
  }

  get selected(): string | null {
    return this.selectedId;
  }

  /** Ids in display order (for j/k). */
  ids(): string[] {
    return this.store.rows.map((r) => r.id);
  }

  select(id: string | null, scroll = true): void {
    if (this.selectedId) this.rows.get(this.selectedId)?.element.classList.remove("is-selected");
    this.selectedId = id;
    const parts = id ? this.rows.get(id) : undefined;
    if (!parts) return;
    parts.element.classList.add("is-selected");
    if (scroll) parts.element.scrollIntoView({ block: "nearest" });
  }

  markOpen(id: string | null): void {
    for (const parts of this.rows.values()) parts.element.classList.remove("is-open");
    this.openId = id;
    const parts = id ? this.rows.get(id) : undefined;
    parts?.element.classList.add("is-open");
    parts?.element.classList.remove("is-new-p1");
  }

  /** Flash a row that just arrived as a P1 (live, not in the first load). */
  flashNewP1(id: string): void {
    const element = this.rows.get(id)?.element;
    if (!element || id === this.openId) return;
    element.classList.add("is-new-p1");
    window.setTimeout(() => element.classList.remove("is-new-p1"), NEW_P1_MS);
  }

  /** Update every age counter (called once a second). */
  tick(nowMs: number = Date.now()): void {
    const offset = this.options.clockOffset();
    for (const parts of this.rows.values()) {
      setText(parts.age, formatAge(ageSeconds(parts.receivedAt, nowMs, offset)));
    }
  }

  private apply(change: QueueChange): void {
    if (change.kind === "reset") this.rebuild();
    else if (change.kind === "remove") this.removeRow(change.id);
    else this.updateRow(change.row);
    this.reorder();
    this.updateCount();
  }

  private rebuild(): void {
    const keep = new Set(this.store.rows.map((r) => r.id));
    for (const id of [...this.rows.keys()]) if (!keep.has(id)) this.removeRow(id);
    for (const row of this.store.rows) this.updateRow(row);
  }

  private removeRow(id: string): void {
    this.rows.get(id)?.element.remove();
    this.rows.delete(id);
    if (this.selectedId === id) this.selectedId = null;
  }

  private updateRow(row: QueueRow): void {
    const parts = this.rows.get(row.id) ?? this.createRow(row.id);
    const band = priorityBand(row.priority);
    const claimedBy = row.claimed_by ?? "";
    setAttr(parts.element, "data-priority", row.priority === null ? "" : String(row.priority));
    setAttr(parts.element, "data-claimed-by", claimedBy);
    setAttr(parts.element, "data-band", band);
    setAttr(parts.badge, "class", `badge badge-${band}`);
    setText(parts.badge, priorityLabel(row.priority));
    setText(parts.type, row.type_text || row.type);
    setText(parts.address, row.address ?? "No address");
    setText(parts.status, statusWord(row.status));
    setText(parts.claim, claimedBy);
    parts.claim.title = row.claimed_by_username ? `Claimed by ${claimedBy} (${row.claimed_by_username})` : "";
    parts.element.classList.toggle("is-claimed", claimedBy !== "");
    parts.receivedAt = row.received_at;
    setText(parts.age, formatAge(ageSeconds(row.received_at, Date.now(), this.options.clockOffset())));
  }

  private createRow(id: string): RowParts {
    const badge = h("span", { class: "badge" });
    const type = h("span", { class: "row-type", "data-testid": "row-type" });
    const address = h("span", { class: "row-address", "data-testid": "row-address" });
    const status = h("span", { class: "row-status" });
    const age = h("span", { class: "row-age", "data-testid": "age" });
    const claim = h("span", { class: "row-claim" });
    const element = h("li", { class: "queue-row", "data-testid": "queue-row", "data-incident-id": id },
      badge, h("span", { class: "row-main" }, type, address), h("span", { class: "row-meta" }, age, status, claim));
    if (this.options.interactive) element.tabIndex = -1;
    const parts: RowParts = { element, badge, type, address, status, age, claim, receivedAt: "" };
    this.rows.set(id, parts);
    if (id === this.selectedId) element.classList.add("is-selected");
    if (id === this.openId) element.classList.add("is-open");
    return parts;
  }

  /** Put row elements in store order, moving only the ones out of place. */
  private reorder(): void {
    let cursor: ChildNode | null = this.list.firstChild;
    for (const row of this.store.rows) {
      const element = this.rows.get(row.id)?.element;
      if (!element) continue;
      if (element !== cursor) this.list.insertBefore(element, cursor);
      else cursor = cursor.nextSibling;
    }
  }

  private updateCount(): void {
    const rows = this.store.rows;
    this.list.hidden = !this.store.hasLoaded;
    const p1 = rows.filter((r) => r.priority === 1).length;
    setText(this.count, `${rows.length} open${p1 ? ` · ${p1} P1` : ""}`);
    this.empty.hidden = rows.length > 0;
    setText(this.empty, this.store.hasLoaded ? "No open calls." : "Loading the queue…");
  }

  private onClick(event: MouseEvent): void {
    if (!this.options.interactive) return;
    const row = (event.target as Element).closest<HTMLElement>("[data-testid=queue-row]");
    const id = row?.dataset["incidentId"];
    if (!id) return;
    this.select(id, false);
    this.options.onSelect(id);
    this.options.onOpen(id);
  }
}
