"""EIDO intake: a delivery is stored whole and durably, or quarantined whole."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import Any, NoReturn

from watchfloor.core.clock import Clock
from watchfloor.core.context import Actor, RequestContext
from watchfloor.core.errors import DomainError, FieldProblem, InvalidInput
from watchfloor.core.health import FeedStatus, HealthRegistry
from watchfloor.domain.incidents.merge import Received
from watchfloor.domain.incidents.schemas import StoreResult
from watchfloor.domain.incidents.service import IncidentService
from watchfloor.domain.quarantine.service import QuarantineService
from watchfloor.events.cad import IncidentReport
from watchfloor.settings import EidoSettings

log = logging.getLogger(__name__)

SplitBatch = Callable[[bytes, int], list[Any]]
"""The EIDO connector's parser: one document or a batch array into documents."""
Translate = Callable[[Any, EidoSettings, datetime], IncidentReport]
"""The EIDO connector's translation of one document into a CAD report."""

_REPLAY_CONTEXT = RequestContext(actor=Actor.system("quarantine-replay"))
HTTP_SOURCE = "eido-http"
LINK_SOURCE = "cad-link"


class IncidentIntake:
    """Accepts EIDO deliveries (HTTP posts, the CAD link) into the incidents service."""

    def __init__(
        self,
        incidents: IncidentService,
        quarantine: QuarantineService,
        health: HealthRegistry,
        clock: Clock,
        translate: Translate,
        split_batch: SplitBatch,
        settings: EidoSettings,
        feed_stale_after_s: float,
    ) -> None:
        self._incidents = incidents
        self._quarantine = quarantine
        self._health = health
        self._clock = clock
        self._translate = translate
        self._split_batch = split_batch
        self._settings = settings
        self._stale_after_s = feed_stale_after_s
        for source in (HTTP_SOURCE, LINK_SOURCE):
            quarantine.register_replayer(source, self._replay_for(source))

    async def accept_http(
        self, raw: bytes, content_type: str | None, context: RequestContext
    ) -> list[StoreResult]:
        """Store a posted document or batch; a bad one is quarantined and its error raised."""
        now = self._clock.now()
        try:
            items = self.parse(raw, now, HTTP_SOURCE)
        except DomainError as error:
            await self._reject(HTTP_SOURCE, raw, content_type, error)
        results = await self._incidents.store(items, context)
        self._feed(HTTP_SOURCE)
        self._health.feed_accepted(HTTP_SOURCE, len(results))
        return results

    async def reject_oversized(
        self, head: bytes, size: int, content_type: str | None, error: DomainError
    ) -> NoReturn:
        """Quarantine the head of a body that was over the limit, and raise its error."""
        self._feed(HTTP_SOURCE)
        await self._quarantine.hold(HTTP_SOURCE, head, content_type, error, size=size)
        self._health.feed_rejected(HTTP_SOURCE, error.message)
        raise error

    async def accept_document(self, raw: bytes, source: str) -> None:
        """One EIDO from the CAD link: stored, or quarantined; raises only if the store fails."""
        now = self._clock.now()
        self._feed(source)
        try:
            items = self.parse(raw, now, source)
        except DomainError as error:
            await self._quarantine.hold(source, raw, "application/json", error)
            self._health.feed_rejected(source, error.message)
            return
        results = await self._incidents.store(items, RequestContext(actor=Actor.system(source)))
        self._health.feed_accepted(source, len(results))

    def parse(self, raw: bytes, now: datetime, source: str) -> list[Received]:
        """Split and translate every document; one bad document rejects them all."""
        documents = self._split_batch(raw, self._settings.max_batch)
        if not documents:
            raise InvalidInput("no EIDO document in the payload", [FieldProblem("", "empty")])
        batch = raw.lstrip()[:1] == b"["
        items: list[Received] = []
        problems: list[FieldProblem] = []
        bad = 0
        for index, document in enumerate(documents):
            try:
                report = self._translate(document, self._settings, now)
            except DomainError as error:
                prefix = f"/{index}" if batch else ""
                found = error.problems or [FieldProblem("", error.message)]
                problems.extend(FieldProblem(prefix + p.pointer, p.reason) for p in found)
                bad += 1
                continue
            except Exception:  # a translator crash must not lose the payload: quarantine it
                log.exception("EIDO translation failed on document %d", index)
                problems.append(FieldProblem(f"/{index}" if batch else "", "not translatable"))
                bad += 1
                continue
            items.append(Received(document, report, now, source))
        if problems:
            raise InvalidInput(f"{bad} of {len(documents)} EIDO documents are invalid", problems)
        return items

    async def _reject(
        self, source: str, raw: bytes, content_type: str | None, error: DomainError
    ) -> NoReturn:
        self._feed(source)
        await self._quarantine.hold(source, raw, content_type, error)
        self._health.feed_rejected(source, error.message)
        raise error

    def _replay_for(self, source: str) -> Callable[[bytes], Awaitable[str]]:
        async def replay(body: bytes) -> str:
            items = self.parse(body, self._clock.now(), source)
            results = await self._incidents.store(items, _REPLAY_CONTEXT)
            return ", ".join(f"{r.eido_id}: {r.outcome.value}" for r in results)[:2000]

        return replay

    def _feed(self, source: str) -> FeedStatus:
        return self._health.feed(source, self._stale_after_s)
