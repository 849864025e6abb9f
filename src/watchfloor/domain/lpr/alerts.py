"""Plate alerts: a hotlist hit becomes an alert an operator verifies before anyone acts on it.

Raising happens inside the read batch's transaction (`prepare` before it, `write` in it); people
then verify, dispose and record outcomes through the audited methods in `review.py`."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

import msgspec
from sqlalchemy import select, text
from sqlalchemy.ext.asyncio import AsyncSession

from watchfloor.core.clock import Clock
from watchfloor.core.events import Event
from watchfloor.domain.hotlists.corroboration import Corroboration, corroborate
from watchfloor.domain.hotlists.matcher import Hit
from watchfloor.domain.hotlists.service import EntryFacts, HotlistService
from watchfloor.domain.lpr.models import PlateAlert, new_id
from watchfloor.domain.lpr.readers import ReaderInfo
from watchfloor.domain.lpr.schemas import AlertStatus
from watchfloor.events.lpr import PlateAlertRaised, PlateReadReport
from watchfloor.settings import LprSettings

MEDIUM_SEVERITY = frozenset(
    {
        "stolen_vehicle",
        "stolen_plate",
        "felony_vehicle",
        "protection_order",
        "stolen_canadian_vehicle",
    }
)
MAX_HITS_PER_READ = 3
_LOCK_KEYS = "SELECT pg_advisory_xact_lock(hashtext(k)) FROM unnest(CAST(:keys AS text[])) AS k"
STATE_FACTOR = {"match": 1.0, "entry_missing": 0.9, "read_missing": 0.85}
SUBSTITUTION_FACTOR = 0.6


@dataclass(frozen=True)
class HitRead:
    """A read that matched, as the intake validated it."""

    report: PlateReadReport
    reader: ReaderInfo
    plate: str
    lat: float | None
    lon: float | None
    heading: float | None
    plate_image: str | None
    vehicle_image: str | None
    hits: list[Hit]


@dataclass
class AlertDraft:
    """An alert ready to be written: the read, the entry and how sure the match is."""

    read: HitRead
    hit: Hit
    facts: EntryFacts
    corroboration: Corroboration
    severity: str
    score: float
    explanation: str
    document: dict[str, Any] = field(default_factory=dict)


class PlateAlerts:
    """Turns hits into alerts (new, or joined to the open alert for the same entry)."""

    def __init__(
        self,
        hotlists: HotlistService,
        clock: Clock,
        settings: LprSettings,
        *,
        postgresql: bool = False,
    ) -> None:
        self._postgresql = postgresql
        self._hotlists = hotlists
        self._clock = clock
        self._settings = settings
        self._high = frozenset(settings.high_severity_reasons)

    async def prepare(self, hit_reads: list[HitRead]) -> list[AlertDraft]:
        """Look up the entries the reads hit and score each match (before the write)."""
        ids = [hit.entry_id for read in hit_reads for hit in read.hits[:MAX_HITS_PER_READ]]
        if not ids:
            return []
        facts = await self._hotlists.entries(ids)
        drafts: list[AlertDraft] = []
        for read in hit_reads:
            for hit in read.hits[:MAX_HITS_PER_READ]:
                entry = facts.get(hit.entry_id)
                if entry is not None:  # removed between the match and now: no alert
                    drafts.append(self._draft(read, hit, entry))
        return drafts

    async def write(
        self, session: AsyncSession, drafts: list[AlertDraft]
    ) -> list[tuple[AlertDraft, Event[PlateAlertRaised]]]:
        """Insert new alerts or join repeats, in the caller's transaction; returns each draft's
        event, to publish once it commits. One query finds every open alert the drafts could
        join, whatever their number."""
        now = self._clock.now()
        # One order for every batch, so two batches joining the same alerts never wait on each
        # other in a cycle (PostgreSQL detected exactly that deadlock under repeat hits).
        ordered = sorted(drafts, key=_key)
        alerts = await self._open_alerts(session, ordered, now)
        events: list[tuple[AlertDraft, Event[PlateAlertRaised]]] = []
        for draft in ordered:
            row = alerts.get(_key(draft))
            if row is None:
                row = alerts[_key(draft)] = _new_alert(draft, now)
                session.add(row)
                kind = "lpr.alert.raised"
            else:
                _join(row, draft, now)
                kind = "lpr.alert.updated"
            events.append((draft, alert_event(row, kind, now)))
        await session.flush()
        return events

    async def _open_alerts(
        self, session: AsyncSession, drafts: list[AlertDraft], now: datetime
    ) -> dict[tuple[str, int], PlateAlert]:
        """The open alerts, inside the repeat window, that these drafts would join."""
        window = self._settings.alert_repeat_window_s
        if window <= 0 or not drafts:
            return {}
        if self._postgresql:
            # Concurrent batches with the same vehicle take turns (locks taken in key order), so
            # they join one alert instead of raising two.
            keys = sorted({f"lpr-alert:{plate}:{entry}" for plate, entry in map(_key, drafts)})
            await session.execute(text(_LOCK_KEYS), {"keys": keys})
        query = (
            select(PlateAlert)
            .where(
                PlateAlert.plate_read.in_(sorted({d.read.plate for d in drafts})),
                PlateAlert.status != AlertStatus.CLOSED.value,
                PlateAlert.last_seen_at >= now - timedelta(seconds=window),
            )
            .order_by(PlateAlert.raised_at)
            .with_for_update()
        )
        rows = (await session.execute(query)).scalars()
        return {(row.plate_read, row.entry_id): row for row in rows}  # newest wins

    def _draft(self, read: HitRead, hit: Hit, entry: EntryFacts) -> AlertDraft:
        vehicle = read.report.vehicle
        corroboration = corroborate(entry, vehicle)
        severity = self.severity(entry.reason_code)
        score = match_score(hit, read.report.confidence, corroboration)
        explanation = explain(hit, read, entry, corroboration)
        draft = AlertDraft(read, hit, entry, corroboration, severity, score, explanation)
        draft.document = read_document(read)
        return draft

    def severity(self, reason_code: str) -> str:
        """high for the reasons configured as such (sound on the console), medium, or low."""
        if reason_code in self._high:
            return "high"
        return "medium" if reason_code in MEDIUM_SEVERITY else "low"


def _key(draft: AlertDraft) -> tuple[str, int]:
    return draft.read.plate, draft.hit.entry_id


def match_score(hit: Hit, confidence: float | None, corroboration: Corroboration) -> float:
    """How sure the match is, 0..1: each OCR substitution, a missing state, a low read
    confidence and a vehicle that does not look like the entry's all lower it."""
    score = SUBSTITUTION_FACTOR**hit.substitutions * STATE_FACTOR.get(hit.state_match, 0.8)
    if confidence is not None:
        score *= 0.5 + 0.5 * confidence
    if corroboration.score is not None:
        score *= 0.5 + 0.5 * corroboration.score
    return round(score, 3)


def explain(hit: Hit, read: HitRead, entry: EntryFacts, corroboration: Corroboration) -> str:
    """What matched and how sure, in words an operator reads at a glance."""
    if hit.substitutions == 0:
        parts = [f"exact plate {read.plate}"]
    else:
        parts = [
            f"read {read.plate} ~ entry {hit.plate_entry} "
            f"({hit.substitutions} possible OCR misread{'s' if hit.substitutions > 1 else ''})"
        ]
    parts.append(
        {
            "match": f"state {entry.state} matches",
            "read_missing": f"read has no state (entry {entry.state})",
            "entry_missing": "entry has no state",
        }.get(hit.state_match, hit.state_match)
    )
    for name, verdict in corroboration.detail.items():
        parts.append(f"{name} {verdict}")
    if read.report.confidence is not None:
        parts.append(f"reader confidence {read.report.confidence:.2f}")
    return "; ".join(parts)


def read_document(read: HitRead) -> dict[str, Any]:
    """The read as the alert keeps it (JSON)."""
    report = read.report
    vehicle = report.vehicle
    return {
        "reader": read.reader.code,
        "reader_name": read.reader.name,
        "captured_at": report.captured_at.isoformat(),
        "plate": read.plate,
        "plate_raw": report.plate,
        "region": report.region,
        "confidence": report.confidence,
        "lat": read.lat,
        "lon": read.lon,
        "heading": read.heading,
        "direction": report.direction,
        "lane": report.lane,
        "speed_kmh": report.speed_kmh,
        "plate_image": read.plate_image,
        "vehicle_image": read.vehicle_image,
        "vehicle": None if vehicle is None else msgspec.to_builtins(vehicle),
    }


def entry_document(entry: EntryFacts) -> dict[str, Any]:
    """The hotlist entry as the alert keeps it (JSON)."""
    return {
        "entry_id": entry.entry_id,
        "hotlist_id": entry.hotlist_id,
        "hotlist_name": entry.hotlist_name,
        "reason_code": entry.reason_code,
        "plate": entry.plate,
        "state": entry.state,
        "plate_type": entry.plate_type,
        "list_code": entry.list_code,
        "make": entry.make,
        "model": entry.model,
        "colour": entry.colour,
        "vehicle_year": entry.vehicle_year,
        "description": entry.description,
        "nic": entry.nic,
        "ori": entry.ori,
        "oca": entry.oca,
        "entered_at": entry.entered_at.isoformat() if entry.entered_at else None,
        "expires_at": entry.expires_at.isoformat() if entry.expires_at else None,
        "entered_by": entry.entered_by,
        "stale": entry.stale,
        **entry.extra,  # a manual entry's documented reason and case number, the body style
    }


def _new_alert(draft: AlertDraft, now: datetime) -> PlateAlert:
    read, hit, entry = draft.read, draft.hit, draft.facts
    return PlateAlert(
        id=new_id(),
        raised_at=now,
        last_seen_at=now,
        repeat_count=1,
        reader_id=read.reader.id,
        reader_code=read.reader.code,
        hotlist_id=entry.hotlist_id,
        hotlist_name=entry.hotlist_name,
        entry_id=entry.entry_id,
        entry=entry_document(entry),
        read=draft.document,
        read_captured_at=read.report.captured_at,
        plate_read=read.plate,
        plate_entry=hit.plate_entry,
        lat=read.lat,
        lon=read.lon,
        heading=read.heading,
        plate_image=read.plate_image,
        vehicle_image=read.vehicle_image,
        reason_code=entry.reason_code,
        severity=draft.severity,
        match_kind="exact" if hit.substitutions == 0 else "misread",
        substitutions=hit.substitutions,
        state_match=hit.state_match,
        corroboration=draft.corroboration.score,
        corroboration_detail=dict(draft.corroboration.detail),
        score=draft.score,
        explanation=draft.explanation,
        stale=entry.stale,
        status=AlertStatus.PENDING.value,
    )


def _join(row: PlateAlert, draft: AlertDraft, now: datetime) -> None:
    """A repeat read of the same vehicle: the alert shows the latest sighting and counts them."""
    read = draft.read
    row.repeat_count += 1
    row.last_seen_at = now
    row.read = draft.document
    row.read_captured_at = read.report.captured_at
    row.reader_id, row.reader_code = read.reader.id, read.reader.code
    row.lat, row.lon, row.heading = read.lat, read.lon, read.heading
    row.plate_image = read.plate_image or row.plate_image
    row.vehicle_image = read.vehicle_image or row.vehicle_image
    row.stale = draft.facts.stale


def alert_event(row: PlateAlert, kind: str, now: datetime) -> Event[PlateAlertRaised]:
    """The bus event for an alert raised or changed."""
    payload = PlateAlertRaised(
        alert_id=row.id,
        plate=row.plate_read,
        reason_code=row.reason_code,
        severity=row.severity,
        match_kind=row.match_kind,
        status=row.status,
        stale=row.stale,
        reader_code=row.reader_code,
        lat=row.lat,
        lon=row.lon,
        heading=row.heading,
    )
    return Event[PlateAlertRaised](
        kind=kind,
        source="lpr",
        occurred_at=row.read_captured_at,
        received_at=now,
        payload=payload,
    )
