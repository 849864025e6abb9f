"""Storing one alert report inside the caller's transaction: a new (source, source_ref) makes a
new alert; a later report merges into the alert its source feeds; an identical one is a
duplicate and changes nothing."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal

import orjson
from sqlalchemy import select
from sqlalchemy.orm import Session

from watchfloor.domain.alerts.models import (
    Alert,
    AlertSource,
    AlertSourceReport,
    cell_of,
    new_id,
)
from watchfloor.events.alerts import AlertReport, AlertStatus
from watchfloor.settings import AlertSettings

Outcome = Literal["created", "updated", "duplicate"]


@dataclass(frozen=True)
class Stored:
    """What storing one report did."""

    alert: Alert
    outcome: Outcome


def digest(report: AlertReport) -> str:
    """SHA-256 of the report's canonical JSON: equal digests mean identical reports."""
    document = report.model_dump(mode="json")
    return hashlib.sha256(orjson.dumps(document, option=orjson.OPT_SORT_KEYS)).hexdigest()


def default_priority(report: AlertReport, settings: AlertSettings) -> int:
    """The report's own priority, else the configured one for its kind."""
    if report.priority is not None:
        return report.priority
    return settings.default_priority.get(report.kind.value, settings.fallback_priority)


def store_report(
    session: Session, report: AlertReport, now: datetime, settings: AlertSettings
) -> Stored:
    """Store one report (flushes, so later reports in the same batch see it)."""
    fingerprint = digest(report)
    source = session.scalar(
        select(AlertSource).where(
            AlertSource.source == report.source, AlertSource.source_ref == report.source_ref
        )
    )
    if source is None:
        alert = _new_alert(report, now, settings)
        session.add(alert)
        source = _new_source(alert.id, report, now)
        session.add(source)
        session.flush()
        _keep_report(session, source, report, now, fingerprint)
        session.flush()
        return Stored(alert, "created")
    found = session.get(Alert, source.alert_id, with_for_update=True)
    if found is None:  # impossible while the foreign key holds
        raise LookupError(f"alert {source.alert_id} of source {source.id} is missing")
    alert = found
    if _seen(session, source.id, fingerprint):
        return Stored(alert, "duplicate")
    source.reports += 1
    source.last_received_at = now
    alert.report_count += 1
    alert.updated_at = now
    if (alert.source, alert.source_ref) == (report.source, report.source_ref):
        apply_update(alert, report, now)
    _keep_report(session, source, report, now, fingerprint)
    session.flush()
    return Stored(alert, "updated")


def apply_update(alert: Alert, report: AlertReport, now: datetime) -> None:
    """A later report of the alert's own source: newer title, details, location, end."""
    alert.title = report.title
    alert.details = {**alert.details, **report.details}
    if report.severity is not None:
        alert.severity = report.severity
    if report.priority is not None:
        alert.priority = min(alert.priority, report.priority)
    if report.lat is not None and report.lon is not None:
        alert.lat, alert.lon = report.lat, report.lon
        alert.cell = cell_of(report.lat, report.lon)
        alert.location_error_m = report.location_error_m
    for name in ("address", "beat", "subject"):
        value = getattr(report, name)
        if value is not None:
            setattr(alert, name, value)
    if report.ended and alert.ended_at is None:
        alert.ended_at = now


def _new_alert(report: AlertReport, now: datetime, settings: AlertSettings) -> Alert:
    return Alert(
        **_location(report),
        id=new_id(),
        kind=report.kind.value,
        status=AlertStatus.NEW.value,
        priority=default_priority(report, settings),
        severity=report.severity,
        title=report.title,
        source=report.source,
        source_ref=report.source_ref,
        occurred_at=report.occurred_at,
        received_at=now,
        updated_at=now,
        ended_at=now if report.ended else None,
        subject=report.subject,
        report_count=1,
        escalated_to=[],
        details=dict(report.details),
    )


def _location(report: AlertReport) -> dict[str, Any]:
    located = report.lat is not None and report.lon is not None
    return {
        "lat": report.lat if located else None,
        "lon": report.lon if located else None,
        "cell": cell_of(report.lat, report.lon),
        "location_error_m": report.location_error_m,
        "address": report.address,
        "beat": report.beat,
    }


def _new_source(alert_id: str, report: AlertReport, now: datetime) -> AlertSource:
    return AlertSource(
        alert_id=alert_id,
        source=report.source,
        source_ref=report.source_ref,
        first_received_at=now,
        last_received_at=now,
        reports=1,
    )


def _keep_report(
    session: Session, source: AlertSource, report: AlertReport, now: datetime, digest_: str
) -> None:
    session.add(
        AlertSourceReport(
            source_id=source.id,
            received_at=now,
            occurred_at=report.occurred_at,
            ended=report.ended,
            digest=digest_,
            report=report.model_dump(mode="json"),
        )
    )


def _seen(session: Session, source_id: int, fingerprint: str) -> bool:
    found = session.scalar(
        select(AlertSourceReport.id)
        .where(AlertSourceReport.source_id == source_id, AlertSourceReport.digest == fingerprint)
        .limit(1)
    )
    return found is not None
