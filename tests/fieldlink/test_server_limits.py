"""One bad client never hurts the others: a slow reader is dropped while a fast one gets every
event; garbage or an oversize event closes only the client that sent it."""

from __future__ import annotations

from tests.support.tak import RawTakClient, not_control, running_server, sa_event
from watchfloor.connectors.tak.cot import cot_xml
from watchfloor.core.clock import ManualClock


async def test_a_slow_client_is_dropped_and_a_fast_one_gets_everything(clock: ManualClock) -> None:
    async with running_server(clock, queue_size=50) as server:
        port = server.tcp_port or 0
        fast = await RawTakClient.connect(port)
        slow = await RawTakClient.connect(port, rcvbuf=4096)  # and never reads
        await fast.next_event()  # the protocol offer: fast is connected and reading
        sent = 0
        for batch in range(400):
            for _ in range(25):
                server.publish(sa_event(f"wf-{sent}", "RTCC", clock.now(), padding=4000))
                sent += 1
            for _ in range(25):  # the fast client keeps up: its queue never fills
                await fast.next_event(not_control)
            if server.stats()["dropped_slow"] and batch > 4:
                break

        stats = server.stats()
        assert stats["dropped_slow"] == 1
        assert stats["clients"] == 1
        assert [c.key for c in server.clients()] != []
        assert await slow.closed_by_server()
        server.publish(sa_event("after", "RTCC", clock.now()))
        assert (await fast.next_event(not_control)).uid == "after"
        await fast.close()
        await slow.close()


async def test_garbage_closes_only_that_client(clock: ManualClock) -> None:
    async with running_server(clock) as server:
        port = server.tcp_port or 0
        good = await RawTakClient.connect(port)
        bad = await RawTakClient.connect(port)
        await good.next_event()
        await bad.next_event()

        await bad.send(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n")

        assert await bad.closed_by_server()
        assert server.stats()["closed_bad_stream"] == 1
        await good.send(cot_xml(sa_event("ping", "x", clock.now(), kind="t-x-c-t")))
        assert (await good.next_event()).type == "t-x-c-t-r"
        await good.close()
        await bad.close()


async def test_an_oversize_event_closes_the_client(clock: ManualClock) -> None:
    async with running_server(clock, max_event_bytes=4096) as server:
        big = await RawTakClient.connect(server.tcp_port or 0)
        await big.next_event()

        await big.send(cot_xml(sa_event("big", "B", clock.now(), padding=5000)))

        assert await big.closed_by_server()
        assert server.stats()["closed_bad_stream"] == 1
        assert server.picture() == []
        await big.close()


async def test_an_invalid_event_is_rejected_and_the_stream_goes_on(clock: ManualClock) -> None:
    async with running_server(clock) as server:
        port = server.tcp_port or 0
        sender = await RawTakClient.connect(port)
        listener = await RawTakClient.connect(port)
        await listener.next_event()
        bad = cot_xml(sa_event("bad", "B", clock.now())).replace(b'lat="38.8895"', b'lat="north"')

        await sender.send(bad + cot_xml(sa_event("good", "G", clock.now())))

        assert (await listener.next_event(not_control)).uid == "good"
        assert server.stats()["rejected"] == 1
        await sender.close()
        await listener.close()
