"""People's side of plate alerts: the list, the audited detail and image, the verification that
must come before anyone acts, dispositions, outcomes, and precision per reader and hotlist."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import case, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from watchfloor.audit.service import AuditEntry, AuditLog
from watchfloor.core.bus import EventBus
from watchfloor.core.clock import Clock
from watchfloor.core.context import RequestContext
from watchfloor.core.errors import Conflict, FieldProblem, InvalidInput, NotFound
from watchfloor.db.engine import Database
from watchfloor.domain.lpr.alerts import alert_event
from watchfloor.domain.lpr.images import ImageStore
from watchfloor.domain.lpr.models import PlateAlert
from watchfloor.domain.lpr.schemas import (
    AlertDetail,
    AlertStatus,
    AlertSummary,
    Disposition,
    DispositionIn,
    OutcomeIn,
    PrecisionOut,
    PrecisionRow,
    VerificationIn,
)

MAX_LIST = 500


class AlertReview:
    """Verification, disposition and outcome of plate alerts, every step audited."""

    def __init__(
        self, db: Database, clock: Clock, audit: AuditLog, bus: EventBus, images: ImageStore
    ) -> None:
        self._db = db
        self._clock = clock
        self._audit = audit
        self._bus = bus
        self._images = images

    async def list(self, status: AlertStatus | None = None, limit: int = 100) -> list[AlertSummary]:
        """Alerts newest first; open ones (pending, actionable) when no status is given."""
        query = select(PlateAlert).order_by(PlateAlert.raised_at.desc()).limit(min(limit, MAX_LIST))
        if status is None:
            query = query.where(PlateAlert.status != AlertStatus.CLOSED.value)
        else:
            query = query.where(PlateAlert.status == status.value)
        async with self._db.read_session() as session:
            rows = (await session.execute(query)).scalars().all()
        return [summary_of(row) for row in rows]

    async def detail(self, alert_id: str, context: RequestContext) -> AlertDetail:
        """One alert with the read and the entry (an audited read)."""
        async with self._db.session() as session:
            row = await _get(session, alert_id)
            await self._audit.record(session, context, _entry("lpr.alert.read", row))
            return detail_of(row)

    async def image(self, alert_id: str, which: str, context: RequestContext) -> tuple[bytes, str]:
        """The alert's plate or vehicle image (an audited read)."""
        async with self._db.session() as session:
            row = await _get(session, alert_id)
            digest = row.plate_image if which == "plate" else row.vehicle_image
            if digest is None:
                raise NotFound(f"the alert has no {which} image")
            entry = _entry("lpr.image.read", row, {"image": which, "sha256": digest})
            await self._audit.record(session, context, entry)
        return self._images.read(digest)

    async def verify(
        self, alert_id: str, body: VerificationIn, context: RequestContext
    ) -> AlertDetail:
        """Record the operator's check; the alert becomes actionable only when the image shows
        the plate and the entry was confirmed active with its source."""
        if body.entry_confirmed_active and not (body.confirmed_with or "").strip():
            raise InvalidInput(
                "say how the entry was confirmed",
                [FieldProblem("/confirmed_with", "required when entry_confirmed_active is true")],
            )

        def change(row: PlateAlert) -> dict[str, Any]:
            if row.status == AlertStatus.CLOSED.value:
                raise Conflict("the alert is closed", "alert_closed")
            row.plate_matches_image = body.plate_matches_image
            row.entry_confirmed_active = body.entry_confirmed_active
            row.confirmed_with = body.confirmed_with
            row.verification_note = body.note
            row.verified_by = context.actor.designator or context.actor.username
            row.verified_at = self._clock.now()
            actionable = body.plate_matches_image and body.entry_confirmed_active
            row.status = (AlertStatus.ACTIONABLE if actionable else AlertStatus.PENDING).value
            return {
                "plate_matches_image": body.plate_matches_image,
                "entry_confirmed_active": body.entry_confirmed_active,
                "confirmed_with": body.confirmed_with,
                "actionable": actionable,
            }

        return await self._change(alert_id, "lpr.alert.verified", change, context)

    async def dispose(
        self, alert_id: str, body: DispositionIn, context: RequestContext
    ) -> AlertDetail:
        """Close the alert; `confirmed` only after a verification made it actionable."""

        def change(row: PlateAlert) -> dict[str, Any]:
            if row.status == AlertStatus.CLOSED.value:
                raise Conflict("the alert already has a disposition", "alert_closed")
            confirmed = body.disposition == Disposition.CONFIRMED
            if confirmed and row.status != AlertStatus.ACTIONABLE.value:
                raise Conflict(
                    "verify the alert (plate matches the image, entry confirmed active) "
                    "before confirming it",
                    "not_verified",
                )
            row.disposition = body.disposition.value
            row.disposition_by = context.actor.designator or context.actor.username
            row.disposition_at = self._clock.now()
            row.status = AlertStatus.CLOSED.value
            return {"disposition": body.disposition.value, "note": body.note}

        return await self._change(alert_id, "lpr.alert.disposed", change, context)

    async def record_outcome(
        self, alert_id: str, body: OutcomeIn, context: RequestContext
    ) -> AlertDetail:
        """What came of a confirmed alert (stop made, vehicle recovered, arrest), and its case."""

        def change(row: PlateAlert) -> dict[str, Any]:
            if row.disposition != Disposition.CONFIRMED.value:
                raise Conflict("only a confirmed alert has an outcome", "not_confirmed")
            row.outcome = body.outcome.value
            row.outcome_note = body.note
            row.outcome_by = context.actor.designator or context.actor.username
            row.outcome_at = self._clock.now()
            row.case_number = body.case_number or row.case_number
            row.incident_id = body.incident_id or row.incident_id
            return {"outcome": body.outcome.value, "case_number": row.case_number}

        return await self._change(alert_id, "lpr.alert.outcome", change, context)

    async def precision(self) -> PrecisionOut:
        """Per reader and per hotlist: hits, each disposition, and confirmed / all hits."""
        async with self._db.read_session() as session:
            readers = await _precision(session, PlateAlert.reader_code, PlateAlert.reader_code)
            lists = await _precision(session, PlateAlert.hotlist_id, PlateAlert.hotlist_name)
        return PrecisionOut(readers=readers, hotlists=lists)

    async def _change(
        self,
        alert_id: str,
        action: str,
        change: Callable[[PlateAlert], dict[str, Any]],
        context: RequestContext,
    ) -> AlertDetail:
        async with self._db.session() as session:
            row = await _get(session, alert_id, for_update=True)
            details = change(row)
            await self._audit.record(session, context, _entry(action, row, details))
            out = detail_of(row)
            event = alert_event(row, "lpr.alert.updated", self._clock.now())
        await self._bus.publish(event)
        return out


async def _precision(session: AsyncSession, key: Any, name: Any) -> list[PrecisionRow]:
    def count(value: str) -> Any:
        return func.sum(case((PlateAlert.disposition == value, 1), else_=0))

    query = (
        select(
            key,
            func.max(name),
            func.count(),
            count("confirmed"),
            count("misread"),
            count("entry_not_active"),
            count("no_action"),
            func.sum(case((PlateAlert.disposition.is_(None), 1), else_=0)),
        )
        .group_by(key)
        .order_by(key)
    )
    rows = (await session.execute(query)).all()
    return [
        PrecisionRow(
            key=str(r[0]),
            name=str(r[1]),
            hits=int(r[2]),
            confirmed=int(r[3] or 0),
            misread=int(r[4] or 0),
            entry_not_active=int(r[5] or 0),
            no_action=int(r[6] or 0),
            open=int(r[7] or 0),
            precision=round(int(r[3] or 0) / int(r[2]), 3) if r[2] else None,
        )
        for r in rows
    ]


def summary_of(row: PlateAlert) -> AlertSummary:
    """The list/live form of an alert."""
    return AlertSummary.model_validate(
        {**_columns(row, AlertSummary), "has_image": row.plate_image is not None}
    )


def detail_of(row: PlateAlert) -> AlertDetail:
    """The full form of an alert."""
    return AlertDetail.model_validate(
        {**_columns(row, AlertDetail), "has_image": row.plate_image is not None}
    )


def _columns(row: PlateAlert, model: type[AlertSummary]) -> dict[str, Any]:
    return {name: getattr(row, name) for name in model.model_fields if hasattr(row, name)}


async def _get(session: AsyncSession, alert_id: str, *, for_update: bool = False) -> PlateAlert:
    query = select(PlateAlert).where(PlateAlert.id == alert_id)
    if for_update:
        query = query.with_for_update()
    row = (await session.execute(query)).scalar_one_or_none()
    if row is None:
        raise NotFound("no such alert")
    return row


def _entry(action: str, row: PlateAlert, details: dict[str, Any] | None = None) -> AuditEntry:
    return AuditEntry(
        action,
        object_type="lpr_alert",
        object_id=row.id,
        case_number=row.case_number,
        details={"plate": row.plate_read, "hotlist": row.hotlist_name, **(details or {})},
    )
