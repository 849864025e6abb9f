"""Turning a probe outcome or a camera's own event into its `camera_health` row: the measures,
the problems, the status, the reference view and when to probe an offline camera again."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from watchfloor.connectors.rtsp.frames import FrameSample
from watchfloor.connectors.rtsp.source import StreamFailure
from watchfloor.domain.cameras.health import (
    CameraProblem,
    HealthStatus,
    Thresholds,
    is_slow,
    measure,
    ordered,
    picture_problems,
    status_of,
)
from watchfloor.domain.cameras.health_models import CameraHealth
from watchfloor.domain.cameras.health_view import ViewSignature

MAX_BACKOFF_SWEEPS = 8  # an offline camera is probed at least every 8 sweeps

FAILURE_PROBLEMS: dict[StreamFailure, CameraProblem] = {
    StreamFailure.UNREACHABLE: CameraProblem.UNREACHABLE,
    StreamFailure.UNAUTHORIZED: CameraProblem.UNAUTHORIZED,
    StreamFailure.NOT_FOUND: CameraProblem.NOT_FOUND,
    StreamFailure.NO_VIDEO: CameraProblem.NO_VIDEO,
    StreamFailure.GARBAGE: CameraProblem.GARBAGE,
    StreamFailure.TIMEOUT: CameraProblem.TIMEOUT,
    StreamFailure.ENDED: CameraProblem.ENDED,
}


@dataclass(frozen=True)
class ProbeOutcome:
    """What one probe found: a sample of the stream, or why there was none."""

    checked_at: datetime
    sample: FrameSample | None = None
    failure: StreamFailure | None = None
    detail: str | None = None


@dataclass(frozen=True)
class Change:
    """A row's status before and after an update."""

    previous: HealthStatus
    status: HealthStatus

    @property
    def changed(self) -> bool:
        """Whether the status is different now."""
        return self.previous != self.status


def new_row(code: str) -> CameraHealth:
    """The health row of a camera never probed."""
    return CameraHealth(
        camera_code=code,
        status=HealthStatus.UNKNOWN.value,
        frozen=False,
        black=False,
        probe_problems=[],
        event_problems=[],
        problems=[],
        failures=0,
    )


async def health_row(session: AsyncSession, code: str, lock: bool = False) -> CameraHealth:
    """The camera's health row, created (unsaved until flush) when it has none."""
    query = select(CameraHealth).where(CameraHealth.camera_code == code)
    if lock:
        query = query.with_for_update()
    row = (await session.execute(query)).scalar_one_or_none()
    if row is None:
        row = new_row(code)
        session.add(row)
    return row


def reference_of(row: CameraHealth) -> ViewSignature | None:
    """The camera's reference view, when one is stored (by the current method)."""
    return ViewSignature.from_json(row.reference_signature)


def apply_probe(
    row: CameraHealth,
    outcome: ProbeOutcome,
    limits: Thresholds,
    every_s: float,
    new_reference_by: str | None = None,
) -> Change:
    """Record a probe on the row; a healthy first probe (or new_reference_by) sets the reference
    view. Returns the status change."""
    row.checked_at = outcome.checked_at
    if outcome.sample is None:
        _record_failure(row, outcome, every_s)
    else:
        _record_sample(row, outcome.sample, limits, new_reference_by, outcome.checked_at)
    return refresh_status(row, outcome.checked_at)


def _record_failure(row: CameraHealth, outcome: ProbeOutcome, every_s: float) -> None:
    failure = outcome.failure or StreamFailure.UNREACHABLE
    row.reachable = failure not in (StreamFailure.UNREACHABLE, StreamFailure.TIMEOUT)
    row.decodes = False
    row.fps = row.change = row.luma = row.moved_score = None
    row.frozen = row.black = False
    row.probe_problems = [FAILURE_PROBLEMS[failure].value]
    row.detail = (outcome.detail or failure.value)[:300]
    row.failures = (row.failures or 0) + 1
    sweeps = min(2 ** (row.failures - 1), MAX_BACKOFF_SWEEPS)
    row.next_probe_at = outcome.checked_at + timedelta(seconds=every_s * (sweeps - 0.5))


def _record_sample(
    row: CameraHealth,
    sample: FrameSample,
    limits: Thresholds,
    new_reference_by: str | None,
    now: datetime,
) -> None:
    measures = measure(sample.thumbnails)
    unreferenced, _ = picture_problems(measures, None, limits)
    if new_reference_by is not None or (reference_of(row) is None and not unreferenced):
        row.reference_signature = measures.signature.to_json()
        row.reference_at = now
        row.reference_by = new_reference_by or "system:camera-health"
    problems, moved = picture_problems(measures, reference_of(row), limits)
    if is_slow(sample.fps, sample.declared_fps):
        problems.append(CameraProblem.LOW_FPS)
    row.reachable = row.decodes = True
    row.codec, row.width, row.height = sample.codec[:20], sample.width, sample.height
    row.fps, row.declared_fps = round(sample.fps, 2), sample.declared_fps
    row.change, row.luma = round(measures.change, 3), round(measures.luma, 1)
    row.frozen = CameraProblem.FROZEN in problems
    row.black = CameraProblem.BLACK in problems or CameraProblem.COVERED in problems
    row.moved_score = None if moved is None else round(moved, 3)
    row.probe_problems = [p.value for p in ordered(problems)]
    row.detail = None
    row.failures = 0
    row.next_probe_at = None


def apply_event(
    row: CameraHealth, problem: CameraProblem, active: bool, at: datetime, now: datetime
) -> Change:
    """Record a condition the camera reported itself (tampering, signal loss) starting or
    ending."""
    held = set(row.event_problems or [])
    if active:
        held.add(problem.value)
        if problem != CameraProblem.SIGNAL_LOSS:
            row.last_tamper_kind, row.last_tamper_at = problem.value, at
    else:
        held.discard(problem.value)
    row.event_problems = [p.value for p in ordered(held)]
    return refresh_status(row, now)


def refresh_status(row: CameraHealth, now: datetime) -> Change:
    """Recompute the row's problems and status from its probe and event problems."""
    previous = HealthStatus(row.status)
    problems = ordered([*(row.probe_problems or []), *(row.event_problems or [])])
    row.problems = [p.value for p in problems]
    status = status_of(problems)
    if status == HealthStatus.OK and row.checked_at is None:
        status = HealthStatus.UNKNOWN
    if status != previous:
        row.status, row.status_since = status.value, now
    return Change(previous, status)


def is_due(row: CameraHealth | None, now: datetime) -> bool:
    """Whether the scheduled sweep should probe this camera now (offline ones back off)."""
    return row is None or row.next_probe_at is None or row.next_probe_at <= now


def problems_of(row: CameraHealth) -> Sequence[CameraProblem]:
    """The row's problems as values."""
    return ordered(row.problems or [])
