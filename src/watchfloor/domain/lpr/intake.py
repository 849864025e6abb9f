"""The read intake: decode, check against readers, time and place, store images, match every read
against the hotlists, write the batch and its alerts durably, then acknowledge.

A batch is accepted read by read: good reads are stored, bad ones are quarantined together (only
they, so a replay cannot store a good read twice) and each is named in the answer."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, NoReturn, Protocol

import msgspec

from watchfloor.core.bus import EventBus
from watchfloor.core.clock import Clock
from watchfloor.core.errors import DomainError, FieldProblem, InvalidInput
from watchfloor.core.events import Event
from watchfloor.core.health import HealthRegistry
from watchfloor.domain.hotlists.matcher import HotlistMatcher
from watchfloor.domain.lpr.alerts import HitRead, PlateAlerts
from watchfloor.domain.lpr.checks import ReadChecker, ReadFacts
from watchfloor.domain.lpr.images import ImageStore
from watchfloor.domain.lpr.schemas import IntakeResult, RejectedRead
from watchfloor.domain.lpr.store import PLATE, PlateIndexer, ReadRow
from watchfloor.domain.lpr.writes import ReadWriter
from watchfloor.domain.quarantine.service import QuarantineService
from watchfloor.events.lpr import PlateReadReport, ReadsStored
from watchfloor.settings import LprSettings

log = logging.getLogger(__name__)

HTTP_SOURCE = "lpr-http"
MQTT_SOURCE = "lpr-mqtt"
ONVIF_SOURCE = "lpr-onvif"
ONVIF_HELD_TYPE = "application/vnd.watchfloor.onvif-notification+json"


class Decoded(Protocol):
    """What the JSON read connector hands back (connectors.lpr.json_reads.DecodedReads)."""

    reads: list[tuple[int, PlateReadReport]]
    problems: dict[int, list[FieldProblem]]
    batch: bool


Decode = Callable[[bytes, int, str | None], Decoded]
"""The connector's decoder: (payload, max batch, default reader) -> reads and problems."""
ParseOnvif = Callable[[bytes, str], tuple[list[PlateReadReport], list[FieldProblem]]]
"""The ONVIF connector's mapper: (notification XML, reader code) -> reads and problems."""


@dataclass
class Outcome:
    """What one pass of the intake did."""

    accepted: int = 0
    hits: int = 0
    alert_ids: list[str] = field(default_factory=list)
    problems: dict[int, list[FieldProblem]] = field(default_factory=dict)


class ReadIntake:
    """Accepts plate reads from HTTP, MQTT and ONVIF into the store, raising alerts on hits."""

    def __init__(
        self,
        writer: ReadWriter,
        plates: PlateIndexer,
        checker: ReadChecker,
        matcher: HotlistMatcher,
        alerts: PlateAlerts,
        images: ImageStore,
        quarantine: QuarantineService,
        health: HealthRegistry,
        bus: EventBus,
        clock: Clock,
        decode: Decode,
        parse_onvif: ParseOnvif,
        settings: LprSettings,
        stale_after_s: float,
    ) -> None:
        self._writer = writer
        self._plates = plates
        self._checker = checker
        self._matcher = matcher
        self._alerts = alerts
        self.images = images
        self._quarantine = quarantine
        self._health = health
        self._bus = bus
        self._clock = clock
        self._decode = decode
        self._parse_onvif = parse_onvif
        self._settings = settings
        self._stale_after_s = stale_after_s
        for source in (HTTP_SOURCE, MQTT_SOURCE):
            quarantine.register_replayer(source, self._replay_for(source))
        quarantine.register_replayer(ONVIF_SOURCE, self._replay_onvif)

    async def accept_http(self, raw: bytes, content_type: str | None) -> IntakeResult:
        """A posted read or batch: stored, or quarantined read by read (422 when none is good)."""
        return await self._accept(raw, content_type, HTTP_SOURCE, None)

    async def accept_mqtt(self, topic: str, payload: bytes, reader: str | None) -> None:
        """One MQTT message (the reader may come from the topic); bad reads are quarantined and
        never raise, so the broker's message is acknowledged once it is safe here."""
        try:
            await self._accept(payload, "application/json", MQTT_SOURCE, reader)
        except DomainError as error:
            log.info("MQTT reads on %s refused: %s", topic, error.message)

    async def accept_onvif(self, raw: bytes, content_type: str | None, reader: str) -> Outcome:
        """An ONVIF LicensePlate event notification from a camera: stored whole, or refused and
        quarantined whole with its reader (notifications are small, and a replay must not store
        a read twice)."""
        self._health.feed(ONVIF_SOURCE, self._stale_after_s)
        try:
            indexed = await self._onvif_reads(raw, reader)
        except DomainError as error:
            held = msgspec.json.encode({"reader": reader, "xml_base64": raw})
            await self._quarantine.hold(ONVIF_SOURCE, held, ONVIF_HELD_TYPE, error)
            self._health.feed_rejected(ONVIF_SOURCE, error.message)
            raise
        outcome = await self.process(indexed, batch=True)
        self._count(ONVIF_SOURCE, outcome)
        return outcome

    async def _onvif_reads(self, raw: bytes, reader: str) -> list[tuple[int, PlateReadReport]]:
        reports, problems = self._parse_onvif(raw, reader)
        indexed = list(enumerate(reports))
        found: dict[int, list[FieldProblem]] = {}
        await self._checker.check_all(indexed, self._clock.now(), True, found)
        problems += [p for index in sorted(found) for p in found[index]]
        if problems:
            raise InvalidInput(f"{len(problems)} problems in the notification", problems)
        return indexed

    async def reject_oversized(
        self, head: bytes, size: int, content_type: str | None, error: DomainError
    ) -> NoReturn:
        """Quarantine the head of a body that was over the limit, and raise its error."""
        await self._quarantine.hold(HTTP_SOURCE, head, content_type, error, size=size)
        self._health.feed_rejected(HTTP_SOURCE, error.message)
        raise error

    async def _accept(
        self, raw: bytes, content_type: str | None, source: str, reader: str | None
    ) -> IntakeResult:
        self._health.feed(source, self._stale_after_s)
        try:
            decoded = self._decode(raw, self._settings.max_batch, reader)
        except DomainError as error:
            await self._quarantine.hold(source, raw, content_type, error)
            self._health.feed_rejected(source, error.message)
            raise
        outcome = await self.process(decoded.reads, batch=decoded.batch)
        outcome.problems.update(decoded.problems)
        self._count(source, outcome)
        if not outcome.problems:
            return IntakeResult(
                accepted=outcome.accepted, hits=outcome.hits, alerts=outcome.alert_ids
            )
        return await self._refuse(raw, content_type, source, reader, decoded.batch, outcome)

    async def process(self, reads: list[tuple[int, PlateReadReport]], *, batch: bool) -> Outcome:
        """Check, match and store reads; the outcome names every refused one by its index."""
        outcome = Outcome()
        now = self._clock.now()
        rows: list[ReadRow] = []
        hit_reads: list[HitRead] = []
        facts_by_index = await self._checker.check_all(reads, now, batch, outcome.problems)
        await self._store_images(facts_by_index, batch, outcome.problems)
        received_ms = int(now.timestamp() * 1000)
        for index, facts in facts_by_index.items():
            if index in outcome.problems:
                continue
            hits = self._matcher.match(facts.plate, facts.report.region)
            if hits:
                hit_reads.append(facts.hit_read(hits))
            rows.append(facts.row(received_ms, bool(hits)))
        drafts = await self._alerts.prepare(hit_reads)
        events = await self._writer.write(rows, drafts)
        outcome.accepted, outcome.hits = len(rows), len(hit_reads)
        outcome.alert_ids = list(dict.fromkeys(e.payload.alert_id for e in events))
        for event in events:
            await self._bus.publish(event)
        if rows:
            await self._plates.note(row[PLATE] for row in rows)
            await self._publish_stored(outcome)
        return outcome

    async def _store_images(
        self, facts: dict[int, ReadFacts], batch: bool, problems: dict[int, list[FieldProblem]]
    ) -> None:
        """Write inline images (off the event loop); refuse reads whose image is bad."""
        pending = [(i, f) for i, f in facts.items() if f.has_inline_image and i not in problems]
        if not pending:
            return

        def write_all() -> None:
            for index, read in pending:
                prefix = f"/{index}" if batch else ""
                try:
                    read.store_images(self.images, prefix)
                except DomainError as error:
                    problems.setdefault(index, []).extend(error.problems)

        await asyncio.to_thread(write_all)

    def _count(self, source: str, outcome: Outcome) -> None:
        if outcome.accepted:
            self._health.feed_accepted(source, outcome.accepted)
        if outcome.problems:
            self._health.feed_rejected(source, f"{len(outcome.problems)} reads refused")

    async def _refuse(
        self,
        raw: bytes,
        content_type: str | None,
        source: str,
        reader: str | None,
        batch: bool,
        outcome: Outcome,
    ) -> IntakeResult:
        """Quarantine only the refused reads; 422 when nothing was accepted, else the partial
        result (the route answers 207)."""
        held, problems = refused_items(raw, outcome.problems, batch, reader)
        total = len(outcome.problems) + outcome.accepted
        error = InvalidInput(f"{len(outcome.problems)} of {total} reads refused", problems)
        quarantine_id = await self._quarantine.hold(source, held, content_type, error)
        if outcome.accepted == 0:
            raise InvalidInput(error.message, _original_pointers(outcome.problems))
        rejected = [
            RejectedRead(index=i, problems=[{"pointer": p.pointer, "reason": p.reason} for p in ps])
            for i, ps in sorted(outcome.problems.items())
        ]
        return IntakeResult(
            accepted=outcome.accepted,
            hits=outcome.hits,
            alerts=outcome.alert_ids,
            rejected=rejected,
            quarantine_id=quarantine_id,
        )

    async def _publish_stored(self, outcome: Outcome) -> None:
        now = self._clock.now()
        payload = ReadsStored(count=outcome.accepted, hits=outcome.hits, source="lpr")
        await self._bus.publish(
            Event[ReadsStored](
                kind="lpr.reads.stored",
                source="lpr",
                occurred_at=now,
                received_at=now,
                payload=payload,
            )
        )

    def _replay_for(self, source: str) -> Callable[[bytes], Any]:
        async def replay(body: bytes) -> str:
            decoded = self._decode(body, self._settings.max_batch, None)
            if decoded.problems:
                raise InvalidInput("reads still refused", _original_pointers(decoded.problems))
            outcome = await self.process(decoded.reads, batch=decoded.batch)
            if outcome.problems:
                raise InvalidInput("reads still refused", _original_pointers(outcome.problems))
            return f"{outcome.accepted} reads stored, {outcome.hits} hits"

        return replay

    async def _replay_onvif(self, body: bytes) -> str:
        held = msgspec.json.decode(body, type=HeldNotification)
        outcome = await self.process(
            await self._onvif_reads(held.xml_base64, held.reader), batch=True
        )
        return f"{outcome.accepted} reads stored, {outcome.hits} hits"


class HeldNotification(msgspec.Struct):
    """A quarantined ONVIF notification with the reader it came from (bytes kept exactly)."""

    reader: str
    xml_base64: bytes


def refused_items(
    raw: bytes, problems: dict[int, list[FieldProblem]], batch: bool, reader: str | None
) -> tuple[bytes, list[FieldProblem]]:
    """The refused reads alone, as a JSON array to hold, with pointers re-indexed into it (the
    reader a topic implied is written into each, so a replay knows it)."""
    try:
        document = msgspec.json.decode(raw)
    except msgspec.DecodeError:
        return raw, _original_pointers(problems)
    items = document if batch and isinstance(document, list) else [document]
    held: list[Any] = []
    pointers: list[FieldProblem] = []
    for position, index in enumerate(sorted(problems)):
        item = items[index] if index < len(items) else None
        if isinstance(item, dict) and reader is not None:
            item.setdefault("reader", reader)
        held.append(item)
        old, new = (f"/{index}" if batch else ""), f"/{position}"
        for problem in problems[index]:
            tail = (
                problem.pointer[len(old) :] if problem.pointer.startswith(old) else problem.pointer
            )
            pointers.append(FieldProblem(new + tail, problem.reason))
    return msgspec.json.encode(held), pointers


def _original_pointers(problems: dict[int, list[FieldProblem]]) -> list[FieldProblem]:
    return [p for index in sorted(problems) for p in problems[index]]
