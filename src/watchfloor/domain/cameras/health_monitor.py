"""Camera health monitoring: probe cameras' streams on a schedule (and on demand), record what
each probe found, take a reference view, follow the cameras' own tamper and signal-loss events,
and turn status changes into bus events and maintenance tickets.

Probes decode video in worker threads of the monitor's own pool (never on the event loop); a
failed probe is retried with backoff before it counts, and an offline camera is probed less and
less often (every 1, 2, 4, up to 8 sweeps) so a dead camera is not hammered. `close()` stops the
pool's threads."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime
from functools import partial
from typing import Protocol

from sqlalchemy import select

from watchfloor.audit.service import AuditEntry, AuditLog
from watchfloor.connectors.rtsp.frames import FrameSample, sample_frames
from watchfloor.connectors.rtsp.source import StreamError, StreamFailure, redact
from watchfloor.core.bus import EventBus
from watchfloor.core.clock import Clock
from watchfloor.core.context import RequestContext
from watchfloor.core.errors import Conflict, NotFound
from watchfloor.core.schedule import Periodic
from watchfloor.db.engine import Database
from watchfloor.domain.cameras.health import CameraProblem, Thresholds
from watchfloor.domain.cameras.health_models import CameraHealth
from watchfloor.domain.cameras.health_records import (
    ProbeOutcome,
    apply_event,
    is_due,
)
from watchfloor.domain.cameras.health_schemas import CameraHealthOut
from watchfloor.domain.cameras.health_updates import HealthUpdates, Target
from watchfloor.domain.cameras.models import Camera
from watchfloor.domain.cameras.schemas import CameraStatus
from watchfloor.domain.cameras.tickets import TicketDesk
from watchfloor.settings import VideoSettings

log = logging.getLogger(__name__)

PROBED_STATUSES = (CameraStatus.ACTIVE, CameraStatus.DEGRADED, CameraStatus.OFFLINE)
RETRYABLE = frozenset(
    {StreamFailure.UNREACHABLE, StreamFailure.TIMEOUT, StreamFailure.ENDED, StreamFailure.GARBAGE}
)
EVENT_PROBLEMS = {
    "tamper_scene_change": CameraProblem.TAMPER_SCENE_CHANGE,
    "tamper_too_dark": CameraProblem.TAMPER_TOO_DARK,
    "tamper_too_blurry": CameraProblem.TAMPER_TOO_BLURRY,
    "signal_loss": CameraProblem.SIGNAL_LOSS,
}
SYSTEM = "system:camera-health"

Sampler = Callable[[str, float, float, threading.Event], FrameSample]


class CameraEventLike(Protocol):
    """What the monitor needs of a camera's own event (events.cameras.CameraEvent)."""

    @property
    def camera(self) -> str: ...

    @property
    def kind(self) -> str: ...

    @property
    def active(self) -> bool: ...

    @property
    def at(self) -> datetime: ...


@dataclass(frozen=True)
class RetryPolicy:
    """How a failing probe is retried before it counts: attempts in all, and the pauses."""

    attempts: int = 3
    initial_s: float = 1.0
    max_s: float = 30.0

    def pause(self, attempt: int) -> float:
        """The pause after the attempt-th failure (1-based)."""
        return float(min(self.initial_s * 2 ** (attempt - 1), self.max_s))


class HealthMonitor:
    """Probes cameras and keeps their health, tickets and the map's status current."""

    def __init__(
        self,
        db: Database,
        clock: Clock,
        bus: EventBus,
        audit: AuditLog,
        desk: TicketDesk,
        settings: VideoSettings,
        *,
        retry: RetryPolicy | None = None,
        sampler: Sampler = sample_frames,
    ) -> None:
        self._db = db
        self._clock = clock
        self._audit = audit
        self._settings = settings
        self._retry = retry or RetryPolicy(
            3, settings.reconnect_initial_s, settings.reconnect_max_s
        )
        self._sampler = sampler
        self._updates = HealthUpdates(db, clock, bus, desk, self._limits())
        self.desk = desk
        self.thread_prefix = f"camera-probe-{id(self):x}"
        self._pool = ThreadPoolExecutor(settings.probe_concurrency, self.thread_prefix)
        self._stop = threading.Event()
        self._running: dict[str, asyncio.Future[CameraHealthOut]] = {}

    def _limits(self) -> Thresholds:
        video = self._settings
        return Thresholds(video.frozen_max_change, video.black_max_luma, video.moved_threshold)

    def periodic_jobs(self) -> list[Periodic]:
        """The sweep over every camera, and retries of ticket mail that failed."""
        every = float(self._settings.probe_every_s)
        return [
            Periodic("camera-probes", every, self.probe_all, first_after_s=30.0),
            Periodic("camera-ticket-mail", 60.0, self.desk.deliver_mail, first_after_s=45.0),
        ]

    async def probe_all(self) -> int:
        """Probe every due camera in service with a stream (fixed cameras; mobile ones come
        and go); the number probed."""
        targets = await self._due_targets()
        queue = list(reversed(targets))

        async def worker() -> None:
            while queue and not self._stop.is_set():
                target = queue.pop()
                try:
                    await self._probe_once(target)
                except Exception:
                    log.exception("probe of camera %s failed", target.code)

        workers = min(self._settings.probe_concurrency, len(targets))
        await asyncio.gather(*(worker() for _ in range(workers)))
        return len(targets)

    async def probe(self, code: str) -> CameraHealthOut:
        """Probe one camera now (an ongoing probe of it is joined, not repeated)."""
        return await self._probe_once(await self._target(code))

    async def set_reference(
        self, code: str, context: RequestContext, reason: str
    ) -> CameraHealthOut:
        """Sample the camera now and make what it sees its reference view (audited)."""
        target = await self._target(code)
        outcome = await self._sample(target)
        if outcome.sample is None:
            raise Conflict(f"camera {code} cannot be sampled: {outcome.detail}", "camera_offline")
        entry = AuditEntry(
            "camera.reference.set",
            object_type="camera",
            object_id=code,
            reason=reason,
            details={"codec": outcome.sample.codec, "frames": outcome.sample.frames},
        )
        return await self._updates.record_probe(
            target, outcome, self._every(), context.actor.username, (self._audit, context, entry)
        )

    async def on_camera_event(self, event: CameraEventLike) -> None:
        """A camera reported tampering or signal loss starting or ending (others are ignored)."""
        problem = EVENT_PROBLEMS.get(str(event.kind))
        if problem is None:
            return
        try:
            target = await self._target(event.camera)
        except NotFound:
            log.info("event from unregistered camera %r ignored", event.camera[:64])
            return
        await self._updates.record(
            target, lambda row, now: apply_event(row, problem, event.active, event.at, now)
        )

    async def follow_events(self) -> None:
        """Task body: feed the cameras' own events from the bus (`camera.<kind>.started` and
        `.ended`) to on_camera_event until cancelled."""
        subscription = self._updates.bus.subscribe("camera.>")
        try:
            async for event in subscription:
                if not event.kind.endswith((".started", ".ended")):
                    continue
                try:
                    await self.on_camera_event(event.payload)
                except Exception:
                    log.exception("camera event %s not applied", event.kind)
        finally:
            subscription.close()

    async def health(self, code: str) -> CameraHealthOut:
        """One camera's health; 404 when the camera is unknown."""
        return await self._updates.health(code)

    async def overview(self) -> list[CameraHealthOut]:
        """Every camera in the registry (not retired) with its health, by code."""
        return await self._updates.overview()

    async def close(self) -> None:
        """Stop sampling, cancel probes under way and wait (briefly) for the probe threads."""
        self._stop.set()
        for task in list(self._running.values()):
            task.cancel()
        loop = asyncio.get_running_loop()
        finished = asyncio.Event()

        def shut_down() -> None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            with contextlib.suppress(RuntimeError):  # the loop may be gone by then
                loop.call_soon_threadsafe(finished.set)

        stopper = threading.Thread(target=shut_down, name=f"{self.thread_prefix}-stop")
        stopper.start()
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(finished.wait(), self._settings.open_timeout_s + 5)
        stopper.join(1.0)  # it has only to return by now

    def threads_alive(self) -> int:
        """Probe threads still running."""
        return sum(1 for t in threading.enumerate() if t.name.startswith(self.thread_prefix))

    def _every(self) -> float:
        return float(self._settings.probe_every_s)

    async def _probe_once(self, target: Target) -> CameraHealthOut:
        running = self._running.get(target.code)
        if running is not None:
            return await asyncio.shield(running)
        task = asyncio.ensure_future(self._probe(target))
        self._running[target.code] = task
        try:
            return await asyncio.shield(task)
        finally:
            if task.done():
                self._running.pop(target.code, None)
            else:
                task.add_done_callback(lambda _t: self._running.pop(target.code, None))

    async def _probe(self, target: Target) -> CameraHealthOut:
        outcome = await self._sample(target)
        return await self._updates.record_probe(target, outcome, self._every())

    async def _sample(self, target: Target) -> ProbeOutcome:
        """Sample the stream, retrying transient failures with backoff."""
        if target.url is None:
            raise Conflict(f"camera {target.code} has no stream address", "camera_no_stream")
        attempt = 0
        while True:
            attempt += 1
            try:
                sample = await self._in_thread(target.url)
                return ProbeOutcome(self._clock.now(), sample=sample)
            except StreamError as error:
                if error.failure not in RETRYABLE or attempt >= self._retry.attempts:
                    return _failed(self._clock.now(), error, target.url)
                if self._stop.is_set():
                    return _failed(self._clock.now(), error, target.url)
            await asyncio.sleep(self._retry.pause(attempt))

    async def _in_thread(self, url: str) -> FrameSample:
        video = self._settings
        call = partial(self._sampler, url, video.probe_sample_s, video.open_timeout_s, self._stop)
        return await asyncio.get_running_loop().run_in_executor(self._pool, call)

    async def _target(self, code: str) -> Target:
        async with self._db.read_session() as session:
            query = select(Camera).where(Camera.code == code)
            camera = (await session.execute(query)).scalar_one_or_none()
            if camera is None:
                raise NotFound("no such camera")
            return Target.of(camera)

    async def _due_targets(self) -> list[Target]:
        now = self._clock.now()
        statuses = [s.value for s in PROBED_STATUSES]
        query = (
            select(Camera, CameraHealth)
            .outerjoin(CameraHealth, CameraHealth.camera_code == Camera.code)
            .where(Camera.status.in_(statuses), Camera.mobile.is_(False))
            .order_by(Camera.code)
        )
        async with self._db.read_session() as session:
            rows = (await session.execute(query)).all()
        return [Target.of(c) for c, h in rows if c.has_stream and is_due(h, now)]


def _failed(now: datetime, error: StreamError, url: str) -> ProbeOutcome:
    # The detail names the failure, never the address (not even redacted) the route could show.
    detail = error.detail.replace(redact(url), "stream").strip()
    return ProbeOutcome(now, failure=error.failure, detail=f"{error.failure.value}: {detail}")
