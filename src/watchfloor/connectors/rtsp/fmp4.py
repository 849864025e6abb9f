"""Remux a camera's demuxed packets into fragmented MP4 for Media Source Extensions, without
decoding: an init segment (ftyp+moov) and one media fragment (moof+mdat) per frame, each marked
whether a viewer can start there (a keyframe). Also the RFC 6381 codec string a browser's
`MediaSource.isTypeSupported` answers for.

FFmpeg's mp4 muxer does the container work (Annex B to length-prefixed NAL units, avcC/hvcC).
`frag_every_frame` cuts a fragment per frame; FFmpeg writes each when the next packet comes, so
a fragment leaves one frame interval after its packet (67 ms at 15 fps), where `frag_keyframe`
would hold a whole GOP (about 1 s) back."""

from __future__ import annotations

import struct
from collections.abc import Iterator
from dataclasses import dataclass

import av
from av.packet import Packet
from av.video.stream import VideoStream

MOVFLAGS = "empty_moov+default_base_moof+frag_every_frame"
NON_SYNC_SAMPLE = 0x0001_0000
VISUAL_SAMPLE_ENTRY_BYTES = 78
CONTAINERS = frozenset({"moov", "trak", "mdia", "minf", "stbl", "mvex", "moof", "traf"})


@dataclass(frozen=True)
class InitSegment:
    """ftyp+moov: what a viewer's decoder needs before any fragment of this connection."""

    data: bytes
    codec: str
    timescale: int
    width: int
    height: int


@dataclass(frozen=True)
class Fragment:
    """moof+mdat of one frame; a viewer may start at a keyframe fragment."""

    data: bytes
    keyframe: bool
    decode_time: int


@dataclass(frozen=True)
class Box:
    """One ISO BMFF box: its type and where its payload lies in the buffer."""

    type: str
    start: int
    payload: int
    end: int


def iter_boxes(data: bytes, start: int = 0, end: int | None = None) -> Iterator[Box]:
    """The boxes laid end to end in data[start:end]; stops at the first incomplete one."""
    stop = len(data) if end is None else end
    at = start
    while at + 8 <= stop:
        size, kind = struct.unpack_from(">I4s", data, at)
        header = 8
        if size == 1:
            if at + 16 > stop:
                return
            size = struct.unpack_from(">Q", data, at + 8)[0]
            header = 16
        elif size == 0:
            size = stop - at
        if size < header or at + size > stop:
            return
        yield Box(kind.decode("latin-1"), at, at + header, at + size)
        at += size


def find_box(data: bytes, path: tuple[str, ...], start: int = 0, end: int | None = None) -> Box:
    """The first box along path (e.g. moov/trak/mdia/mdhd); KeyError when absent."""
    for box in iter_boxes(data, start, end):
        if box.type != path[0]:
            continue
        if len(path) == 1:
            return box
        return find_box(data, path[1:], box.payload, box.end)
    raise KeyError("/".join(path))


def codec_string(init: bytes) -> str:
    """The RFC 6381 codec of the init segment's first video track: avc1.PPCCLL or hvc1/hev1...."""
    stsd = find_box(init, ("moov", "trak", "mdia", "minf", "stbl", "stsd"))
    entry = next(iter_boxes(init, stsd.payload + 8, stsd.end))
    children = entry.payload + VISUAL_SAMPLE_ENTRY_BYTES
    if entry.type in ("avc1", "avc3"):
        avcc = find_box(init, ("avcC",), children, entry.end)
        return f"{entry.type}.{init[avcc.payload + 1 : avcc.payload + 4].hex().upper()}"
    if entry.type in ("hvc1", "hev1"):
        hvcc = find_box(init, ("hvcC",), children, entry.end)
        return f"{entry.type}.{_hevc_parameters(init[hvcc.payload : hvcc.payload + 13])}"
    return entry.type


def _hevc_parameters(hvcc: bytes) -> str:
    # ISO/IEC 14496-15 annex E: profile space+idc, reversed compatibility flags, tier+level,
    # constraint bytes without trailing zeros.
    space = ("", "A", "B", "C")[hvcc[1] >> 6]
    tier = "H" if hvcc[1] & 0x20 else "L"
    compatibility = int(f"{int.from_bytes(hvcc[2:6], 'big'):032b}"[::-1], 2)
    constraints = hvcc[6:12].rstrip(b"\x00")
    parts = [f"{space}{hvcc[1] & 0x1F}", f"{compatibility:X}", f"{tier}{hvcc[12]}"]
    parts += [f"{byte:02X}" for byte in constraints]
    return ".".join(parts)


def describe_init(data: bytes) -> InitSegment:
    """Read codec, timescale and picture size out of an init segment."""
    mdhd = find_box(data, ("moov", "trak", "mdia", "mdhd"))
    version = data[mdhd.payload]
    timescale_at = mdhd.payload + (20 if version == 1 else 12)
    timescale = struct.unpack_from(">I", data, timescale_at)[0]
    stsd = find_box(data, ("moov", "trak", "mdia", "minf", "stbl", "stsd"))
    entry = next(iter_boxes(data, stsd.payload + 8, stsd.end))
    width, height = struct.unpack_from(">HH", data, entry.payload + 24)
    return InitSegment(data, codec_string(data), timescale, width, height)


def describe_fragment(data: bytes, trex_flags: int = 0) -> Fragment:
    """Read a moof+mdat's start time and whether its first sample is a sync sample."""
    traf = find_box(data, ("moof", "traf"))
    flags = _first_sample_flags(data, traf, trex_flags)
    tfdt = find_box(data, ("tfdt",), traf.payload, traf.end)
    wide = data[tfdt.payload] == 1
    decode_time = struct.unpack_from(">Q" if wide else ">I", data, tfdt.payload + 4)[0]
    return Fragment(data, not flags & NON_SYNC_SAMPLE, decode_time)


def _first_sample_flags(data: bytes, traf: Box, fallback: int) -> int:
    tfhd = find_box(data, ("tfhd",), traf.payload, traf.end)
    tfhd_flags = int.from_bytes(data[tfhd.payload + 1 : tfhd.payload + 4], "big")
    at = tfhd.payload + 8
    for bit, size in ((0x1, 8), (0x2, 4), (0x8, 4), (0x10, 4)):
        at += size if tfhd_flags & bit else 0
    default = struct.unpack_from(">I", data, at)[0] if tfhd_flags & 0x20 else fallback
    trun = find_box(data, ("trun",), traf.payload, traf.end)
    trun_flags = int.from_bytes(data[trun.payload + 1 : trun.payload + 4], "big")
    at = trun.payload + 8 + (4 if trun_flags & 0x1 else 0)
    if trun_flags & 0x4:
        return int(struct.unpack_from(">I", data, at)[0])
    if trun_flags & 0x400:
        at += (4 if trun_flags & 0x100 else 0) + (4 if trun_flags & 0x200 else 0)
        return int(struct.unpack_from(">I", data, at)[0])
    return int(default)


class _Sink:
    """The muxer's output file: collects bytes until whole top-level boxes are there."""

    def __init__(self) -> None:
        self.pending = bytearray()

    def write(self, data: bytes) -> int:
        self.pending += data
        return len(data)

    def take_boxes(self) -> list[tuple[str, bytes]]:
        """Complete boxes, as (type, bytes) pairs, removed from the pending bytes."""
        data = bytes(self.pending)
        taken: list[tuple[str, bytes]] = []
        consumed = 0
        for box in iter_boxes(data):
            taken.append((box.type, data[box.start : box.end]))
            consumed = box.end
        del self.pending[:consumed]
        return taken


class Remuxer:
    """One connection's packets in, its init segment and per-frame fragments out."""

    def __init__(self, stream: VideoStream) -> None:
        self._sink = _Sink()
        self._output = av.open(self._sink, "w", format="mp4", options={"movflags": MOVFLAGS})
        self._stream = self._output.add_stream_from_template(stream)
        self._held: list[bytes] = []
        self._trex_flags = 0
        self.init: InitSegment | None = None

    def push(self, packet: Packet[VideoStream]) -> list[InitSegment | Fragment]:
        """Mux one packet; returns what became complete (init first, then fragments)."""
        packet.stream = self._stream
        self._output.mux(packet)
        return self._drain()

    def close(self) -> list[InitSegment | Fragment]:
        """Flush the last fragment and release the muxer."""
        try:
            self._output.close()
        except av.error.FFmpegError:
            return []
        return self._drain()

    def _drain(self) -> list[InitSegment | Fragment]:
        out: list[InitSegment | Fragment] = []
        for kind, data in self._sink.take_boxes():
            out += self._whole(kind, data)
        return out

    def _whole(self, kind: str, data: bytes) -> list[InitSegment | Fragment]:
        if kind in ("ftyp", "moof"):
            self._held = [data]
            return []
        if kind == "moov":
            init = describe_init(b"".join([*self._held, data]))
            self._trex_flags = _trex_flags(init.data)
            self.init = init
            return [init]
        if kind == "mdat" and self._held:
            moof_mdat = b"".join([*self._held, data])
            self._held = []
            return [describe_fragment(moof_mdat, self._trex_flags)]
        return []


def _trex_flags(init: bytes) -> int:
    try:
        trex = find_box(init, ("moov", "mvex", "trex"))
    except KeyError:
        return 0
    return int(struct.unpack_from(">I", init, trex.payload + 20)[0])
