"""Alert webhooks (gunshot detection, panic buttons): a body is decoded by its connector and
received by the desk whole and durably, or refused whole with every bad field named and
quarantined for replay. Feed health counts both under the source's name."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from typing import NoReturn

from watchfloor.core.context import Actor, RequestContext
from watchfloor.core.errors import DomainError, FieldProblem, InvalidInput
from watchfloor.core.health import HealthRegistry
from watchfloor.domain.alerts.schemas import IntakeResult
from watchfloor.domain.alerts.service import AlertDesk
from watchfloor.domain.quarantine.service import QuarantineService
from watchfloor.events.alerts import AlertReport
from watchfloor.settings import AlertSettings

GUNSHOT_SOURCE = "alerts-gunshot"
PANIC_SOURCE = "alerts-panic"

Decode = Callable[[bytes], list[AlertReport]]
"""A connector's decoder: body -> reports; DomainError naming each bad field."""

_REPLAY_CONTEXT = RequestContext(actor=Actor.system("quarantine-replay"))


class AlertIntake:
    """Accepts webhook bodies of the alert sources it was given decoders for."""

    def __init__(
        self,
        desk: AlertDesk,
        quarantine: QuarantineService,
        health: HealthRegistry,
        decoders: Mapping[str, Decode],
        settings: AlertSettings,
        feed_stale_after_s: float,
    ) -> None:
        self._desk = desk
        self._quarantine = quarantine
        self._health = health
        self._decoders = dict(decoders)
        self._settings = settings
        self._stale_after_s = feed_stale_after_s
        for source in self._decoders:
            quarantine.register_replayer(source, self._replayer(source))

    async def accept(
        self, source: str, raw: bytes, content_type: str | None, context: RequestContext
    ) -> IntakeResult:
        """Receive a body's reports (durable before this returns), or quarantine it and raise."""
        self._health.feed(source, self._stale_after_s)
        try:
            reports = self.decode(source, raw)
        except DomainError as error:
            await self._quarantine.hold(source, raw, content_type, error)
            self._health.feed_rejected(source, error.message)
            raise
        receipts = await self._desk.receive(reports, context)
        self._health.feed_accepted(source, len(reports))
        return IntakeResult(alerts=receipts)

    async def reject_oversized(
        self, source: str, head: bytes, size: int, content_type: str | None, error: DomainError
    ) -> NoReturn:
        """Quarantine the head of a body that was over the limit, and raise its error."""
        self._health.feed(source, self._stale_after_s)
        await self._quarantine.hold(source, head, content_type, error, size=size)
        self._health.feed_rejected(source, error.message)
        raise error

    def decode(self, source: str, raw: bytes) -> list[AlertReport]:
        """The body's reports, at most the configured number."""
        reports = self._decoders[source](raw)
        limit = self._settings.max_reports
        if len(reports) > limit:
            problem = FieldProblem("", f"at most {limit} alerts in one request")
            raise InvalidInput(f"{len(reports)} alerts in one request", [problem])
        return reports

    def _replayer(self, source: str) -> Callable[[bytes], Awaitable[str]]:
        async def replay(body: bytes) -> str:
            receipts = await self._desk.receive(self.decode(source, body), _REPLAY_CONTEXT)
            self._health.feed_accepted(source, len(receipts))
            outcomes = [r.outcome for r in receipts]
            return ", ".join(f"{outcomes.count(o)} {o}" for o in dict.fromkeys(outcomes))

        return replay
