import { describe, expect, it } from "vitest";
import {
  DEFAULT_FEED, isInitSegment, jumpTarget, mimeFor, MseFeeder, trimRange, type BufferLike, type MediaHost, type RangesLike,
} from "./mse-feeder";

function box(type: string, size = 16): Uint8Array<ArrayBuffer> {
  const bytes = new Uint8Array(size);
  new DataView(bytes.buffer).setUint32(0, size);
  for (let i = 0; i < 4; i += 1) bytes[4 + i] = type.charCodeAt(i);
  return bytes;
}

class FakeRanges implements RangesLike {
  constructor(public items: Array<[number, number]> = []) {}
  get length(): number {
    return this.items.length;
  }
  start(i: number): number {
    return this.items[i]?.[0] ?? 0;
  }
  end(i: number): number {
    return this.items[i]?.[1] ?? 0;
  }
}

/** A SourceBuffer stand-in: each append adds one second of media; finish() ends the update. */
class FakeBuffer implements BufferLike {
  updating = false;
  mode = "sequence";
  buffered = new FakeRanges();
  log: string[] = [];
  private listeners: Array<() => void> = [];
  appendBuffer(data: Uint8Array): void {
    if (this.updating) throw new Error("InvalidStateError: still updating");
    this.updating = true;
    const type = String.fromCharCode(...data.slice(4, 8));
    this.log.push(`append ${type}`);
    if (type !== "ftyp") {
      const last = this.buffered.items[this.buffered.items.length - 1];
      if (last) last[1] += 1;
      else this.buffered.items.push([0, 1]);
    }
  }
  remove(start: number, end: number): void {
    this.updating = true;
    this.log.push(`remove ${start}-${end}`);
    this.buffered.items = this.buffered.items
      .map(([s, e]): [number, number] => [Math.max(s, end), e])
      .filter(([s, e]) => e > s && !(start <= s && end === Infinity));
  }
  abort(): void {
    this.log.push("abort");
    this.updating = false;
  }
  addEventListener(_type: "updateend", listener: () => void): void {
    this.listeners.push(listener);
  }
  finish(): void {
    this.updating = false;
    for (const listener of this.listeners) listener();
  }
}

class FakeHost implements MediaHost {
  currentTime = 0;
  seeks: number[] = [];
  attached: string[] = [];
  buffers: FakeBuffer[] = [];
  played = 0;
  supported = (mime: string): boolean => mime.includes("avc1");
  isTypeSupported(mime: string): boolean {
    return this.supported(mime);
  }
  attach(mime: string): Promise<BufferLike> {
    this.attached.push(mime);
    const buffer = new FakeBuffer();
    this.buffers.push(buffer);
    return Promise.resolve(buffer);
  }
  seek(seconds: number): void {
    this.seeks.push(seconds);
    this.currentTime = seconds;
  }
  play(): void {
    this.played += 1;
  }
}

const settle = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 0));

function setup() {
  const host = new FakeHost();
  const states: string[] = [];
  const feeder = new MseFeeder(host, (state, detail) => states.push(detail ? `${state}: ${detail}` : state));
  return { host, states, feeder };
}

describe("segment sniffing and live-edge decisions", () => {
  it("tells an init segment from a media fragment", () => {
    expect(isInitSegment(box("ftyp"))).toBe(true);
    expect(isInitSegment(box("moov"))).toBe(true);
    expect(isInitSegment(box("moof"))).toBe(false);
    expect(isInitSegment(box("styp"))).toBe(false);
    expect(isInitSegment(new Uint8Array(4))).toBe(false);
  });

  it("builds the MIME type from the status codec", () => {
    expect(mimeFor("hev1.1.6.L93.B0")).toBe('video/mp4; codecs="hev1.1.6.L93.B0"');
    expect(mimeFor(null)).toContain("avc1.");
  });

  it("jumps forward only when playback is more than 1.5 s behind the newest media", () => {
    expect(jumpTarget(9, [[0, 10]])).toBeNull();
    expect(jumpTarget(8.6, [[0, 10]])).toBeNull();
    expect(jumpTarget(8.4, [[0, 10]])).toBeCloseTo(9.7);
    expect(jumpTarget(8.4, [[0, 10]], { ...DEFAULT_FEED, maxLatencyS: 2 })).toBeNull();
    expect(jumpTarget(8, [[0, 10]])).toBeCloseTo(9.7);
    expect(jumpTarget(2, [[0, 3], [5, 12]])).toBeCloseTo(11.7);
    expect(jumpTarget(0, [])).toBeNull();
  });

  it("jumps back to the new media when a reset restarted the timestamps", () => {
    expect(jumpTarget(60, [[0, 0.8]])).toBe(0.5);
    expect(jumpTarget(3, [[5, 5.2]])).toBe(5);
  });

  it("trims media older than 10 s behind the playhead, in pieces of at least 2 s", () => {
    expect(trimRange(30, [[0, 31]])).toEqual([0, 20]);
    expect(trimRange(11, [[0, 12]])).toBeNull();
    expect(trimRange(12.5, [[0, 13]])).toEqual([0, 2.5]);
    expect(trimRange(50, [[39, 51]])).toBeNull();
    expect(trimRange(5, [])).toBeNull();
  });
});

describe("the MSE feeder", () => {
  it("drops media until an init segment arrives, then opens a buffer in segments mode", async () => {
    const { host, feeder } = setup();
    feeder.setCodec("avc1.640028");
    feeder.push(box("moof"));
    expect(feeder.dropped).toBe(1);
    expect(host.attached).toEqual([]);
    feeder.push(box("ftyp"));
    feeder.push(box("moof"));
    await settle();
    expect(host.attached).toEqual(['video/mp4; codecs="avc1.640028"']);
    const buffer = host.buffers[0]!;
    expect(buffer.mode).toBe("segments");
    expect(buffer.log).toEqual(["append ftyp"]);
  });

  it("queues appends while the buffer is updating and plays once media is buffered", async () => {
    const { host, states, feeder } = setup();
    feeder.setCodec("avc1.42E01E");
    feeder.push(box("ftyp"));
    feeder.push(box("moof"));
    feeder.push(box("moof"));
    await settle();
    const buffer = host.buffers[0]!;
    expect(feeder.pending).toBe(2);
    buffer.finish();
    expect(buffer.log).toEqual(["append ftyp", "append moof"]);
    expect(host.played).toBe(0);
    buffer.finish();
    expect(states).toEqual(["playing"]);
    expect(host.played).toBe(1);
    buffer.finish();
    expect(buffer.log).toEqual(["append ftyp", "append moof", "append moof"]);
    expect(feeder.pending).toBe(0);
  });

  it("resets the same buffer on a new init segment after a reconnect", async () => {
    const { host, states, feeder } = setup();
    feeder.setCodec("avc1.42E01E");
    feeder.push(box("ftyp"));
    await settle();
    const buffer = host.buffers[0]!;
    buffer.finish();
    feeder.push(box("moof"));
    buffer.finish();
    feeder.push(box("moof"));
    feeder.push(box("ftyp"));
    expect(buffer.log).toEqual(["append ftyp", "append moof", "append moof", "abort", "remove 0-Infinity"]);
    buffer.finish();
    expect(buffer.log.at(-1)).toBe("append ftyp");
    expect(host.attached).toHaveLength(1);
    expect(states).toEqual(["playing", "waiting"]);
  });

  it("opens a new MediaSource when the codec changes", async () => {
    const { host, feeder } = setup();
    host.supported = () => true;
    feeder.setCodec("avc1.42E01E");
    feeder.push(box("ftyp"));
    await settle();
    feeder.setCodec("hvc1.1.6.L93.B0");
    feeder.push(box("ftyp"));
    await settle();
    expect(host.attached).toEqual(['video/mp4; codecs="avc1.42E01E"', 'video/mp4; codecs="hvc1.1.6.L93.B0"']);
  });

  it("says when the browser cannot play the codec and takes no media", async () => {
    const { host, states, feeder } = setup();
    expect(feeder.setCodec("hev1.1.6.L93.B0")).toBe(false);
    expect(states).toEqual(['unsupported: video/mp4; codecs="hev1.1.6.L93.B0"']);
    feeder.push(box("ftyp"));
    await settle();
    expect(host.attached).toEqual([]);
  });

  it("jumps to the live edge and trims old media after an append", async () => {
    const { host, feeder } = setup();
    feeder.setCodec("avc1.42E01E");
    feeder.push(box("ftyp"));
    await settle();
    const buffer = host.buffers[0]!;
    buffer.finish();
    buffer.buffered.items = [[0, 29]];
    host.currentTime = 20;
    feeder.push(box("moof"));
    buffer.finish();
    expect(host.seeks.at(-1)).toBeCloseTo(29.7);
    expect(buffer.log.at(-1)).toBe(`remove 0-${29.7 - 10}`);
  });

  it("starts over with a fresh MediaSource after the browser rejected an append", async () => {
    const { host, states, feeder } = setup();
    feeder.setCodec("avc1.42E01E");
    feeder.push(box("ftyp"));
    await settle();
    const buffer = host.buffers[0]!;
    buffer.appendBuffer = () => {
      throw new Error("decode error");
    };
    buffer.finish();
    feeder.push(box("moof"));
    expect(states.at(-1)).toBe("error: decode error");
    feeder.push(box("moof"));
    expect(feeder.dropped).toBe(1);
    feeder.push(box("ftyp"));
    await settle();
    expect(host.attached).toHaveLength(2);
    expect(states.at(-1)).toBe("waiting");
  });
});
