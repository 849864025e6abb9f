"""Alert events reach the consoles through the live hub as `{"type": "alert", ...}` messages."""

from __future__ import annotations

import asyncio
from typing import Any

import orjson

from tests.domain.alerts.support import FEED, OPERATOR, gunshot
from watchfloor.app import Watchfloor
from watchfloor.core.events import Event
from watchfloor.domain.alerts.live import alert_message


async def _next_alert(outbox: asyncio.Queue[bytes]) -> dict[str, Any]:
    while True:
        message: dict[str, Any] = orjson.loads(await asyncio.wait_for(outbox.get(), 5))
        if message["type"] == "alert":
            return message


async def test_raised_and_acknowledged_alerts_reach_a_console(wf: Watchfloor) -> None:
    hub = asyncio.create_task(wf.live.run())
    await asyncio.sleep(0)  # let the hub subscribe to the bus
    try:
        await _raised_and_acknowledged(wf)
    finally:
        hub.cancel()


async def _raised_and_acknowledged(wf: Watchfloor) -> None:
    console = wf.live.attach(None, None).listener
    [receipt] = await wf.alerts.receive([gunshot(wf.clock)], FEED)
    raised = await _next_alert(console.outbox)
    assert raised["kind"] == "alert.raised"
    assert raised["alert"]["alert_id"] == receipt.alert_id
    assert raised["alert"]["kind"] == "gunshot"
    assert raised["alert"]["title"] == "Multiple gunshots, 4 rounds"
    assert raised["alert"]["sources"] == ["alerts-gunshot"]
    await wf.alerts.acknowledge(receipt.alert_id, OPERATOR)
    acknowledged = await _next_alert(console.outbox)
    assert acknowledged["kind"] == "alert.acknowledged"
    assert acknowledged["alert"]["acknowledged_by"] == "op.lee"
    assert acknowledged["seq"] > raised["seq"]


async def test_a_foreign_payload_under_alert_is_skipped(wf: Watchfloor) -> None:
    now = wf.clock.now()
    event: Event[Any] = Event[Any](
        kind="alert.raised", source="x", occurred_at=now, received_at=now, payload={"a": 1}
    )
    assert await alert_message(event) is None
