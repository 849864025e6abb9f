"""The NMEA listeners on real loopback sockets: UDP datagrams, TCP streams, drops counted."""

from __future__ import annotations

import asyncio
import socket
from collections.abc import AsyncIterator

import pytest

from tests.connectors.nmea.sentences import gga, rmc
from watchfloor.connectors.nmea.listener import ListenerLimits, NmeaListener
from watchfloor.connectors.nmea.parser import NmeaFix

Received = asyncio.Queue[tuple[str, list[NmeaFix]]]


@pytest.fixture
async def received() -> Received:
    return asyncio.Queue()


@pytest.fixture
async def listener(received: Received) -> AsyncIterator[NmeaListener]:
    async def deliver(sender: str, fixes: list[NmeaFix]) -> None:
        await received.put((sender, fixes))

    running = NmeaListener(deliver, udp_port=0, tcp_port=0)
    await running.start()
    try:
        yield running
    finally:
        await running.stop()


def _send_udp(port: int, *datagrams: bytes) -> None:
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        for datagram in datagrams:
            sock.sendto(datagram, ("127.0.0.1", port))


async def test_one_datagram_with_several_sentences(
    listener: NmeaListener, received: Received
) -> None:
    assert listener.udp_port
    _send_udp(listener.udp_port, rmc() + b"\r\n" + gga() + b"\r\n" + rmc(hhmmss="140001.00"))
    sender, fixes = await asyncio.wait_for(received.get(), 5)
    assert sender == "127.0.0.1"
    assert [f.sentence for f in fixes] == ["RMC", "GGA", "RMC"]  # the last without a line end


async def test_bad_lines_in_a_datagram_are_counted_not_delivered(
    listener: NmeaListener, received: Received
) -> None:
    assert listener.udp_port
    wrong = rmc()[:-2] + b"00"
    _send_udp(listener.udp_port, wrong + b"\r\n" + b"\x00\xffjunk\r\n" + gga() + b"\r\n")
    _sender, fixes = await asyncio.wait_for(received.get(), 5)
    assert [f.sentence for f in fixes] == ["GGA"]
    assert (listener.counts.bad_checksum, listener.counts.garbage) == (1, 1)


async def test_a_sentence_split_across_tcp_writes(
    listener: NmeaListener, received: Received
) -> None:
    assert listener.tcp_port
    reader, writer = await asyncio.open_connection("127.0.0.1", listener.tcp_port)
    line = rmc() + b"\r\n"
    writer.write(line[:20])
    await writer.drain()
    await asyncio.sleep(0.05)  # let the first half arrive as its own read
    assert received.empty()
    writer.write(line[20:] + gga() + b"\r\n")
    await writer.drain()
    fixes: list[NmeaFix] = []
    while len(fixes) < 2:
        _sender, more = await asyncio.wait_for(received.get(), 5)
        fixes += more
    assert [f.sentence for f in fixes] == ["RMC", "GGA"]
    writer.close()
    await writer.wait_closed()
    del reader


async def test_many_routers_each_on_their_own_stream(
    listener: NmeaListener, received: Received
) -> None:
    assert listener.tcp_port
    streams = [await asyncio.open_connection("127.0.0.1", listener.tcp_port) for _ in range(5)]
    for i, (_reader, writer) in enumerate(streams):
        writer.write(f"CAR-{i},".encode() + rmc()[: 10 + i])  # each one half a line
    for _reader, writer in streams:
        await writer.drain()
    for i, (_reader, writer) in enumerate(streams):
        writer.write(rmc()[10 + i :] + b"\r\n")
        await writer.drain()
    devices = set()
    for _ in streams:
        _sender, fixes = await asyncio.wait_for(received.get(), 5)
        devices |= {f.device for f in fixes}
    assert devices == {f"CAR-{i}" for i in range(5)}
    for _reader, writer in streams:
        writer.close()


async def test_a_slow_consumer_makes_udp_drop_and_count_not_lose_everything() -> None:
    release = asyncio.Event()
    delivered: list[NmeaFix] = []

    async def slow(sender: str, fixes: list[NmeaFix]) -> None:
        await release.wait()
        delivered.extend(fixes)

    listener = NmeaListener(slow, udp_port=0, limits=ListenerLimits(udp_queue=10))
    await listener.start()
    assert listener.udp_port
    _send_udp(listener.udp_port, *(rmc(hhmmss=f"1400{i:02d}.00") for i in range(50)))
    for _ in range(100):
        if listener.stats.udp_datagrams == 50:
            break
        await asyncio.sleep(0.01)
    assert listener.stats.udp_datagrams == 50
    dropped = listener.stats.udp_dropped
    assert dropped in (39, 40)  # ten queued (and perhaps one being delivered)
    release.set()
    await listener.stop()  # queued datagrams are still delivered
    assert len(delivered) == 50 - dropped


async def test_connections_over_the_limit_are_refused_and_counted() -> None:
    async def deliver(sender: str, fixes: list[NmeaFix]) -> None:
        del sender, fixes

    listener = NmeaListener(deliver, tcp_port=0, limits=ListenerLimits(max_tcp_connections=1))
    await listener.start()
    assert listener.tcp_port
    first = await asyncio.open_connection("127.0.0.1", listener.tcp_port)
    for _ in range(100):
        if listener.stats.tcp_open == 1:
            break
        await asyncio.sleep(0.01)
    second_reader, second = await asyncio.open_connection("127.0.0.1", listener.tcp_port)
    assert await asyncio.wait_for(second_reader.read(), 5) == b""  # closed at once
    assert listener.stats.tcp_refused == 1
    second.close()
    first[1].close()
    await listener.stop()


async def test_a_silent_router_connection_is_closed_and_counted() -> None:
    async def deliver(sender: str, fixes: list[NmeaFix]) -> None:
        del sender, fixes

    listener = NmeaListener(deliver, tcp_port=0, limits=ListenerLimits(idle_timeout_s=0.1))
    await listener.start()
    assert listener.tcp_port
    reader, writer = await asyncio.open_connection("127.0.0.1", listener.tcp_port)
    assert await asyncio.wait_for(reader.read(), 5) == b""  # the listener hung up
    assert listener.stats.tcp_idle_closed == 1
    writer.close()
    await listener.stop()
