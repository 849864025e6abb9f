/**
 * One tile of the video grid: the live picture (MSE), its state in words (connecting, live,
 * no signal — reconnecting, failed, refused), snapshot and recording with a REC indicator,
 * and the PTZ pad for PTZ cameras (arrow keys while the tile has focus).
 */

import { asApiError, describeError } from "../api/errors";
import { h, setAttr, setText } from "../ui/dom";
import { VideoElementHost } from "./media-host";
import { MseFeeder, type FeedState } from "./mse-feeder";
import { directionForKey } from "./ptz";
import { PtzPadView } from "./ptz-pad-view";
import { describeReason, type ViewReason } from "./reason";
import {
  describeEvidence, ptzCalls, saveLast, startRecording, stopRecording, takeSnapshot, videoTransport,
} from "./video-api";
import { LiveViewSession, type TileState, type ViewOpened } from "./view-session";

export interface TileCamera {
  code: string;
  name: string;
  ptz: boolean;
}

export interface TileHost {
  toast(text: string, error?: boolean): void;
  closed(tile: LiveTile): void;
}

const STATE_WORDS: Record<TileState, string> = {
  opening: "Opening the view…",
  connecting: "Connecting…",
  live: "",
  no_signal: "No signal — reconnecting",
  reconnecting: "Connection lost — reconnecting…",
  failed: "Failed",
  refused: "Live view refused",
  ended: "View closed",
};

const TICK_MS = 500;

function clock(seconds: number): string {
  const m = Math.floor(seconds / 60);
  const s = Math.floor(seconds % 60);
  return `${m}:${s.toString().padStart(2, "0")}`;
}

export class LiveTile {
  readonly element: HTMLElement;
  readonly session: LiveViewSession;
  private readonly video: HTMLVideoElement;
  private readonly host: VideoElementHost;
  private readonly feeder: MseFeeder;
  private readonly stateLine = h("div", { class: "tile-state", "data-testid": "tile-state", role: "status" });
  private readonly rec = h("span", { class: "tile-rec", "data-testid": "tile-rec", hidden: true });
  private readonly recordButton: HTMLButtonElement;
  private readonly pad: PtzPadView | null;
  private state: TileState = "opening";
  private recordingSince: number | null = null;
  private ticker: number | undefined;

  constructor(readonly camera: TileCamera, readonly reason: ViewReason, private readonly tileHost: TileHost) {
    this.video = h("video", { class: "tile-video", "data-testid": "tile-video", muted: true, autoplay: true, playsinline: true });
    this.video.muted = true;
    this.host = new VideoElementHost(this.video);
    this.video.addEventListener("error", () => {
      const message = this.video.error?.message;
      if (this.video.getAttribute("src")) this.feedChanged("error", message || "media error");
    });
    this.feeder = new MseFeeder(this.host, (state, detail) => this.feedChanged(state, detail));
    this.session = new LiveViewSession(camera.code, reason, videoTransport, {
      state: (state, detail) => this.setState(state, detail),
      status: (frame) => this.feeder.setCodec(frame.codec),
      segment: (data) => this.feeder.push(data),
      view: (viewId) => this.viewChanged(viewId),
    });
    this.pad = camera.ptz ? new PtzPadView(ptzCalls(camera.code, () => this.session.viewId), (t, e) => tileHost.toast(t, e)) : null;
    this.recordButton = h("button", { type: "button", class: "small", "data-testid": "tile-record" }, "Record");
    this.element = this.build();
    this.ticker = window.setInterval(() => this.tick(), TICK_MS);
  }

  private build(): HTMLElement {
    const close = h("button", { type: "button", class: "ghost small tile-close", "data-testid": "tile-close", title: "Close the view", "aria-label": "Close the view" }, "×");
    close.addEventListener("click", () => void this.close());
    const snapshot = h("button", { type: "button", class: "small", "data-testid": "tile-snapshot" }, "Snapshot");
    snapshot.addEventListener("click", () => void this.snapshot());
    this.recordButton.addEventListener("click", () => void this.toggleRecording());
    const last = h("button", { type: "button", class: "small", "data-testid": "tile-save-last", title: "Keep the last 30 seconds as evidence" }, "Save last 30 s");
    last.addEventListener("click", () => void this.saveLast());
    const retry = h("button", { type: "button", class: "small tile-retry", "data-testid": "tile-retry" }, "Retry");
    retry.addEventListener("click", () => this.session.start());
    const tile = h("article", { class: "video-tile", "data-testid": "video-tile", "data-camera": this.camera.code, "data-state": this.state,
      tabindex: 0, "aria-label": `Live view of ${this.camera.name}` },
      h("header", { class: "tile-head" }, h("strong", { class: "tile-name" }, this.camera.name),
        h("span", { class: "tile-reason muted", "data-testid": "tile-reason" }, describeReason(this.reason)), this.rec, close),
      h("div", { class: "tile-screen" }, this.video, h("div", { class: "tile-overlay" }, h("span", { class: "spinner", "aria-hidden": "true" }),
        this.stateLine, retry)),
      h("footer", { class: "tile-tools" }, snapshot, this.recordButton, last),
      this.pad?.element ?? null);
    tile.addEventListener("keydown", (event) => this.onKey(event, true));
    tile.addEventListener("keyup", (event) => this.onKey(event, false));
    tile.addEventListener("focusout", () => this.pad?.pad.release());
    return tile;
  }

  /** Start with a view the reason dialog already opened. */
  startWith(opened: ViewOpened): void {
    this.session.startWith(opened);
  }

  /** The first open was refused (403): say why in the tile. */
  refuse(message: string): void {
    this.setState("refused", message);
  }

  async close(): Promise<void> {
    window.clearInterval(this.ticker);
    this.pad?.pad.release();
    this.feeder.close();
    await this.session.stop();
    this.host.release();
    this.element.remove();
    this.tileHost.closed(this);
  }

  /** The console locks: let go of the view; resume() opens a new one with the same reason. */
  pause(): void {
    this.feeder.close();
    void this.session.stop();
  }

  resume(): void {
    if (this.state === "ended") this.session.start();
  }

  private onKey(event: KeyboardEvent, down: boolean): void {
    if (!this.pad || event.target !== this.element) return;
    const direction = directionForKey(event.key);
    if (!direction) return;
    event.preventDefault();
    event.stopPropagation();
    if (down) this.pad.pad.press(direction);
    else this.pad.pad.release(direction);
  }

  private setState(state: TileState, detail: string | null): void {
    this.state = state;
    setAttr(this.element, "data-state", state);
    const words = STATE_WORDS[state];
    setText(this.stateLine, detail && state !== "live" ? `${words}: ${detail}` : words);
    if (state === "refused" || state === "failed") this.feeder.close();
  }

  private feedChanged(state: FeedState, detail: string | null): void {
    setAttr(this.element, "data-feed", state);
    if (state === "unsupported") setText(this.stateLine, "Codec not playable in this browser");
    else if (state === "error") setText(this.stateLine, `The browser could not play the video${detail ? `: ${detail}` : ""}`);
    else if (this.state === "live") setText(this.stateLine, state === "waiting" ? "Buffering…" : "");
  }

  private viewChanged(viewId: string | null): void {
    setAttr(this.element, "data-view-id", viewId ?? "");
    if (this.recordingSince !== null) {
      this.showRecording(null);
      this.tileHost.toast(`${this.camera.name}: recording stopped (the view was reopened).`, true);
    }
    if (viewId && this.pad) void this.pad.loadPresets();
  }

  private tick(): void {
    this.feeder.tick();
    if (this.recordingSince !== null) setText(this.rec, `● REC ${clock((Date.now() - this.recordingSince) / 1000)}`);
  }

  private async snapshot(): Promise<void> {
    const viewId = this.session.viewId;
    if (!viewId) return this.tileHost.toast("The view is not open.", true);
    try {
      this.tileHost.toast(`Snapshot ${describeEvidence(await takeSnapshot(this.camera.code, viewId))}`);
    } catch (error) {
      this.tileHost.toast(`Snapshot failed: ${describeError(asApiError(error))}`, true);
    }
  }

  private async toggleRecording(): Promise<void> {
    const viewId = this.session.viewId;
    if (!viewId) return this.tileHost.toast("The view is not open.", true);
    this.recordButton.disabled = true;
    try {
      if (this.recordingSince === null) {
        await startRecording(viewId);
        this.showRecording(Date.now());
      } else {
        const clip = await stopRecording(viewId);
        this.showRecording(null);
        this.tileHost.toast(`Clip ${describeEvidence(clip)}`);
      }
    } catch (error) {
      this.tileHost.toast(`Recording: ${describeError(asApiError(error))}`, true);
    } finally {
      this.recordButton.disabled = false;
    }
  }

  private showRecording(since: number | null): void {
    this.recordingSince = since;
    this.rec.hidden = since === null;
    setText(this.rec, since === null ? "" : "● REC 0:00");
    setText(this.recordButton, since === null ? "Record" : "Stop");
    setAttr(this.element, "data-recording", String(since !== null));
  }

  private async saveLast(): Promise<void> {
    const viewId = this.session.viewId;
    if (!viewId) return this.tileHost.toast("The view is not open.", true);
    try {
      this.tileHost.toast(`Last 30 s ${describeEvidence(await saveLast(viewId, 30))}`);
    } catch (error) {
      this.tileHost.toast(`Save last 30 s: ${describeError(asApiError(error))}`, true);
    }
  }
}
