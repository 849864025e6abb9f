"""The hard switch that keeps facial recognition and other biometric analytics away from every
video path. Blocked by default; lifting it is an admin action, audited, and refused outright where
the agency's policy forbids biometrics. Video paths hand media to analytics only through
`VideoAnalytics.dispatch`, which checks the switch on every call."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

from watchfloor.audit.service import AuditEntry, AuditLog, Outcome
from watchfloor.core.clock import Clock
from watchfloor.core.context import RequestContext
from watchfloor.core.errors import Forbidden
from watchfloor.db.engine import Database
from watchfloor.domain.cameras.viewing_models import VideoPolicy

log = logging.getLogger(__name__)
POLICY_ROW = 1


class VideoPath(StrEnum):
    """The ways video leaves a camera inside Watchfloor."""

    LIVE = "live"
    RECORDED = "recorded"
    SNAPSHOT = "snapshot"
    EXPORT = "export"


class PolicyOut(BaseModel):
    """The switch as the console shows it."""

    model_config = ConfigDict(frozen=True)

    biometrics_blocked: bool
    forbidden_by_policy: bool
    changed_at: datetime | None
    changed_by: str | None
    reason: str | None


class PolicyIn(BaseModel):
    """An admin's change of the switch, with the reason."""

    model_config = ConfigDict(extra="forbid")

    biometrics_blocked: bool
    reason: str = Field(min_length=5, max_length=500)


class BiometricsBlocked(Forbidden):
    """A biometric analytic was kept away from video."""

    def __init__(self, message: str) -> None:
        super().__init__(message, "biometrics_blocked")


class BiometricSwitch:
    """Whether biometric analytics are blocked; blocked until an admin lifts it where allowed."""

    def __init__(self, db: Database, clock: Clock, audit: AuditLog, forbidden: bool) -> None:
        self._db = db
        self._clock = clock
        self._audit = audit
        self.forbidden_by_policy = forbidden
        self._row = PolicyOut(
            biometrics_blocked=True,
            forbidden_by_policy=forbidden,
            changed_at=None,
            changed_by=None,
            reason=None,
        )
        self._listeners: list[Callable[[bool], None]] = []

    @property
    def blocked(self) -> bool:
        """True unless an admin lifted the switch (and policy allows it)."""
        return self._row.biometrics_blocked or self.forbidden_by_policy

    def on_change(self, listener: Callable[[bool], None]) -> None:
        """Call listener(blocked) whenever the switch changes."""
        self._listeners.append(listener)

    def state(self) -> PolicyOut:
        """The switch now."""
        return self._row.model_copy(update={"biometrics_blocked": self.blocked})

    async def load(self) -> None:
        """Read the switch from the store (a missing row means blocked)."""
        async with self._db.read_session() as session:
            row = await session.get(VideoPolicy, POLICY_ROW)
            if row is not None:
                self._row = _out(row, self.forbidden_by_policy)

    async def set(self, change: PolicyIn, context: RequestContext) -> PolicyOut:
        """Block or lift (audited); lifting where policy forbids is refused, and that audited."""
        action = "video.biometrics.block" if change.biometrics_blocked else "video.biometrics.lift"
        if not change.biometrics_blocked and self.forbidden_by_policy:
            entry = _entry(action, change.reason, Outcome.DENIED, "agency policy forbids")
            await self._audit.record_alone(context, entry)
            raise BiometricsBlocked("agency policy forbids biometric analytics on video")
        now = self._clock.now()
        async with self._db.session() as session:
            row = await session.get(VideoPolicy, POLICY_ROW)
            if row is None:
                row = VideoPolicy(id=POLICY_ROW, biometrics_blocked=True)
                session.add(row)
            row.biometrics_blocked = change.biometrics_blocked
            row.changed_at = now
            row.changed_by = context.actor.username
            row.reason = change.reason
            await self._audit.record(session, context, _entry(action, change.reason))
            self._row = _out(row, self.forbidden_by_policy)
        for listener in self._listeners:
            listener(self.blocked)
        return self.state()


def _out(row: VideoPolicy, forbidden: bool) -> PolicyOut:
    return PolicyOut(
        biometrics_blocked=row.biometrics_blocked or forbidden,
        forbidden_by_policy=forbidden,
        changed_at=row.changed_at,
        changed_by=row.changed_by,
        reason=row.reason,
    )


def _entry(
    action: str, reason: str, outcome: Outcome = Outcome.SUCCESS, why: str | None = None
) -> AuditEntry:
    details = {"why": why} if why else {}
    return AuditEntry(
        action,
        outcome=outcome,
        object_type="video_policy",
        object_id="biometrics",
        reason=reason,
        details=details,
    )


Media = bytes | Path
Consumer = Callable[[VideoPath, str, Media, str], Awaitable[None]]


@dataclass(frozen=True)
class Analytic:
    """A video analytic that wants media from some paths; `biometric` if it identifies people
    by face, gait, or other body features."""

    name: str
    biometric: bool
    paths: frozenset[VideoPath]
    consume: Consumer


class VideoAnalytics:
    """The analytics attached to video paths; the only way media reaches an analytic."""

    def __init__(self, switch: BiometricSwitch) -> None:
        self._switch = switch
        self._attached: dict[str, Analytic] = {}
        switch.on_change(self._switched)

    def attach(self, analytic: Analytic) -> None:
        """Attach an analytic; a biometric one is refused while the switch is on."""
        if analytic.biometric and self._switch.blocked:
            raise BiometricsBlocked(f"{analytic.name} is biometric and biometrics are blocked")
        self._attached[analytic.name] = analytic

    def detach(self, name: str) -> None:
        """Detach an analytic (no error if it was not attached)."""
        self._attached.pop(name, None)

    def attached(self) -> list[str]:
        """The names of the attached analytics."""
        return sorted(self._attached)

    def wants(self, path: VideoPath) -> bool:
        """Whether any analytic takes media from this path (a cheap check for hot paths)."""
        return any(path in analytic.paths for analytic in self._attached.values())

    async def dispatch(self, path: VideoPath, camera: str, media: Media, media_type: str) -> int:
        """Hand media to each permitted analytic of this path; how many took it."""
        taken = 0
        for analytic in list(self._attached.values()):
            if path not in analytic.paths:
                continue
            if analytic.biometric and self._switch.blocked:
                self.detach(analytic.name)  # the switch moved under us: never deliver
                continue
            await analytic.consume(path, camera, media, media_type)
            taken += 1
        return taken

    def _switched(self, blocked: bool) -> None:
        if not blocked:
            return
        for analytic in list(self._attached.values()):
            if analytic.biometric:
                log.warning("biometric analytic %s detached: biometrics blocked", analytic.name)
                self.detach(analytic.name)
