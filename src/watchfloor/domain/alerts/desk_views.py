"""Reading alerts back: rows with their sources as API shapes and as bus payloads."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Row, bindparam, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Session

from watchfloor.core.errors import NotFound
from watchfloor.domain.alerts.models import Alert, AlertSource
from watchfloor.domain.alerts.schemas import AlertOut, AlertSourceOut
from watchfloor.events.alerts import AlertChanged, AlertKind, AlertStatus


async def load(session: AsyncSession, alert_id: str, *, for_update: bool = False) -> Alert:
    """One alert row, or NotFound."""
    return await session.run_sync(load_in, alert_id, for_update=for_update)


def load_in(session: Session, alert_id: str, *, for_update: bool = False) -> Alert:
    """`load` in a synchronous session."""
    alert = session.get(Alert, alert_id, with_for_update=for_update)
    if alert is None:
        raise NotFound(f"no alert {alert_id}")
    return alert


# Built once with an expanding parameter: one compiled statement however many alerts it names.
_SOURCES_OF = (
    select(
        AlertSource.alert_id,
        AlertSource.source,
        AlertSource.source_ref,
        AlertSource.first_received_at,
        AlertSource.reports,
    )
    .where(AlertSource.alert_id.in_(bindparam("ids", expanding=True)))
    .order_by(AlertSource.first_received_at, AlertSource.id)
)
SourceRow = Row[str, str, str, datetime, int]


def group_sources(
    alert_ids: Sequence[str], rows: Iterable[SourceRow]
) -> dict[str, list[AlertSourceOut]]:
    """Source rows as API shapes, by alert (every alert named, even without sources)."""
    found: dict[str, list[AlertSourceOut]] = {alert_id: [] for alert_id in alert_ids}
    for alert_id, source, source_ref, first_received_at, reports in rows:
        found[alert_id].append(
            AlertSourceOut(
                source=source, source_ref=source_ref, received_at=first_received_at, reports=reports
            )
        )
    return found


async def sources_of(
    session: AsyncSession, alert_ids: Sequence[str]
) -> dict[str, list[AlertSourceOut]]:
    """The sources feeding each alert, first to report first."""
    return await session.run_sync(sources_in, alert_ids)


def sources_in(session: Session, alert_ids: Sequence[str]) -> dict[str, list[AlertSourceOut]]:
    """`sources_of` in a synchronous session."""
    if not alert_ids:
        return {}
    rows = session.execute(_SOURCES_OF, {"ids": list(dict.fromkeys(alert_ids))})
    return group_sources(alert_ids, rows)


def alert_out(alert: Alert, sources: list[AlertSourceOut]) -> AlertOut:
    """The API shape of one alert."""
    return AlertOut(**alert_fields(alert, sources))


def alert_fields(alert: Alert, sources: list[AlertSourceOut]) -> dict[str, Any]:
    """The fields of an alert's API shape (for AlertOut and the shapes that extend it)."""
    return dict(
        id=alert.id,
        kind=AlertKind(alert.kind),
        status=AlertStatus(alert.status),
        priority=alert.priority,
        severity=alert.severity,
        title=alert.title,
        occurred_at=alert.occurred_at,
        received_at=alert.received_at,
        updated_at=alert.updated_at,
        lat=alert.lat,
        lon=alert.lon,
        location_error_m=alert.location_error_m,
        address=alert.address,
        beat=alert.beat,
        subject=alert.subject,
        incident_id=alert.incident_id,
        merged_into=alert.merged_into,
        acknowledged_by=alert.acknowledged_by,
        acknowledged_at=alert.acknowledged_at,
        escalated_at=alert.escalated_at,
        escalated_to=list(alert.escalated_to or []),
        dismissed_reason=alert.dismissed_reason,
        sources=sources,
        details=dict(alert.details or {}),
    )


async def alerts_out(session: AsyncSession, alerts: Sequence[Alert]) -> list[AlertOut]:
    """API shapes of several alerts, their sources read in one query."""
    sources = await sources_of(session, [a.id for a in alerts])
    return [alert_out(a, sources[a.id]) for a in alerts]


def changed(alert: Alert, sources: list[AlertSourceOut]) -> AlertChanged:
    """The bus payload of an alert as it stands."""
    return AlertChanged(
        alert_id=alert.id,
        kind=AlertKind(alert.kind),
        status=AlertStatus(alert.status),
        priority=alert.priority,
        title=alert.title,
        occurred_at=alert.occurred_at,
        updated_at=alert.updated_at,
        lat=alert.lat,
        lon=alert.lon,
        address=alert.address,
        subject=alert.subject,
        incident_id=alert.incident_id,
        sources=list(dict.fromkeys(s.source for s in sources)),
        report_count=alert.report_count,
        acknowledged_by=alert.acknowledged_by,
        escalated_at=alert.escalated_at,
        merged_into=alert.merged_into,
        details=dict(alert.details or {}),
    )


async def changed_of(session: AsyncSession, alerts: Sequence[Alert]) -> list[AlertChanged]:
    """Bus payloads of several alerts."""
    return await session.run_sync(changed_in, alerts)


def changed_in(session: Session, alerts: Sequence[Alert]) -> list[AlertChanged]:
    """`changed_of` in a synchronous session."""
    sources = sources_in(session, [a.id for a in alerts])
    return [changed(a, sources[a.id]) for a in alerts]
