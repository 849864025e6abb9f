"""Splitting a TAK byte stream into events: XML (`<event>…</event>` back to back, split after the
literal `</event>`, XML declarations and whitespace between events) and TAK protocol v1 streaming
(0xBF, varint payload length, payload). Both bound the size of one event."""

from __future__ import annotations

PROTO_MAGIC = 0xBF
_EVENT = b"<event"
_END = b"</event>"
_DECL = b"<?xml"
_SPACE = frozenset(b" \t\r\n")


class FramingError(ValueError):
    """A stream that is not TAK framing (garbage) or carries an event over the size limit."""


def encode_varint(value: int) -> bytes:
    """An unsigned protobuf varint."""
    out = bytearray()
    while value > 0x7F:
        out.append((value & 0x7F) | 0x80)
        value >>= 7
    out.append(value)
    return bytes(out)


def frame_proto(payload: bytes) -> bytes:
    """One TAK protocol v1 streaming frame: 0xBF, varint length, payload."""
    return b"\xbf" + encode_varint(len(payload)) + payload


class XmlStreamSplitter:
    """Cuts XML CoT events out of a stream; stops at a 0xBF byte (TAK protocol v1 ahead), leaving
    the rest for `take_rest()`."""

    def __init__(self, max_event_bytes: int) -> None:
        self.max_event_bytes = max_event_bytes
        self.proto_ahead = False
        self._buf = bytearray()
        self._scanned = 0  # bytes of the current event already searched for </event>

    def feed(self, data: bytes) -> list[bytes]:
        """Add bytes; return the complete events they finish (each `<event …>…</event>`)."""
        buf = self._buf
        buf += data
        events: list[bytes] = []
        pos = 0
        try:
            while not self.proto_ahead:
                pos = self._skip(buf, pos)
                end = self._next_end(buf, pos)
                if end < 0:
                    break
                events.append(bytes(buf[pos:end]))
                pos = end
                self._scanned = 0
        finally:
            del buf[:pos]
        return events

    def _skip(self, buf: bytearray, pos: int) -> int:
        """Skip whitespace and XML declarations before the next event."""
        size = len(buf)
        while pos < size:
            byte = buf[pos]
            if byte in _SPACE:
                pos += 1
            elif byte == PROTO_MAGIC:
                self.proto_ahead = True
                return pos
            elif buf.startswith(_DECL, pos):
                close = buf.find(b"?>", pos)
                if close < 0:
                    self._check_size(size - pos, "an XML declaration")
                    return pos
                pos = close + 2
            else:
                return pos
        return pos

    def _next_end(self, buf: bytearray, pos: int) -> int:
        """The end offset of the event starting at pos, or -1 when it is not complete yet."""
        size = len(buf)
        if self.proto_ahead or pos >= size:
            return -1
        head = bytes(buf[pos : pos + len(_EVENT)])
        if head.startswith(_DECL) or (
            len(head) < len(_EVENT) and (_EVENT.startswith(head) or _DECL.startswith(head))
        ):
            return -1  # a declaration not closed yet, or too little to tell
        if not head.startswith(_EVENT):
            raise FramingError(f"expected <event, got {head[:16]!r}")
        start = pos + max(self._scanned - len(_END), 0)
        found = buf.find(_END, start)
        if found < 0:
            self._scanned = size - pos
            self._check_size(size - pos, "an event")
            return -1
        self._check_size(found + len(_END) - pos, "an event")
        return found + len(_END)

    def _check_size(self, size: int, what: str) -> None:
        if size > self.max_event_bytes:
            raise FramingError(f"{what} is over {self.max_event_bytes} bytes")

    def take_rest(self) -> bytes:
        """The bytes not consumed yet (after a switch to TAK protocol v1)."""
        rest = bytes(self._buf)
        self._buf.clear()
        self._scanned = 0
        return rest


class ProtoStreamSplitter:
    """Cuts TAK protocol v1 streaming frames out of a stream; returns the TakMessage payloads."""

    def __init__(self, max_event_bytes: int) -> None:
        self.max_event_bytes = max_event_bytes
        self._buf = bytearray()

    def feed(self, data: bytes) -> list[bytes]:
        """Add bytes; return the payloads of the frames they finish."""
        buf = self._buf
        buf += data
        payloads: list[bytes] = []
        pos = 0
        size = len(buf)
        try:
            while pos < size:
                if buf[pos] != PROTO_MAGIC:
                    raise FramingError(f"expected 0xBF, got {bytes(buf[pos : pos + 8])!r}")
                header = _varint(buf, pos + 1)
                if header is None:
                    break
                length, start = header
                if length > self.max_event_bytes:
                    raise FramingError(f"a frame of {length} bytes is over {self.max_event_bytes}")
                if start + length > size:
                    break
                payloads.append(bytes(buf[start : start + length]))
                pos = start + length
        finally:
            del buf[:pos]
        return payloads


def _varint(buf: bytearray, pos: int) -> tuple[int, int] | None:
    """(value, offset after it), or None when the varint is not complete yet."""
    value = 0
    for shift in range(0, 70, 7):
        if pos >= len(buf):
            return None
        byte = buf[pos]
        pos += 1
        value |= (byte & 0x7F) << shift
        if not byte & 0x80:
            return value, pos
    raise FramingError("a varint length longer than 10 bytes")
