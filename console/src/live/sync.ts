/**
 * Catch-up and resync decisions for the live channel, apart from the socket so they can be
 * tested: which cursor to reconnect with, when to reload the queue over REST, which events
 * to apply, skip as duplicates, or hold back while a reload runs.
 */

import type { EventMessage, HelloMessage, ResyncMessage } from "./messages";

export interface LiveCursor {
  epoch: string;
  seq: number;
}

export interface SyncEffects {
  /** Reload the queue (and the open detail) over REST. */
  reloadSnapshot(): Promise<void>;
  applyEvent(message: EventMessage): void;
}

export type HelloDecision = "catch-up" | "resync";

/** Decide from the hello: catch up from our cursor, or reload because we cannot. */
export function decideOnHello(cursor: LiveCursor | null, hello: HelloMessage): HelloDecision {
  if (cursor === null || cursor.epoch !== hello.epoch) return "resync";
  if (hello.seq < cursor.seq) return "resync"; // the server went back in time: trust nothing
  return "catch-up";
}

/** Query string for a (re)connect: none the first time, since+epoch after that. */
export function connectQuery(cursor: LiveCursor | null): string {
  if (cursor === null) return "";
  const params = new URLSearchParams({ since: String(cursor.seq), epoch: cursor.epoch });
  return `?${params.toString()}`;
}

export class LiveSync {
  private cursorValue: LiveCursor | null = null;
  private reloading = false;
  private reloadAgain = false;
  private held: EventMessage[] = [];

  constructor(private readonly effects: SyncEffects) {}

  get cursor(): LiveCursor | null {
    return this.cursorValue;
  }

  get isReloading(): boolean {
    return this.reloading;
  }

  /** First message on every connection. */
  onHello(hello: HelloMessage): HelloDecision {
    const decision = decideOnHello(this.cursorValue, hello);
    if (decision === "resync") this.startResync(hello.epoch, hello.seq);
    return decision;
  }

  /** The server cannot replay what we missed. */
  onResync(message: ResyncMessage): void {
    const cursor = this.cursorValue;
    const alreadyAt = cursor !== null && cursor.epoch === message.epoch && cursor.seq >= message.seq;
    if (alreadyAt && this.reloading) return; // the hello already started this very resync
    this.startResync(message.epoch, message.seq);
  }

  /** An incident or note event: apply in order, skip duplicates, hold during a reload. */
  onEvent(message: EventMessage): boolean {
    if (this.reloading) {
      this.held.push(message);
      return false;
    }
    return this.applyIfNew(message);
  }

  private applyIfNew(message: EventMessage): boolean {
    const cursor = this.cursorValue;
    if (cursor !== null && message.seq <= cursor.seq) return false;
    if (cursor !== null) this.cursorValue = { epoch: cursor.epoch, seq: message.seq };
    this.effects.applyEvent(message);
    return true;
  }

  private startResync(epoch: string, seq: number): void {
    this.cursorValue = { epoch, seq };
    if (this.reloading) {
      this.reloadAgain = true;
      return;
    }
    this.reloading = true;
    void this.runReload();
  }

  private async runReload(): Promise<void> {
    do {
      this.reloadAgain = false;
      try {
        await this.effects.reloadSnapshot();
      } catch {
        // A failed reload leaves the old queue on screen; held events still apply below.
      }
    } while (this.reloadAgain);
    this.reloading = false;
    const held = this.held;
    this.held = [];
    for (const message of held) this.applyIfNew(message);
  }
}
