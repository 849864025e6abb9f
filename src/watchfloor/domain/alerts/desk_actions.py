"""What operators and the correlation engine may do to an alert, as changes to its row: each
returns True when it changed something (False: already so) or raises Conflict."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import update
from sqlalchemy.orm import Session

from watchfloor.core.errors import Conflict
from watchfloor.domain.alerts.models import Alert, AlertSource
from watchfloor.events.alerts import AlertStatus

OPEN = (AlertStatus.NEW.value, AlertStatus.ACKNOWLEDGED.value)


def _refuse_unless_open(alert: Alert, action: str) -> None:
    if alert.status not in OPEN:
        raise Conflict(f"alert {alert.id} is {alert.status}: cannot {action} it", "alert_not_open")


def acknowledge(alert: Alert, now: datetime, who: str) -> bool:
    """The operator has seen it and owns it."""
    if alert.status == AlertStatus.ACKNOWLEDGED.value:
        return False
    _refuse_unless_open(alert, "acknowledge")
    alert.status = AlertStatus.ACKNOWLEDGED.value
    alert.acknowledged_by, alert.acknowledged_at = who, now
    return True


def dismiss(alert: Alert, now: datetime, who: str, reason: str) -> bool:
    """A false alarm, a test, or not for this center (the reason is kept)."""
    _refuse_unless_open(alert, "dismiss")
    alert.status = AlertStatus.DISMISSED.value
    alert.dismissed_by, alert.dismissed_at, alert.dismissed_reason = who, now, reason
    return True


def close(alert: Alert, now: datetime, who: str) -> bool:
    """Handled: nothing is left to do."""
    _refuse_unless_open(alert, "close")
    alert.status = AlertStatus.CLOSED.value
    alert.closed_by, alert.closed_at = who, now
    return True


def attach(alert: Alert, incident_id: str) -> bool:
    """The alert belongs to an incident."""
    if alert.incident_id == incident_id:
        return False
    alert.incident_id = incident_id
    return True


def escalate(alert: Alert, now: datetime, to: list[str], reason: str) -> bool:
    """Sent up to these people (added to any earlier escalation)."""
    known = list(alert.escalated_to or [])
    added = [person for person in dict.fromkeys(to) if person not in known]
    if alert.escalated_at is not None and not added:
        return False
    alert.escalated_to = known + added
    alert.escalated_at, alert.escalation_reason = now, reason
    return True


def set_priority(alert: Alert, priority: int) -> bool:
    """A rule's judgement of urgency (1 most urgent)."""
    if not 1 <= priority <= 5:
        raise ValueError(f"priority {priority} is not 1 to 5")
    if alert.priority == priority:
        return False
    alert.priority = priority
    return True


def merge(session: Session, into: Alert, duplicate: Alert) -> bool:
    """The duplicate's sources and reports now feed `into`; the duplicate is marked merged."""
    if duplicate.merged_into == into.id:
        return False
    if into.id == duplicate.id:
        raise Conflict("an alert cannot merge into itself", "alert_merge_self")
    if into.status == AlertStatus.MERGED.value:
        raise Conflict(f"alert {into.id} is itself merged into {into.merged_into}", "alert_merged")
    if duplicate.status == AlertStatus.MERGED.value:
        raise Conflict(f"alert {duplicate.id} is already merged", "alert_merged")
    session.execute(
        update(AlertSource).where(AlertSource.alert_id == duplicate.id).values(alert_id=into.id)
    )
    session.execute(
        update(Alert).where(Alert.merged_into == duplicate.id).values(merged_into=into.id)
    )
    duplicate.status, duplicate.merged_into = AlertStatus.MERGED.value, into.id
    into.report_count += duplicate.report_count
    into.priority = min(into.priority, duplicate.priority)
    into.incident_id = into.incident_id or duplicate.incident_id
    return True
