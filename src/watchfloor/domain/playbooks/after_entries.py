"""One after-action entry per thing that happened, from each source: the incident timeline, the
EIDO documents, alerts, camera views, audit records and playbook steps."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any, Protocol

from watchfloor.audit.models import AuditRecord
from watchfloor.domain.cameras.viewing_schemas import ViewOut
from watchfloor.domain.incidents.models import EidoDocument, IncidentTimelineEntry
from watchfloor.domain.playbooks.models import PlaybookRun, PlaybookStep
from watchfloor.domain.playbooks.schemas import AfterActionEntry, StepState

MAX_TEXT = 300

# Audit twins of entries another source already lists with the same actor and time.
DUPLICATED_AUDIT = frozenset(
    {
        "incident.claimed",
        "incident.released",
        "incident.note.added",
        "incident.ingested",
        "playbook.run.started",
        "playbook.step.completed",
        "playbook.step.skipped",
    }
)


class AlertView(Protocol):
    """What the after-action needs of an alert (AlertDesk's AlertOut has it)."""

    @property
    def id(self) -> str: ...
    @property
    def kind(self) -> str: ...
    @property
    def status(self) -> str: ...
    @property
    def priority(self) -> int: ...
    @property
    def title(self) -> str: ...
    @property
    def occurred_at(self) -> datetime: ...
    @property
    def received_at(self) -> datetime: ...
    @property
    def acknowledged_by(self) -> str | None: ...
    @property
    def acknowledged_at(self) -> datetime | None: ...
    @property
    def escalated_at(self) -> datetime | None: ...
    @property
    def escalated_to(self) -> Sequence[str]: ...
    @property
    def dismissed_reason(self) -> str | None: ...


def _short(text: str | None) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= MAX_TEXT else text[: MAX_TEXT - 3] + "..."


def _timeline_summary(entry: IncidentTimelineEntry, notes: dict[str, str]) -> str:
    details = entry.details or {}
    fixed = {
        "incident.created": "Incident received",
        "claimed": f"Claimed by {entry.actor}",
        "released": f"Released by {entry.actor}",
    }
    if entry.kind in fixed:
        return fixed[entry.kind]
    if entry.kind == "status.changed":
        return f"Status {details.get('from')} -> {details.get('to')}"
    if entry.kind == "unit.status.changed":
        before = details.get("from") or "new"
        return f"Unit {details.get('unit')}: {before} -> {details.get('to')}"
    if entry.kind == "note.added":
        ref = str(details.get("eido_id") or details.get("note_id") or "")
        return _short(f"Note ({details.get('origin', 'cad')}): {notes.get(ref, '')}")
    facts = ", ".join(f"{k}={v}" for k, v in details.items() if not isinstance(v, dict | list))
    what = entry.kind.replace(".", " ").replace("_", " ")
    return _short(f"{what}: {facts}" if facts else what)


def from_timeline(
    rows: Sequence[IncidentTimelineEntry], notes: dict[str, str]
) -> list[AfterActionEntry]:
    """The incident timeline (status, units, notes, claims, correlation), less the playbook
    entries, which the run lists with more detail."""
    return [
        AfterActionEntry(
            at=row.at,
            kind=row.kind,
            actor=row.actor,
            summary=_timeline_summary(row, notes),
            details={"source": "timeline", **(row.details or {})},
        )
        for row in rows
        if not row.kind.startswith("playbook.")
    ]


def from_documents(rows: Sequence[EidoDocument]) -> list[AfterActionEntry]:
    """Every EIDO document received about the incident."""
    return [
        AfterActionEntry(
            at=row.received_at,
            kind="eido.received",
            actor=row.source,
            summary=f"EIDO document received ({row.outcome})",
            details={
                "source": "eido",
                "document_id": row.id,
                "outcome": row.outcome,
                "sha256": row.sha256,
                "last_updated_at": row.last_updated_at.isoformat(),
            },
        )
        for row in rows
    ]


def from_alerts(alerts: Sequence[AlertView]) -> list[AfterActionEntry]:
    """Each attached alert: raised, acknowledged and escalated."""
    found: list[AfterActionEntry] = []
    for alert in alerts:
        facts: dict[str, Any] = {
            "source": "alert",
            "alert_id": alert.id,
            "alert_kind": str(alert.kind),
            "status": str(alert.status),
            "priority": alert.priority,
        }
        kind_name = str(alert.kind).capitalize()
        title = _short(f"{kind_name} alert P{alert.priority}: {alert.title}")
        found.append(
            AfterActionEntry(
                at=alert.occurred_at,
                kind="alert.raised",
                actor=f"alert:{alert.kind}",
                summary=title,
                details=facts,
            )
        )
        if alert.acknowledged_at is not None:
            found.append(
                AfterActionEntry(
                    at=alert.acknowledged_at,
                    kind="alert.acknowledged",
                    actor=alert.acknowledged_by or "unknown",
                    summary=f"{kind_name} alert acknowledged",
                    details=facts,
                )
            )
        if alert.escalated_at is not None:
            to = ", ".join(alert.escalated_to) or "the supervisor on duty"
            found.append(
                AfterActionEntry(
                    at=alert.escalated_at,
                    kind="alert.escalated",
                    actor="system:correlation",
                    summary=_short(f"{kind_name} alert escalated to {to}"),
                    details=facts,
                )
            )
    return found


def from_views(views: Sequence[ViewOut]) -> list[AfterActionEntry]:
    """Camera views opened for the incident or its alerts."""
    found = []
    for view in views:
        length = f" for {view.duration_s:.0f} s" if view.duration_s is not None else ""
        reason = f"{view.reason_kind.value} {view.reason_ref or ''}".strip()
        found.append(
            AfterActionEntry(
                at=view.started_at,
                kind=f"camera.{view.action.value}",
                actor=view.username,
                summary=f"Camera {view.camera}: {view.action.value}{length} ({reason})",
                details={
                    "source": "camera_view",
                    "view_id": view.view_id,
                    "camera": view.camera,
                    "action": view.action.value,
                    "ended_at": view.ended_at.isoformat() if view.ended_at else None,
                    "duration_s": view.duration_s,
                },
            )
        )
    return found


def from_audit(records: Sequence[AuditRecord]) -> list[AfterActionEntry]:
    """Audit records about the incident (reads, exports, context packets ...), less the twins
    of what the timeline and the run already list."""
    return [
        AfterActionEntry(
            at=record.occurred_at,
            kind=record.action,
            actor=record.actor_designator or record.actor_username,
            summary=_short(
                f"{record.action} ({record.outcome})"
                + (f": {record.reason}" if record.reason else "")
            ),
            details={
                "source": "audit",
                "seq": record.seq,
                "username": record.actor_username,
                "outcome": record.outcome,
            },
        )
        for record in records
        if record.action not in DUPLICATED_AUDIT
    ]


def from_run(run: PlaybookRun | None, steps: Sequence[PlaybookStep]) -> list[AfterActionEntry]:
    """The playbook run: its start, and each step done, skipped or lapsed."""
    if run is None:
        return []
    base = {"source": "playbook", "playbook": run.playbook_code}
    found = [
        AfterActionEntry(
            at=run.started_at,
            kind="playbook.started",
            actor="system:playbooks",
            summary=f"Playbook started: {run.title} ({len(steps)} steps)",
            details=dict(base),
        )
    ]
    for step in steps:
        facts = {
            **base,
            "step": step.key,
            "due_at": step.due_at.isoformat() if step.due_at else None,
        }
        if step.lapsed_at is not None:
            found.append(
                AfterActionEntry(
                    at=step.lapsed_at,
                    kind="playbook.step.lapsed",
                    actor="system:playbooks",
                    summary=f"Step overdue: {step.title}",
                    details=facts,
                )
            )
        if step.done_at is not None:
            done = step.state == StepState.DONE.value
            verb = "Step done" if done else "Step skipped"
            extra = f" - {step.note}" if step.note else ""
            found.append(
                AfterActionEntry(
                    at=step.done_at,
                    kind="playbook.step.completed" if done else "playbook.step.skipped",
                    actor=step.done_by or "unknown",
                    summary=_short(f"{verb}: {step.title}{extra}"),
                    details={**facts, "note": step.note},
                )
            )
    return found
