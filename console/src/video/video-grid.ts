/**
 * The video grid (1, 4 or 9 tiles) on the floor's Video tab and on the wall. Adding a camera
 * always goes through the reason dialog; a full grid grows, and at nine tiles the oldest closes.
 */

import { asApiError, describeError } from "../api/errors";
import { h, replaceChildren, setAttr, setText } from "../ui/dom";
import { LiveTile, type TileCamera } from "./live-tile";
import { reasonProblemsFrom, type ReasonDraft, type ReasonProblems, type ViewReason } from "./reason";
import { openReasonDialog } from "./reason-dialog";
import { videoTransport } from "./video-api";

export const LAYOUTS = [1, 4, 9] as const;
export type Layout = (typeof LAYOUTS)[number];

/** The smallest layout that holds `count` tiles. */
export function layoutFor(count: number, current: Layout): Layout {
  for (const size of LAYOUTS) if (size >= count && size >= current) return size;
  return 9;
}

export interface GridCamera extends TileCamera {
  access_level: string;
}

export class VideoGrid {
  readonly element: HTMLElement;
  private readonly tiles: LiveTile[] = [];
  private readonly body = h("div", { class: "video-grid", "data-testid": "video-tiles" });
  private readonly toasts = h("div", { class: "video-toasts", "aria-live": "polite" });
  private readonly picker: HTMLSelectElement;
  private readonly layoutButtons = new Map<Layout, HTMLButtonElement>();
  private layout: Layout = 4;

  constructor(private readonly cameras: () => readonly GridCamera[], private readonly watched: (codes: string[]) => void = () => undefined) {
    this.picker = h("select", { class: "video-picker", "data-testid": "video-picker", "aria-label": "Camera to add" });
    this.picker.addEventListener("focus", () => this.fillPicker());
    const add = h("button", { type: "button", class: "small", "data-testid": "video-add" }, "Watch…");
    add.addEventListener("click", () => {
      const camera = this.cameras().find((c) => c.code === this.picker.value);
      if (camera) this.watch(camera, { kind: "proactive" });
    });
    const layouts = LAYOUTS.map((size) => {
      const button = h("button", { type: "button", class: "small ghost", "data-testid": `video-layout-${size}`, "aria-pressed": "false" },
        size === 1 ? "1" : size === 4 ? "2×2" : "3×3");
      button.addEventListener("click", () => this.setLayout(size));
      this.layoutButtons.set(size, button);
      return button;
    });
    this.element = h("section", { class: "tool-panel video-panel", "data-testid": "video-grid", "aria-label": "Video" },
      h("header", { class: "panel-head video-head" }, h("h2", {}, "Video"), h("div", { class: "video-layouts" }, ...layouts),
        h("div", { class: "video-add" }, this.picker, add)),
      this.body, this.toasts);
    this.fillPicker();
    this.render();
  }

  get count(): number {
    return this.tiles.length;
  }

  /** Refresh the camera list of the picker (the registry changed). */
  fillPicker(): void {
    const chosen = this.picker.value;
    const options = this.cameras().filter((c) => c.access_level === "live")
      .map((c) => h("option", { value: c.code }, `${c.name} (${c.code})`));
    replaceChildren(this.picker, h("option", { value: "" }, options.length ? "Camera…" : "No live cameras"), ...options);
    this.picker.value = chosen;
  }

  /** Ask for the reason, open the view, and put it in a tile. */
  watch(camera: GridCamera, reason: Partial<ReasonDraft>): void {
    openReasonDialog(camera.name, reason, (checked) => this.open(camera, checked));
  }

  setLayout(layout: Layout): void {
    this.layout = layout;
    for (const tile of this.tiles.slice(0, Math.max(0, this.tiles.length - layout))) this.drop(tile);
    this.render();
  }

  toast(text: string, error = false): void {
    const line = h("p", { class: `video-toast${error ? " is-error" : ""}`, "data-testid": "video-toast", role: error ? "alert" : "status" }, text);
    this.toasts.append(line);
    window.setTimeout(() => line.remove(), error ? 12_000 : 8_000);
  }

  pause(): void {
    for (const tile of this.tiles) tile.pause();
  }

  resume(): void {
    for (const tile of this.tiles) tile.resume();
  }

  closeAll(): void {
    for (const tile of [...this.tiles]) this.drop(tile);
    this.render();
  }

  private async open(camera: GridCamera, reason: ViewReason): Promise<ReasonProblems | null> {
    try {
      const opened = await videoTransport.open(camera.code, reason);
      this.add(camera, reason).startWith(opened);
      return null;
    } catch (error) {
      const problem = asApiError(error);
      if (problem.status === 422) {
        const problems = reasonProblemsFrom(problem.problems);
        return Object.keys(problems).length ? problems : { kind: describeError(problem) };
      }
      if (problem.status === 403) {
        this.add(camera, reason).refuse(problem.message);
        return null;
      }
      return { kind: describeError(problem) };
    }
  }

  private add(camera: GridCamera, reason: ViewReason): LiveTile {
    const oldest = this.tiles[0];
    if (this.tiles.length >= 9 && oldest) this.drop(oldest);
    const tile = new LiveTile(camera, reason, {
      toast: (text, error) => this.toast(text, error),
      closed: (closed) => this.removeTile(closed),
    });
    this.tiles.push(tile);
    this.layout = layoutFor(this.tiles.length, this.layout);
    this.render();
    tile.element.focus({ preventScroll: true });
    return tile;
  }

  /** Take a tile off the grid now; its view ends in the background. */
  private drop(tile: LiveTile): void {
    const index = this.tiles.indexOf(tile);
    if (index >= 0) this.tiles.splice(index, 1);
    void tile.close();
  }

  private removeTile(tile: LiveTile): void {
    const index = this.tiles.indexOf(tile);
    if (index >= 0) this.tiles.splice(index, 1);
    this.render();
  }

  private render(): void {
    setAttr(this.body, "data-layout", String(this.layout));
    for (const [size, button] of this.layoutButtons) setAttr(button, "aria-pressed", String(size === this.layout));
    const empties = Math.max(0, this.layout - this.tiles.length);
    const placeholders = Array.from({ length: empties }, () => h("div", { class: "video-slot" }, "Empty"));
    for (const tile of this.tiles) if (tile.element.parentElement !== this.body) this.body.append(tile.element);
    for (const slot of [...this.body.querySelectorAll(".video-slot")]) slot.remove();
    this.body.append(...placeholders);
    if (this.tiles.length === 0) setText(placeholders[0] ?? this.body, "No camera open. Pick one above, or press Watch on an incident.");
    this.watched(this.tiles.map((t) => t.camera.code));
  }
}
