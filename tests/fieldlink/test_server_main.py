"""The standalone server (`python -m watchfloor.fieldlink`) for the bench, and the app wiring:
off unless a port is configured."""

from __future__ import annotations

import asyncio
import json
import signal
import sys

from tests.support.tak import RawTakClient, not_control, sa_event
from watchfloor.app import Watchfloor, build
from watchfloor.connectors.tak.cot import cot_xml
from watchfloor.core.clock import ManualClock
from watchfloor.settings import Settings
from watchfloor.settings_field import TakSettings


async def test_the_standalone_server_prints_its_port_and_routes(clock: ManualClock) -> None:
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "watchfloor.fieldlink",
        "--host",
        "127.0.0.1",
        "--tcp-port",
        "0",
        "--queue",
        "100",
        stdout=asyncio.subprocess.PIPE,
    )
    try:
        assert process.stdout is not None
        ready = json.loads(await asyncio.wait_for(process.stdout.readline(), 30))
        assert ready["ready"] is True
        assert ready["tls_port"] is None
        a = await RawTakClient.connect(ready["tcp_port"])
        b = await RawTakClient.connect(ready["tcp_port"])
        await b.next_event()

        await a.send(cot_xml(sa_event("ANDROID-a", "A", clock.now())))

        assert (await b.next_event(not_control)).uid == "ANDROID-a"
        await a.close()
        await b.close()
    finally:
        process.send_signal(signal.SIGTERM)
        out, _ = await asyncio.wait_for(process.communicate(), 30)
    assert json.loads(out.decode().splitlines()[-1])["received"] == 1
    assert process.returncode == 0


async def test_the_app_has_no_tak_server_unless_a_port_is_set(wf: Watchfloor) -> None:
    assert wf.fieldlink.tak is None


async def test_the_app_starts_the_tak_server_on_its_port(
    settings: Settings, clock: ManualClock
) -> None:
    configured = settings.model_copy(update={"tak": TakSettings(tcp_port=0)})
    built = build(configured, clock=clock, migrate=False)
    tasks: list[asyncio.Task[None]] = []
    try:
        assert built.fieldlink.tak is not None
        await built.fieldlink.start(tasks)
        assert built.fieldlink.tak.tcp_port
        client = await RawTakClient.connect(built.fieldlink.tak.tcp_port)
        assert (await client.next_event()).type == "t-x-takp-v"
        await client.close()
    finally:
        await built.stop()
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
