"""Reading the audit log (auditors, supervisors) and verifying its chain (auditors), audited."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from pydantic import BaseModel, ConfigDict

from watchfloor.audit.service import AuditEntry, AuditFilter, AuditLog
from watchfloor.core.context import Role
from watchfloor.web.policy import Principal, allow

router = APIRouter(prefix="/api/audit", tags=["audit"])


class AuditRecordOut(BaseModel):
    """One audit record as readers see it."""

    model_config = ConfigDict(from_attributes=True)

    seq: int
    id: str
    occurred_at: datetime
    actor_user_id: str | None
    actor_username: str
    actor_role: str | None
    actor_designator: str | None
    action: str
    object_type: str | None
    object_id: str | None
    outcome: str
    reason: str | None
    case_number: str | None
    address: str | None
    user_agent: str | None
    request_id: str | None
    details: dict[str, Any]
    prev_hash: str
    hash: str


class AuditPage(BaseModel):
    """A page of records and the cursor for the next page (None at the end)."""

    records: list[AuditRecordOut]
    next_cursor: int | None


class VerifyOut(BaseModel):
    """The result of walking the chain."""

    intact: bool
    records: int
    head_seq: int
    tampering: str | None
    seq: int | None
    detail: str | None


def _log(request: Request) -> AuditLog:
    log: AuditLog = request.app.state.watchfloor.audit
    return log


@router.get("")
async def query_audit(
    principal: Annotated[Principal, allow(Role.AUDITOR, Role.SUPERVISOR)],
    request: Request,
    person: Annotated[str | None, Query(max_length=200)] = None,
    action: Annotated[str | None, Query(max_length=100)] = None,
    object_type: Annotated[str | None, Query(max_length=100)] = None,
    object_id: Annotated[str | None, Query(max_length=200)] = None,
    since: datetime | None = None,
    until: datetime | None = None,
    cursor: Annotated[int | None, Query(ge=0)] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
) -> AuditPage:
    """Records by person, action prefix, object, time range; paged by cursor (a sequence number)."""
    wanted = AuditFilter(person, action, object_type, object_id, since, until, cursor, limit)
    log = _log(request)
    records = await log.query(wanted)
    shown = {k: v for k, v in request.query_params.items() if k != "cursor"} | {"cursor": cursor}
    entry = AuditEntry("audit.queried", details={"filter": shown, "returned": len(records)})
    await log.record_alone(principal.context, entry)
    next_cursor = records[-1].seq if len(records) == limit else None
    return AuditPage(
        records=[AuditRecordOut.model_validate(r) for r in records], next_cursor=next_cursor
    )


@router.get("/verify")
async def verify_audit(
    principal: Annotated[Principal, allow(Role.AUDITOR)], request: Request
) -> VerifyOut:
    """Walk the hash chain and report the first tampered record, if any."""
    log = _log(request)
    result = await log.verify()
    details = {"intact": result.intact, "records": result.records, "seq": result.seq}
    await log.record_alone(principal.context, AuditEntry("audit.verified", details=details))
    return VerifyOut(
        intact=result.intact,
        records=result.records,
        head_seq=result.head_seq,
        tampering=result.tampering.value if result.tampering else None,
        seq=result.seq,
        detail=result.detail,
    )
