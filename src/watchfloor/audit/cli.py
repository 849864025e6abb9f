"""Plain functions behind `watchfloor audit verify`."""

from __future__ import annotations

import asyncio

from watchfloor.audit.service import AuditLog
from watchfloor.audit.verify import VerifyResult
from watchfloor.core.clock import SystemClock
from watchfloor.db.engine import Database
from watchfloor.settings import Settings


async def _verify(settings: Settings) -> VerifyResult:
    db = Database(settings.sqlalchemy_url(), sqlite_synchronous=settings.sqlite_synchronous)
    try:
        return await AuditLog(db, SystemClock()).verify()
    finally:
        await db.dispose()


def verify_chain(settings: Settings) -> VerifyResult:
    """Walk the installation's audit chain and say whether it is intact."""
    return asyncio.run(_verify(settings))


def format_result(result: VerifyResult) -> str:
    """One human-readable line about a verification."""
    if result.intact:
        return f"audit chain intact: {result.records} records, head at {result.head_seq}"
    kind = result.tampering.value if result.tampering else "tampered"
    return (
        f"audit chain TAMPERED: record {result.seq} {kind} ({result.detail}); "
        f"{result.records} records verified before it"
    )
