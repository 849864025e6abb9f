"""The chain of custody: every access to and transfer of an item, written in the same
transaction as the audit record that accompanies it, so neither exists without the other."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from watchfloor.audit.service import AuditEntry, AuditLog, Outcome
from watchfloor.core.context import RequestContext
from watchfloor.domain.evidence.models import CustodyEntry, EvidenceItem
from watchfloor.domain.evidence.schemas import CustodyAction, CustodyOut

ITEM = "evidence"
PACKAGE = "evidence_package"


def custody_entry(
    item: EvidenceItem,
    action: CustodyAction,
    context: RequestContext,
    at: datetime,
    *,
    reason: str | None = None,
    recipient: str | None = None,
    detail: dict[str, Any] | None = None,
) -> CustodyEntry:
    """A new custody entry for an item (not yet added to a session)."""
    actor = context.actor
    return CustodyEntry(
        item_id=item.id,
        at=at,
        actor_username=actor.username,
        actor_role=actor.role.value if actor.role else None,
        action=action.value,
        reason=reason,
        recipient=recipient,
        detail=dict(detail or {}),
    )


async def record_item_access(
    session: AsyncSession,
    audit: AuditLog,
    context: RequestContext,
    entry: CustodyEntry,
    item: EvidenceItem,
) -> None:
    """Add a custody entry and its audit record (`evidence.<action>`) to the transaction."""
    session.add(entry)
    details = {"sha256": item.sha256, "kind": item.kind, "incident_ref": item.incident_ref}
    details |= dict(entry.detail)
    if entry.recipient:
        details["recipient"] = entry.recipient
    audit_entry = AuditEntry(
        f"evidence.{entry.action}",
        object_type=ITEM,
        object_id=item.code,
        reason=entry.reason,
        details=details,
    )
    await audit.record(session, context, audit_entry)


def package_audit(
    action: str,
    code: str,
    details: dict[str, Any],
    reason: str | None = None,
    outcome: Outcome = Outcome.SUCCESS,
) -> AuditEntry:
    """The audit record of something done to a package as a whole."""
    return AuditEntry(
        f"evidence.package_{action}",
        outcome=outcome,
        object_type=PACKAGE,
        object_id=code,
        reason=reason,
        details=details,
    )


async def custody_of(session: AsyncSession, item_ids: Iterable[int]) -> dict[int, list[CustodyOut]]:
    """The custody logs of items, oldest entry first."""
    wanted = list(item_ids)
    logs: dict[int, list[CustodyOut]] = {item_id: [] for item_id in wanted}
    if not wanted:
        return logs
    query = select(CustodyEntry).where(CustodyEntry.item_id.in_(wanted)).order_by(CustodyEntry.id)
    for row in (await session.execute(query)).scalars():
        logs[row.item_id].append(CustodyOut.model_validate(row))
    return logs


def custody_document(entries: list[CustodyOut]) -> list[dict[str, Any]]:
    """A custody log as the package's custody.json writes it."""
    return [entry.model_dump(mode="json") for entry in entries]
