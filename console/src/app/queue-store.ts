/** The open incidents in policy order, with change notifications for the views. */

import type { QueueRow } from "../api/types";
import { removeRow, sortByPolicy, upsertRow } from "../core/queue-order";

export type QueueChange =
  | { kind: "reset" }
  | { kind: "upsert"; row: QueueRow; isNew: boolean }
  | { kind: "remove"; id: string };

export class QueueStore {
  private list: QueueRow[] = [];
  private loaded = false;
  private readonly listeners = new Set<(change: QueueChange) => void>();

  get rows(): readonly QueueRow[] {
    return this.list;
  }

  get hasLoaded(): boolean {
    return this.loaded;
  }

  get(id: string): QueueRow | undefined {
    return this.list.find((r) => r.id === id);
  }

  replace(rows: readonly QueueRow[]): void {
    this.list = sortByPolicy(rows);
    this.loaded = true;
    this.emit({ kind: "reset" });
  }

  upsert(row: QueueRow): void {
    const isNew = this.get(row.id) === undefined;
    this.list = upsertRow(this.list, row);
    this.emit({ kind: "upsert", row, isNew });
  }

  remove(id: string): void {
    if (this.get(id) === undefined) return;
    this.list = removeRow(this.list, id);
    this.emit({ kind: "remove", id });
  }

  subscribe(listener: (change: QueueChange) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private emit(change: QueueChange): void {
    for (const listener of this.listeners) listener(change);
  }
}
