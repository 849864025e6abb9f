"""With the TAK server off (the default), nothing is sent to the field: the outbound follower does
not start (saying so in the log) and intel notes are refused."""

from __future__ import annotations

import logging

import pytest
from httpx import AsyncClient

from tests.domain.incidents.support import report, store
from tests.support.auth import login_as
from watchfloor.app import Watchfloor
from watchfloor.core.context import Role


async def test_without_a_tak_server_the_field_link_is_a_no_op(
    wf: Watchfloor, client: AsyncClient, caplog: pytest.LogCaptureFixture
) -> None:
    assert wf.fieldlink.tak is None
    with caplog.at_level(logging.INFO, logger="watchfloor.fieldlink.outbound"):
        await wf.start()
    assert "TAK server is off" in caplog.text
    assert all(t.get_name() != "fieldlink-outbound" for t in wf._tasks)
    [stored] = await store(wf, report())
    assert await wf.fieldlink.field_outbound.refresh_due() == 0
    assert wf.fieldlink.field_outbound.pushed == 0
    await login_as(wf, client, Role.OPERATOR)
    refused = await client.post(
        "/api/fieldlink/notes", json={"text": "suspect on foot", "incident_id": stored.incident_id}
    )
    assert refused.status_code == 409
    assert refused.json()["error"]["code"] == "fieldlink_off"
