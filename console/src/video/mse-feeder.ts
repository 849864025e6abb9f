/**
 * Feeds fragmented MP4 from the live socket into a MediaSource: the first segment after each
 * (re)connect is an init segment (a new one resets the buffer), appends wait for the buffer,
 * playback jumps to the live edge when it falls behind, and old media is trimmed away.
 * The browser objects sit behind small interfaces so the decisions can be tested with fakes.
 */

export interface RangesLike {
  readonly length: number;
  start(index: number): number;
  end(index: number): number;
}

export interface BufferLike {
  readonly updating: boolean;
  readonly buffered: RangesLike;
  mode: string;
  appendBuffer(data: Uint8Array<ArrayBuffer>): void;
  remove(start: number, end: number): void;
  abort(): void;
  addEventListener(type: "updateend", listener: () => void): void;
}

export interface MediaHost {
  isTypeSupported(mime: string): boolean;
  /** (Re)create the MediaSource with one SourceBuffer of this type; resolves when it takes data. */
  attach(mime: string): Promise<BufferLike>;
  readonly currentTime: number;
  seek(seconds: number): void;
  play(): void;
}

export type FeedState = "waiting" | "playing" | "unsupported" | "error";

export interface FeedOptions {
  /** Jump to the live edge when playback is this far behind it. */
  maxLatencyS: number;
  /** Land this far before the buffered end after a jump. */
  edgeMarginS: number;
  /** Keep this much media behind the playhead; older media is removed. */
  keepBehindS: number;
  /** Remove in pieces at least this long (fewer, larger removals). */
  minTrimS: number;
}

export const DEFAULT_FEED: FeedOptions = { maxLatencyS: 1.5, edgeMarginS: 0.3, keepBehindS: 10, minTrimS: 2 };
/** When the status names no codec: H.264 Constrained Baseline, which every MSE browser plays. */
export const FALLBACK_CODEC = "avc1.42E01E";

export function mimeFor(codec: string | null): string {
  return `video/mp4; codecs="${codec || FALLBACK_CODEC}"`;
}

export function rangeList(ranges: RangesLike): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  for (let i = 0; i < ranges.length; i += 1) out.push([ranges.start(i), ranges.end(i)]);
  return out;
}

/** An init segment opens with an ftyp (or moov) box; media fragments with styp, moof or sidx. */
export function isInitSegment(bytes: Uint8Array): boolean {
  if (bytes.length < 8) return false;
  const type = String.fromCharCode(bytes[4] ?? 0, bytes[5] ?? 0, bytes[6] ?? 0, bytes[7] ?? 0);
  return type === "ftyp" || type === "moov";
}

/**
 * Where to seek so playback stays live, or null to leave it: behind the newest range's end by
 * more than the limit, before its start, or past its end (timestamps restarted after a reset).
 */
export function jumpTarget(currentTime: number, ranges: ReadonlyArray<[number, number]>, options: FeedOptions = DEFAULT_FEED): number | null {
  const last = ranges[ranges.length - 1];
  if (!last) return null;
  const [start, end] = last;
  const edge = Math.max(start, end - options.edgeMarginS);
  if (currentTime < start) return edge;
  if (end - currentTime > options.maxLatencyS) return edge;
  if (currentTime > end + options.maxLatencyS) return edge;
  return null;
}

/** The media to remove behind the playhead ([start, end)), or null when there is little. */
export function trimRange(currentTime: number, ranges: ReadonlyArray<[number, number]>, options: FeedOptions = DEFAULT_FEED): [number, number] | null {
  const first = ranges[0];
  if (!first) return null;
  const cut = currentTime - options.keepBehindS;
  return cut - first[0] >= options.minTrimS ? [first[0], cut] : null;
}

type Op = { kind: "append"; data: Uint8Array<ArrayBuffer> } | { kind: "remove"; start: number; end: number };

export class MseFeeder {
  private buffer: BufferLike | null = null;
  private mime: string | null = null;
  private codec: string | null = null;
  private queue: Op[] = [];
  private generation = 0;
  private needInit = true;
  private stateValue: FeedState = "waiting";
  /** Media fragments dropped because no init segment came before them. */
  dropped = 0;

  constructor(private readonly host: MediaHost, private readonly changed: (state: FeedState, detail: string | null) => void,
    private readonly options: FeedOptions = DEFAULT_FEED) {}

  get state(): FeedState {
    return this.stateValue;
  }

  get pending(): number {
    return this.queue.length;
  }

  /** The codec from a status message; false (and "unsupported") when this browser cannot play it. */
  setCodec(codec: string | null): boolean {
    if (codec) this.codec = codec;
    if (codec && !this.host.isTypeSupported(mimeFor(codec))) {
      this.setState("unsupported", mimeFor(codec));
      return false;
    }
    if (this.stateValue === "unsupported") this.setState("waiting", null);
    return true;
  }

  /** A binary frame from the socket. */
  push(data: ArrayBuffer | Uint8Array<ArrayBuffer>): void {
    if (this.stateValue === "unsupported") return;
    const bytes = data instanceof Uint8Array ? data : new Uint8Array(data);
    if (isInitSegment(bytes)) {
      this.startWith(bytes);
      return;
    }
    if (this.needInit || this.stateValue === "error") {
      this.dropped += 1;
      return;
    }
    this.queue.push({ kind: "append", data: bytes });
    this.pump();
  }

  /** Keep playback live and the buffer short (also called from a timer while nothing arrives). */
  tick(): void {
    const buffer = this.buffer;
    if (!buffer) return;
    const ranges = rangeList(buffer.buffered);
    const target = jumpTarget(this.host.currentTime, ranges, this.options);
    if (target !== null) this.host.seek(target);
    const trim = trimRange(target ?? this.host.currentTime, ranges, this.options);
    if (trim && !this.queue.some((op) => op.kind === "remove")) {
      this.queue.unshift({ kind: "remove", start: trim[0], end: trim[1] });
      this.pump();
    }
  }

  /** Stop feeding (the tile closes or the view is replaced). */
  close(): void {
    this.generation += 1;
    this.queue = [];
    this.buffer = null;
    this.mime = null;
    this.needInit = true;
  }

  private startWith(init: Uint8Array<ArrayBuffer>): void {
    const mime = mimeFor(this.codec);
    if (!this.host.isTypeSupported(mime)) {
      this.setState("unsupported", mime);
      return;
    }
    this.needInit = false;
    this.queue = [];
    // After an error the old MediaSource may be closed for good: start a fresh one.
    const reusable = this.stateValue !== "error" && this.buffer !== null && this.mime === mime;
    if (this.stateValue !== "waiting") this.setState("waiting", null);
    if (reusable && this.buffer) {
      this.resetBuffer(this.buffer, init);
      return;
    }
    this.queue.push({ kind: "append", data: init });
    this.attach(mime);
  }

  /** Same codec after a reconnect: drop what is buffered, then start over from the new init. */
  private resetBuffer(buffer: BufferLike, init: Uint8Array<ArrayBuffer>): void {
    if (buffer.updating) buffer.abort();
    if (buffer.buffered.length > 0) this.queue.push({ kind: "remove", start: 0, end: Number.POSITIVE_INFINITY });
    this.queue.push({ kind: "append", data: init });
    this.pump();
  }

  private attach(mime: string): void {
    const generation = ++this.generation;
    this.buffer = null;
    this.mime = mime;
    this.host.attach(mime).then((buffer) => {
      if (generation !== this.generation) return;
      buffer.mode = "segments";
      buffer.addEventListener("updateend", () => {
        if (generation === this.generation) this.afterUpdate();
      });
      this.buffer = buffer;
      this.pump();
    }, (error: unknown) => {
      if (generation === this.generation) this.setState("error", error instanceof Error ? error.message : "cannot open the video buffer");
    });
  }

  private afterUpdate(): void {
    const buffer = this.buffer;
    if (!buffer) return;
    if (this.stateValue === "waiting" && buffer.buffered.length > 0) {
      this.setState("playing", null);
      this.host.play();
    }
    this.tick();
    this.pump();
  }

  private pump(): void {
    const buffer = this.buffer;
    if (!buffer || buffer.updating) return;
    const op = this.queue.shift();
    if (!op) return;
    try {
      if (op.kind === "append") buffer.appendBuffer(op.data);
      else buffer.remove(op.start, op.end);
    } catch (error) {
      this.queue = [];
      this.needInit = true;
      this.setState("error", error instanceof Error ? error.message : "the browser refused the video");
    }
  }

  private setState(state: FeedState, detail: string | null): void {
    if (this.stateValue === state) return;
    this.stateValue = state;
    this.changed(state, detail);
  }
}
