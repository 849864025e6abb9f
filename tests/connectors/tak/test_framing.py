"""Stream framing: XML events split after `</event>` across and within reads, TAK protocol v1
streaming frames (0xBF, varint, payload), size limits and garbage."""

from __future__ import annotations

from pathlib import Path

import pytest

from watchfloor.connectors.tak.framing import (
    FramingError,
    ProtoStreamSplitter,
    XmlStreamSplitter,
    encode_varint,
    frame_proto,
)

TAKY = Path(__file__).parents[2] / "fixtures" / "third_party" / "taky"
SA = (TAKY / "atak_sa.xml").read_bytes()
CHAT = (TAKY / "geochat.xml").read_bytes()
DECL = b"<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n"


def test_an_event_split_byte_by_byte_comes_out_once_whole() -> None:
    splitter = XmlStreamSplitter(64 * 1024)
    out: list[bytes] = []

    for i in range(len(DECL + SA)):
        out += splitter.feed((DECL + SA)[i : i + 1])

    assert out == [SA]


def test_several_events_in_one_read_with_declarations_between() -> None:
    splitter = XmlStreamSplitter(64 * 1024)

    out = splitter.feed(DECL + SA + b"\n" + DECL + CHAT.strip() + SA + SA[:40])

    assert out == [SA, CHAT.strip(), SA]
    assert splitter.feed(SA[40:]) == [SA]


def test_an_event_over_the_limit_is_refused_before_it_ends() -> None:
    splitter = XmlStreamSplitter(1024)

    with pytest.raises(FramingError, match="over 1024"):
        splitter.feed(b"<event>" + b"x" * 2000)


def test_a_complete_event_over_the_limit_is_refused() -> None:
    with pytest.raises(FramingError, match="over 100"):
        XmlStreamSplitter(100).feed(SA)


@pytest.mark.parametrize("garbage", [b"GET / HTTP/1.1\r\n", b"<html><body>", b"\x00\x01\x02"])
def test_garbage_is_refused(garbage: bytes) -> None:
    with pytest.raises(FramingError, match="expected <event"):
        XmlStreamSplitter(1024).feed(garbage)


def test_an_endless_declaration_is_refused() -> None:
    with pytest.raises(FramingError, match="declaration"):
        XmlStreamSplitter(1024).feed(b"<?xml " + b"a" * 2000)


def test_xml_stops_where_tak_protocol_v1_begins() -> None:
    splitter = XmlStreamSplitter(64 * 1024)
    frame = frame_proto(b"payload")

    assert splitter.feed(SA + frame) == [SA]
    assert splitter.proto_ahead
    assert splitter.take_rest() == frame


def test_proto_frames_split_across_and_within_reads() -> None:
    payloads = [b"a" * 5, b"b" * 300, b"c" * 20_000]
    stream = b"".join(frame_proto(p) for p in payloads)
    splitter = ProtoStreamSplitter(64 * 1024)

    out = splitter.feed(stream[:3]) + splitter.feed(stream[3:301]) + splitter.feed(stream[301:])

    assert out == payloads


def test_varints_are_protobufs() -> None:
    assert encode_varint(1) == b"\x01"
    assert encode_varint(307) == b"\xb3\x02"
    assert encode_varint(300) == b"\xac\x02"


def test_proto_garbage_and_oversize_are_refused() -> None:
    with pytest.raises(FramingError, match="0xBF"):
        ProtoStreamSplitter(1024).feed(b"<event/>")
    with pytest.raises(FramingError, match="over 1024"):
        ProtoStreamSplitter(1024).feed(b"\xbf" + encode_varint(5000))
    with pytest.raises(FramingError, match="10 bytes"):
        ProtoStreamSplitter(1024).feed(b"\xbf" + b"\xff" * 11)
