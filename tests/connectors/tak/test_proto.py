"""TAK protocol v1 against takproto's published golden vector (tests/test_functions.py of the
takproto 3.0.1 sdist) and round trips with CoT XML."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from lxml import etree
from takproto.proto import TakMessage  # type: ignore[import-untyped]

from watchfloor.connectors.tak.cot import CotError, parse_cot
from watchfloor.connectors.tak.framing import ProtoStreamSplitter, frame_proto
from watchfloor.connectors.tak.proto import from_proto, to_proto

VECTOR = Path(__file__).parents[2] / "fixtures" / "third_party" / "takproto"
XML = (VECTOR / "event.xml").read_bytes()
STREAM = (VECTOR / "event.stream.bin").read_bytes()
MESH = (VECTOR / "event.mesh.bin").read_bytes()


def _payload() -> bytes:
    (payload,) = ProtoStreamSplitter(4096).feed(STREAM)
    return payload


def test_the_stream_vector_frames_like_the_mesh_vector() -> None:
    assert MESH[:3] == b"\xbf\x01\xbf"
    assert _payload() == MESH[3:]


def test_the_golden_vector_decodes_to_the_event() -> None:
    event = from_proto(_payload())

    assert event.uid == "aa0b0312-b5cd-4c2c-bbbc-9c4c70216261"
    assert event.type == "a-f-G-E-V-C"
    assert event.how == "h-e"
    assert event.time == datetime(2020, 2, 8, 18, 10, 44, tzinfo=UTC)
    assert event.stale == datetime(2020, 2, 8, 18, 11, 11, tzinfo=UTC)
    assert (event.lat, event.lon) == (43.97957317, -66.07737696)
    assert event.hae == pytest.approx(26.767999)
    assert event.ce == 9999999.0
    assert event.callsign == "Eliopoli HQ"
    assert (event.group, event.role) == ("Yellow", "HQ")
    assert (event.course, event.speed_mps) == (0.0, 0.0)
    assert '<another test="1" />' in event.detail_xml


def test_the_golden_vector_is_what_we_encode_from_its_xml() -> None:
    ours = TakMessage.FromString(to_proto(parse_cot(XML)))
    theirs = TakMessage.FromString(_payload())

    ours_xml = ours.cotEvent.detail.xmlDetail
    theirs_xml = theirs.cotEvent.detail.xmlDetail
    ours.cotEvent.detail.xmlDetail = theirs.cotEvent.detail.xmlDetail = ""
    assert ours == theirs
    assert _canonical(ours_xml) == _canonical(theirs_xml)


def test_the_golden_vector_xml_and_its_protobuf_are_the_same_event() -> None:
    from_xml = parse_cot(XML)
    from_v1 = from_proto(_payload())

    for field in ("uid", "type", "how", "time", "start", "stale", "lat", "lon", "hae"):
        assert getattr(from_xml, field) == getattr(from_v1, field), field
    assert (from_xml.callsign, from_xml.group, from_xml.role) == (
        from_v1.callsign,
        from_v1.group,
        from_v1.role,
    )


def test_xml_to_v1_and_back_keeps_the_event() -> None:
    taky = Path(__file__).parents[2] / "fixtures" / "third_party" / "taky"
    for name in ("atak_sa.xml", "geochat.xml", "itak_empty_marti.xml"):
        event = parse_cot((taky / name).read_bytes())

        back = from_proto(to_proto(event))

        assert back.uid == event.uid
        assert (back.time, back.stale, back.lat, back.lon) == (
            event.time,
            event.stale,
            event.lat,
            event.lon,
        )
        assert (back.callsign, back.group, back.remarks) == (
            event.callsign,
            event.group,
            event.remarks,
        )
        assert back.dest_callsigns == event.dest_callsigns


def test_bad_protobufs_are_refused() -> None:
    with pytest.raises(CotError) as caught:
        from_proto(b"\xff\xff\xff")
    assert caught.value.field == "takMessage"
    with pytest.raises(CotError, match="missing"):
        from_proto(TakMessage().SerializeToString())
    with pytest.raises(CotError, match="more than"):
        from_proto(_payload(), max_bytes=100)


def test_a_dtd_smuggled_into_xml_detail_is_refused() -> None:
    message = TakMessage.FromString(_payload())
    message.cotEvent.detail.xmlDetail = '<!DOCTYPE x [<!ENTITY a "b">]><x>&a;</x>'

    with pytest.raises(CotError) as caught:
        from_proto(message.SerializeToString())

    assert caught.value.field == "detail.xmlDetail"


def test_framing_a_payload_matches_the_stream_vector() -> None:
    assert frame_proto(_payload()) == STREAM


def _canonical(fragment: str) -> list[bytes]:
    root = etree.fromstring(f"<detail>{fragment}</detail>".encode())
    return [etree.tostring(child, method="c14n") for child in root]
