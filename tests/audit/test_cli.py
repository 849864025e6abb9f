"""The CLI helper verifies the installation's chain and formats the answer."""

from __future__ import annotations

import asyncio

from tests.audit.tamper import tamper
from watchfloor.app import build
from watchfloor.audit.cli import format_result, verify_chain
from watchfloor.audit.service import AuditEntry
from watchfloor.core.context import Actor, RequestContext
from watchfloor.settings import Settings


def test_verify_chain_reports_intact_then_tampered(settings: Settings, database_url: str) -> None:
    async def seed() -> None:
        wf = build(settings, migrate=False)
        try:
            ctx = RequestContext(actor=Actor.system("test"))
            for n in range(3):
                await wf.audit.record_alone(ctx, AuditEntry("incident.read", object_id=str(n)))
        finally:
            await wf.stop()

    asyncio.run(seed())
    result = verify_chain(settings)
    assert result.intact
    assert "intact: 3 records" in format_result(result)
    tamper(database_url, "UPDATE audit_record SET object_id = '9' WHERE seq = 2")
    result = verify_chain(settings)
    assert not result.intact
    assert "record 2 edited" in format_result(result)
