"""Manual entries on local lists: a documented reason, an expiry, the person who entered it.

Hotlist laws (e.g. Nebraska §60-3204) require a manual entry to document its reason and to be
purged when it is no longer needed, so every manual entry expires, at most MAX_MANUAL_DAYS
ahead; it stops matching at its expiry even before the scheduled sweep takes it out.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from watchfloor.audit.service import AuditEntry, AuditLog
from watchfloor.core.context import RequestContext
from watchfloor.core.errors import Conflict, FieldProblem, InvalidInput, NotFound
from watchfloor.domain.hotlists.models import Hotlist, HotlistEntry
from watchfloor.domain.hotlists.schemas import HotlistKind, ManualEntryIn
from watchfloor.events.lpr import normalize_plate

MAX_MANUAL_DAYS = 30
_STATE = re.compile(r"^[A-Z]{2,3}$")


def checked_plate_and_state(body: ManualEntryIn, now: datetime) -> tuple[str, str | None]:
    """The normalised plate and state of a manual entry; 422 naming each field that is wrong."""
    problems: list[FieldProblem] = []
    plate = normalize_plate(body.plate)
    if not plate or len(plate) > 16:
        problems.append(FieldProblem("/plate", "needs 1 to 16 letters or digits"))
    state = body.state.strip().upper() if body.state and body.state.strip() else None
    if state is not None and not _STATE.match(state):
        problems.append(FieldProblem("/state", "is not a 2-3 letter state or province code"))
    if not body.reason.strip():
        problems.append(FieldProblem("/reason", "must document why the plate is listed"))
    if body.expires_at <= now:
        problems.append(FieldProblem("/expires_at", "must be in the future"))
    elif body.expires_at > now + timedelta(days=MAX_MANUAL_DAYS):
        problems.append(FieldProblem("/expires_at", f"at most {MAX_MANUAL_DAYS} days ahead"))
    if problems:
        raise InvalidInput("the manual entry is not valid", problems)
    return plate, state


def check_takes_manual(hotlist: Hotlist) -> None:
    """Only an active local list takes manual entries (409 otherwise)."""
    if hotlist.kind != HotlistKind.LOCAL.value:
        raise Conflict("manual entries go on local lists", "not_local")
    if not hotlist.active:
        raise Conflict("the list is deactivated", "inactive")


async def add_manual(
    session: AsyncSession,
    audit: AuditLog,
    hotlist: Hotlist,
    body: ManualEntryIn,
    context: RequestContext,
    now: datetime,
) -> HotlistEntry:
    """Store a manual entry and audit it with its reason (in the caller's transaction)."""
    plate, state = checked_plate_and_state(body, now)
    row = HotlistEntry(
        hotlist_id=hotlist.id,
        plate=plate,
        plate_raw=body.plate.strip()[:32],
        state=state,
        plate_type=body.plate_type,
        reason_code=body.reason_code.value,
        vehicle_year=body.vehicle_year,
        make=body.make,
        model=body.model,
        colour=body.colour,
        description=body.description,
        entered_at=now,
        expires_at=body.expires_at,
        entered_by=context.actor.username,
        manual_reason=body.reason.strip(),
        case_number=body.case_number,
    )
    session.add(row)
    await session.flush()
    await audit.record(
        session,
        context,
        AuditEntry(
            "hotlist.entry.added",
            object_type="hotlist_entry",
            object_id=str(row.id),
            reason=row.manual_reason,
            case_number=row.case_number,
            details=_details(hotlist, row),
        ),
    )
    return row


async def remove_manual(
    session: AsyncSession,
    audit: AuditLog,
    hotlist: Hotlist,
    entry_id: int,
    reason: str,
    context: RequestContext,
    now: datetime,
) -> HotlistEntry:
    """Mark a manual entry removed and audit why (in the caller's transaction)."""
    row = await session.get(HotlistEntry, entry_id, with_for_update=True)
    if row is None or row.hotlist_id != hotlist.id:
        raise NotFound("no such entry on this list")
    if row.manual_reason is None:
        raise Conflict("imported entries change only with their list's refresh", "imported")
    if row.removed_at is not None:
        raise Conflict("the entry is already removed", "removed")
    row.removed_at = now
    row.removed_by = context.actor.username
    await audit.record(
        session,
        context,
        AuditEntry(
            "hotlist.entry.removed",
            object_type="hotlist_entry",
            object_id=str(row.id),
            reason=reason,
            case_number=row.case_number,
            details=_details(hotlist, row),
        ),
    )
    return row


def _details(hotlist: Hotlist, row: HotlistEntry) -> dict[str, str | None]:
    return {
        "hotlist_id": str(hotlist.id),
        "hotlist": hotlist.name,
        "plate": row.plate,
        "state": row.state,
        "reason_code": row.reason_code,
        "expires_at": row.expires_at.isoformat() if row.expires_at else None,
    }
