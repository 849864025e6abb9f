"""The TAK server routes CoT between real pytak clients: broadcast, addressed, late joiners get the
picture, stale tracks expire, a reconnect under the same uid replaces the old connection."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from tests.support.tak import (
    PytakClient,
    RawTakClient,
    not_control,
    running_server,
    sa_event,
)
from watchfloor.connectors.tak.cot import CotEvent, parse_cot
from watchfloor.core.clock import ManualClock
from watchfloor.fieldlink.clients import FieldClient
from watchfloor.fieldlink.server import TakServer

TAKY = Path(__file__).parents[1] / "fixtures" / "third_party" / "taky"


async def _pytak(server: TakServer) -> PytakClient:
    config = PytakClient.config_for(f"tcp://127.0.0.1:{server.tcp_port}")
    return await PytakClient(config).connect()


def _sent_here(event: CotEvent) -> bool:
    """Not a control event and not another client's self position."""
    return not_control(event) and not event.uid.startswith("ANDROID-")


async def _sync(client: PytakClient, clock: ManualClock) -> None:
    """Ping and wait for the answer: everything the client sent before has been handled."""
    await client.send(sa_event("ping", "x", clock.now(), kind="t-x-c-t"))
    await client.next_event(lambda e: e.type == "t-x-c-t-r")


async def _identified(
    server: TakServer, uid: str, callsign: str, clock: ManualClock
) -> PytakClient:
    """A pytak client that has announced itself (its SA event reached the server)."""
    client = await _pytak(server)
    seen = len([c for c in server.clients() if c.uid is not None])
    await client.send(sa_event(uid, callsign, clock.now()))
    await _sync(client, clock)
    assert len([c for c in server.clients() if c.uid is not None]) == seen + 1
    return client


async def test_broadcast_between_two_pytak_clients(clock: ManualClock) -> None:
    received: list[tuple[CotEvent, FieldClient]] = []

    async def on_event(event: CotEvent, client: FieldClient) -> None:
        received.append((event, client))

    async with running_server(clock, on_event) as server:
        alpha = await _identified(server, "ANDROID-alpha", "ALPHA-1", clock)
        bravo = await _identified(server, "ANDROID-bravo", "BRAVO-2", clock)

        await alpha.send(sa_event("ANDROID-alpha", "ALPHA-1", clock.now(), lat=38.5))
        got = await bravo.next_event(lambda e: e.uid == "ANDROID-alpha")
        await _sync(alpha, clock)

        assert got.lat == 38.5
        assert got.callsign == "ALPHA-1"
        assert received[-1][0].lat == 38.5
        assert received[-1][1].callsign == "ALPHA-1"
        assert {c.callsign for c in server.clients()} == {"ALPHA-1", "BRAVO-2"}
        await alpha.close()
        await bravo.close()


async def test_an_addressed_event_reaches_only_its_destination(clock: ManualClock) -> None:
    async with running_server(clock) as server:
        alpha = await _identified(server, "ANDROID-alpha", "ALPHA-1", clock)
        bravo = await _identified(server, "ANDROID-bravo", "BRAVO-2", clock)
        charlie = await _identified(server, "ANDROID-charlie", "CHARLIE-3", clock)
        chat = sa_event(
            "GeoChat.1", "ALPHA-1", clock.now(), kind="b-t-f", dests=("BRAVO-2",), remarks="hi"
        )

        await alpha.send(chat)
        await alpha.send(sa_event("marker-after", "ALPHA-1", clock.now(), kind="b-m-p-s-p-i"))

        assert (await bravo.next_event(_sent_here)).uid == "GeoChat.1"
        # charlie's next one is the broadcast sent after the chat: the chat never came
        assert (await charlie.next_event(_sent_here)).uid == "marker-after"
        assert "GeoChat.1" not in {e.uid for e in server.picture()}
        for client in (alpha, bravo, charlie):
            await client.close()


async def test_an_atak_geochat_capture_is_routed_by_callsign(clock: ManualClock) -> None:
    async with running_server(clock) as server:
        alpha = await _identified(server, "ANDROID-deadbeef", "JENNY", clock)
        joker = await _identified(server, "ANDROID-cafebabe", "JOKER MAN", clock)
        other = await _identified(server, "ANDROID-other", "OTHER", clock)

        await alpha.send((TAKY / "geochat.xml").read_bytes())
        await alpha.send(sa_event("marker-after", "JENNY", clock.now(), kind="b-m-p-s-p-i"))

        chat = await joker.next_event(_sent_here)
        assert chat.remarks == "test"
        assert "<__chat " in chat.detail_xml
        assert (await other.next_event(_sent_here)).uid == "marker-after"
        for client in (alpha, joker, other):
            await client.close()


async def test_server_publish_addressed_by_uid_and_broadcast(clock: ManualClock) -> None:
    async with running_server(clock) as server:
        alpha = await _identified(server, "ANDROID-alpha", "ALPHA-1", clock)
        bravo = await _identified(server, "ANDROID-bravo", "BRAVO-2", clock)

        sent = server.publish(
            sa_event("wf-note-1", "RTCC", clock.now(), kind="b-t-f"), to_uids=["ANDROID-bravo"]
        )
        everyone = server.publish(sa_event("wf-incident-1", "RTCC", clock.now(), kind="a-h-G"))

        assert (sent, everyone) == (1, 2)
        assert (await bravo.next_event(_sent_here)).uid == "wf-note-1"
        assert (await alpha.next_event(_sent_here)).uid == "wf-incident-1"
        assert [e.uid for e in server.picture()] == [
            "ANDROID-alpha",
            "ANDROID-bravo",
            "wf-incident-1",
        ]
        await alpha.close()
        await bravo.close()


async def test_a_late_joiner_gets_the_current_picture(clock: ManualClock) -> None:
    async with running_server(clock) as server:
        alpha = await _identified(server, "ANDROID-alpha", "ALPHA-1", clock)
        await alpha.send(sa_event("ANDROID-alpha", "ALPHA-1", clock.now(), lat=38.6))
        await _sync(alpha, clock)
        server.publish(sa_event("wf-incident-1", "RTCC", clock.now(), kind="a-h-G"))
        bravo = await _identified(server, "ANDROID-bravo", "BRAVO-2", clock)

        late = await _pytak(server)

        first = await late.next_event(not_control)
        second = await late.next_event(not_control)
        third = await late.next_event(not_control)
        assert (first.uid, first.lat) == ("ANDROID-alpha", 38.6)
        assert (second.uid, third.uid) == ("wf-incident-1", "ANDROID-bravo")
        for client in (late, alpha, bravo):
            await client.close()


async def test_stale_tracks_expire_by_the_clock(clock: ManualClock) -> None:
    async with running_server(clock) as server:
        server.publish(sa_event("short", "S", clock.now(), stale_s=60))
        server.publish(sa_event("long", "L", clock.now(), stale_s=600))

        clock.advance(timedelta(seconds=61))

        assert [e.uid for e in server.picture()] == ["long"]
        assert server.sweep() == 1
        assert server.stats()["picture"] == 1
        late = await RawTakClient.connect(server.tcp_port or 0)
        await late.send(b"<?xml version='1.0'?>" + _ping(clock))
        events = [await late.next_event() for _ in range(3)]
        assert [e.type for e in events] == ["t-x-takp-v", "a-f-G-U-C", "t-x-c-t-r"]
        assert events[1].uid == "long"
        await late.close()


async def test_an_event_already_stale_is_routed_but_not_kept(clock: ManualClock) -> None:
    async with running_server(clock) as server:
        alpha = await _identified(server, "ANDROID-alpha", "ALPHA-1", clock)
        bravo = await _identified(server, "ANDROID-bravo", "BRAVO-2", clock)
        old = sa_event("old-marker", "A", clock.now() - timedelta(hours=1), stale_s=60)

        await alpha.send(old)

        assert (await bravo.next_event(not_control)).uid == "old-marker"
        assert "old-marker" not in {e.uid for e in server.picture()}
        await alpha.close()
        await bravo.close()


async def test_a_reconnect_under_the_same_uid_replaces_the_old_connection(
    clock: ManualClock,
) -> None:
    async with running_server(clock) as server:
        old = await RawTakClient.connect(server.tcp_port or 0)
        await old.send(_sa_bytes("ANDROID-alpha", "ALPHA-1", clock) + _ping(clock))
        await old.next_event(lambda e: e.type == "t-x-c-t-r")
        new = await RawTakClient.connect(server.tcp_port or 0)

        await new.send(_sa_bytes("ANDROID-alpha", "ALPHA-1", clock) + _ping(clock))
        await new.next_event(lambda e: e.type == "t-x-c-t-r")

        assert await old.closed_by_server()
        (only,) = server.clients()
        assert only.uid == "ANDROID-alpha"
        assert server.stats()["replaced"] == 1
        server.publish(sa_event("wf-1", "RTCC", clock.now(), dests=("ALPHA-1",)))
        assert (await new.next_event(not_control)).uid == "wf-1"
        await new.close()
        await old.close()


def _sa_bytes(uid: str, callsign: str, clock: ManualClock) -> bytes:
    from watchfloor.connectors.tak.cot import cot_xml

    return cot_xml(sa_event(uid, callsign, clock.now()))


def _ping(clock: ManualClock) -> bytes:
    from watchfloor.connectors.tak.cot import cot_xml

    return cot_xml(sa_event("ping", "x", clock.now(), kind="t-x-c-t"))


def test_taky_capture_fixtures_parse() -> None:
    assert parse_cot((TAKY / "atak_sa.xml").read_bytes()).callsign == "JENNY"


async def test_a_delete_takes_its_track_out_of_the_picture(clock: ManualClock) -> None:
    async with running_server(clock) as server:
        server.publish(sa_event("marker-1", "M1", clock.now(), kind="b-m-p-s-p-i"))
        server.publish(sa_event("marker-2", "M2", clock.now(), kind="b-m-p-s-p-i"))
        delete = CotEvent(
            uid="marker-1.delete",
            type="t-x-d-d",
            how="h-g-i-g-o",
            time=clock.now(),
            start=clock.now(),
            stale=clock.now() + timedelta(seconds=60),
            lat=0.0,
            lon=0.0,
            detail_xml='<link uid="marker-1" relation="none" type="none"/><__forcedelete/>',
        )

        server.publish(delete)

        assert [e.uid for e in server.picture()] == ["marker-2"]
