/** The browser side of the MSE feeder: a MediaSource (recreated on demand) behind a <video> element. */

import type { BufferLike, MediaHost } from "./mse-feeder";

export class VideoElementHost implements MediaHost {
  private source: MediaSource | null = null;

  constructor(private readonly video: HTMLVideoElement) {}

  isTypeSupported(mime: string): boolean {
    return typeof MediaSource !== "undefined" && MediaSource.isTypeSupported(mime);
  }

  attach(mime: string): Promise<BufferLike> {
    this.release();
    if (typeof MediaSource === "undefined") return Promise.reject(new Error("this browser has no Media Source Extensions"));
    const source = new MediaSource();
    this.source = source;
    const url = URL.createObjectURL(source);
    this.video.src = url;
    return new Promise((resolve, reject) => {
      source.addEventListener("sourceopen", () => {
        URL.revokeObjectURL(url);
        try {
          resolve(source.addSourceBuffer(mime));
        } catch (error) {
          reject(error instanceof Error ? error : new Error("cannot open the video buffer"));
        }
      }, { once: true });
    });
  }

  get currentTime(): number {
    return this.video.currentTime;
  }

  seek(seconds: number): void {
    this.video.currentTime = seconds;
  }

  play(): void {
    this.video.play().catch(() => undefined); // muted autoplay; a refusal leaves the poster
  }

  /** Let go of the MediaSource (tile closed). */
  release(): void {
    if (!this.source) return;
    this.source = null;
    this.video.removeAttribute("src");
    this.video.load();
  }
}
