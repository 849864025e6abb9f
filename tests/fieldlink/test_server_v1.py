"""TAK protocol v1 on the server: the XML-first negotiation (t-x-takp-v/q/r), v1 and XML clients
interoperating (each gets events in its own encoding), pytak sending v1, the golden vector."""

from __future__ import annotations

from pathlib import Path

from tests.support.tak import PytakClient, RawTakClient, not_control, running_server, sa_event
from watchfloor.connectors.tak.cot import cot_xml
from watchfloor.connectors.tak.framing import frame_proto
from watchfloor.connectors.tak.negotiation import request_xml
from watchfloor.connectors.tak.proto import to_proto
from watchfloor.core.clock import ManualClock
from watchfloor.fieldlink.server import TakServer

VECTOR = Path(__file__).parents[1] / "fixtures" / "third_party" / "takproto"


async def _negotiated(server: TakServer, clock: ManualClock, uid: str) -> RawTakClient:
    client = await RawTakClient.connect(server.tcp_port or 0)
    offer = await client.next_event()
    assert offer.type == "t-x-takp-v"
    assert '<TakProtocolSupport version="1"/>' in offer.detail_xml
    await client.send(request_xml(uid, clock.now()))
    answer = await client.next_event(lambda e: e.type == "t-x-takp-r")
    assert '<TakResponse status="true"/>' in answer.detail_xml
    return client


async def test_negotiation_switches_the_connection_to_v1(clock: ManualClock) -> None:
    async with running_server(clock) as server:
        v1 = await _negotiated(server, clock, "ANDROID-v1")

        await v1.send(frame_proto(to_proto(sa_event("ANDROID-v1", "V1", clock.now()))))
        server.publish(sa_event("wf-1", "RTCC", clock.now()))

        got = await v1.next_event(not_control)
        assert got.uid == "wf-1"
        assert v1.protocols[-1] == "v1"
        assert v1.protocols[:2] == ["xml", "xml"]  # the offer and the answer
        (client,) = server.clients()
        assert (client.protocol, client.callsign) == ("v1", "V1")
        assert server.stats()["negotiated_v1"] == 1
        await v1.close()


async def test_an_unsupported_version_is_refused(clock: ManualClock) -> None:
    async with running_server(clock) as server:
        client = await RawTakClient.connect(server.tcp_port or 0)
        await client.send(request_xml("ANDROID-x", clock.now(), version=2))

        answer = await client.next_event(lambda e: e.type == "t-x-takp-r")

        assert '<TakResponse status="false"/>' in answer.detail_xml
        assert server.clients()[0].protocol == "xml"
        await client.close()


async def test_v1_and_xml_clients_interoperate(clock: ManualClock) -> None:
    async with running_server(clock) as server:
        v1 = await _negotiated(server, clock, "ANDROID-v1")
        xml = await RawTakClient.connect(server.tcp_port or 0)
        await xml.next_event()

        await v1.send(frame_proto(to_proto(sa_event("ANDROID-v1", "V1", clock.now(), lat=38.1))))
        from_v1 = await xml.next_event(not_control)
        await xml.send(cot_xml(sa_event("ANDROID-xml", "XML", clock.now(), lat=38.2)))
        from_xml = await v1.next_event(lambda e: e.uid == "ANDROID-xml")

        assert (from_v1.uid, from_v1.lat, from_v1.callsign) == ("ANDROID-v1", 38.1, "V1")
        assert xml.protocols[-1] == "xml"
        assert (from_xml.lat, from_xml.callsign) == (38.2, "XML")
        assert v1.protocols[-1] == "v1"
        await v1.close()
        await xml.close()


async def test_the_golden_vector_is_relayed_to_an_xml_client(clock: ManualClock) -> None:
    async with running_server(clock) as server:
        v1 = await _negotiated(server, clock, "ANDROID-v1")
        xml = await RawTakClient.connect(server.tcp_port or 0)
        await xml.next_event()

        await v1.send((VECTOR / "event.stream.bin").read_bytes())

        got = await xml.next_event(not_control)
        assert (got.uid, got.callsign, got.group) == (
            "aa0b0312-b5cd-4c2c-bbbc-9c4c70216261",
            "Eliopoli HQ",
            "Yellow",
        )
        await v1.close()
        await xml.close()


async def test_pytak_sending_v1_reaches_a_pytak_xml_client(clock: ManualClock) -> None:
    async with running_server(clock) as server:
        url = f"tcp://127.0.0.1:{server.tcp_port}"
        sender = await PytakClient(PytakClient.config_for(url, TAK_PROTO="1")).connect()
        listener = await PytakClient(PytakClient.config_for(url)).connect()
        await listener.next_event()  # the offer: the listener is connected

        await sender.send(sa_event("ANDROID-pytak", "PYTAK", clock.now(), lat=38.3))

        got = await listener.next_event(not_control)
        assert (got.uid, got.lat, got.callsign) == ("ANDROID-pytak", 38.3, "PYTAK")
        await sender.close()
        await listener.close()
