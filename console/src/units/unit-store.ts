/**
 * The roster on the console: units read over REST, their recent trails (fetched from the trail
 * route, then extended from live `unit` messages), re-read after a resync.
 */

import { asApiError, describeError } from "../api/errors";
import { extendTrail, readTrail, readUnit, readUnits, TRAIL_MINUTES, trimTrail, type TrailPoint, type UnitRow } from "./unit-model";

/** Reads a route's JSON (the console's `call("GET", ...)`); injected so tests need no server. */
export type Fetch = (path: string, query?: Record<string, string>) => Promise<unknown>;

/** Trails fetched on load: for this many units with a fresh position at most, a few at a time. */
const TRAILS_ON_LOAD = 200;
const TRAIL_FETCHES_AT_ONCE = 4;

export class UnitStore {
  private readonly byCode = new Map<string, UnitRow>();
  private readonly trailsByCode = new Map<string, TrailPoint[]>();
  private readonly listeners = new Set<() => void>();
  private loadedOnce = false;
  private problemText: string | null = null;
  private token = 0;

  constructor(private readonly fetch: Fetch, private readonly now: () => number = () => Date.now()) {}

  get units(): UnitRow[] {
    return [...this.byCode.values()];
  }

  get trails(): ReadonlyMap<string, readonly TrailPoint[]> {
    return this.trailsByCode;
  }

  get hasLoaded(): boolean {
    return this.loadedOnce;
  }

  get problem(): string | null {
    return this.problemText;
  }

  get(code: string): UnitRow | undefined {
    return this.byCode.get(code);
  }

  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Every unit, then the trails of those with a recent position. */
  async load(): Promise<void> {
    const token = ++this.token;
    try {
      const units = readUnits(await this.fetch("/api/units"));
      if (token !== this.token) return;
      this.byCode.clear();
      for (const unit of units) this.byCode.set(unit.code, unit);
      this.problemText = null;
      this.loadedOnce = true;
      this.notify();
      await this.loadTrails(units.filter((u) => this.recent(u)).slice(0, TRAILS_ON_LOAD), token);
    } catch (error) {
      if (token !== this.token) return;
      this.problemText = describeError(asApiError(error));
      this.loadedOnce = true;
      this.notify();
    }
  }

  /** A live `unit` message's UnitOut: the unit replaced, its new position added to its trail. */
  applyLive(raw: unknown): UnitRow | null {
    const unit = readUnit(raw);
    if (!unit) return null;
    this.byCode.set(unit.code, unit);
    if (unit.lat !== null && unit.lon !== null && unit.positionAt !== null) {
      const trail = this.trailsByCode.get(unit.code) ?? [];
      this.trailsByCode.set(unit.code, extendTrail(trail, { lat: unit.lat, lon: unit.lon, at: unit.positionAt }, this.now()));
    }
    this.notify();
    return unit;
  }

  /** Drop trail points older than the window (called every few seconds). */
  trim(): void {
    for (const [code, trail] of this.trailsByCode) {
      const kept = trimTrail(trail, this.now());
      if (kept.length !== trail.length) this.trailsByCode.set(code, kept);
    }
  }

  private recent(unit: UnitRow): boolean {
    if (unit.positionAt === null) return false;
    return Date.parse(unit.positionAt) >= this.now() - TRAIL_MINUTES * 60_000;
  }

  private async loadTrails(units: UnitRow[], token: number): Promise<void> {
    const queue = [...units];
    const worker = async (): Promise<void> => {
      for (let unit = queue.shift(); unit; unit = queue.shift()) {
        const code = unit.code;
        try {
          const fetched = readTrail(await this.fetch(`/api/units/${encodeURIComponent(code)}/trail`, { minutes: String(TRAIL_MINUTES) }));
          if (token !== this.token) return;
          const live = this.trailsByCode.get(code) ?? [];
          const lastFetched = fetched[fetched.length - 1];
          const newer = lastFetched ? live.filter((p) => Date.parse(p.at) > Date.parse(lastFetched.at)) : live;
          this.trailsByCode.set(code, trimTrail([...fetched, ...newer], this.now()));
        } catch {
          // a unit's trail that cannot be read stays as the live messages build it
        }
      }
    };
    await Promise.all(Array.from({ length: TRAIL_FETCHES_AT_ONCE }, worker));
    if (token === this.token) this.notify();
  }

  private notify(): void {
    for (const listener of this.listeners) listener();
  }
}
