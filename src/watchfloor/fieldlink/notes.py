"""Intel notes to the field: an operator's text sent as GeoChat (`b-t-f`) to the devices of the
units on an incident, of a TAK team, or of named units; stored with who it was for and which
connected devices it reached, audited, and on the incident's timeline."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from xml.sax.saxutils import escape, quoteattr

from sqlalchemy import select

from watchfloor.audit.service import AuditEntry, AuditLog
from watchfloor.connectors.tak.cot import CotEvent, cot_time
from watchfloor.core.clock import Clock
from watchfloor.core.context import RequestContext
from watchfloor.core.errors import Conflict, FieldProblem, InvalidInput, NotFound
from watchfloor.db.engine import Database
from watchfloor.domain.incidents.models import Incident
from watchfloor.domain.incidents.timeline import add_entry
from watchfloor.domain.units.service import UnitRoster
from watchfloor.fieldlink.clients import FieldClient
from watchfloor.fieldlink.devices import DeviceBook
from watchfloor.fieldlink.models import FieldNote, new_id
from watchfloor.fieldlink.schemas import FieldNoteIn, FieldNoteOut
from watchfloor.fieldlink.server import TakServer
from watchfloor.settings_field import FieldLinkSettings

CHAT_TYPE = "b-t-f"


@dataclass(frozen=True)
class Recipient:
    """A field device a note is addressed to."""

    uid: str | None
    callsign: str | None

    @property
    def label(self) -> str:
        """How the note's record names it."""
        return self.callsign or self.uid or "?"

    def is_client(self, client: FieldClient) -> bool:
        """True when the connected client is this device."""
        if self.uid is not None and client.uid == self.uid:
            return True
        return self.callsign is not None and client.callsign == self.callsign


class FieldNotes:
    """Sends operators' intel notes to field devices and keeps the record of each."""

    def __init__(
        self,
        db: Database,
        clock: Clock,
        audit: AuditLog,
        roster: UnitRoster,
        devices: DeviceBook,
        tak: TakServer | None,
        settings: FieldLinkSettings,
    ) -> None:
        self._db = db
        self._clock = clock
        self._audit = audit
        self._roster = roster
        self._devices = devices
        self._tak = tak
        self._settings = settings

    async def send(self, note: FieldNoteIn, context: RequestContext) -> FieldNoteOut:
        """Resolve the recipients, store and audit the note, then deliver it; the answer names
        the devices it reached (connected when it was sent)."""
        if self._tak is None:
            raise Conflict("the TAK server is off: nothing can reach the field", "fieldlink_off")
        text = note.text.strip()
        if not text or len(text) > self._settings.note_max_chars:
            reason = f"1 to {self._settings.note_max_chars} characters"
            raise InvalidInput("bad note", [FieldProblem("/text", reason)])
        recipients = await self._recipients(note)
        clients = [c for c in self._tak.clients() if any(r.is_client(c) for r in recipients)]
        reached = sorted({c.callsign or c.uid or c.key for c in clients})
        now, note_id = self._clock.now(), new_id()
        cot = self._chat(note_id, text, recipients, now)
        out = await self._store(note, text, note_id, cot.uid, recipients, reached, context)
        self._tak.publish(
            cot,
            to_uids=[r.uid for r in recipients if r.uid],
            to_callsigns=[r.callsign for r in recipients if r.callsign],
        )
        return out

    async def for_incident(self, incident_id: str) -> list[FieldNoteOut]:
        """The notes sent to the field about an incident, oldest first."""
        query = (
            select(FieldNote)
            .where(FieldNote.incident_id == incident_id)
            .order_by(FieldNote.written_at, FieldNote.id)
        )
        async with self._db.read_session() as session:
            return [FieldNoteOut.model_validate(row) for row in await session.scalars(query)]

    async def _recipients(self, note: FieldNoteIn) -> list[Recipient]:
        if note.incident_id is None and note.group is None and not note.units:
            problem = FieldProblem("/incident_id", "name an incident, a group or units")
            raise InvalidInput("a note needs recipients", [problem])
        codes: list[str] = []
        if note.incident_id is not None:
            await self._incident_exists(note.incident_id)
        if note.incident_id is not None and note.group is None and not note.units:
            codes += [u.code for u in await self._roster.on_incident(note.incident_id)]
        for i, code in enumerate(note.units):
            try:
                codes.append((await self._roster.get(code)).code)
            except NotFound:
                problem = FieldProblem(f"/units/{i}", "no such unit")
                raise InvalidInput("unknown unit", [problem]) from None
        found = self._of_units(dict.fromkeys(codes))
        if note.group is not None:
            found += self._of_team(note.group)
        recipients = list(dict.fromkeys(found))
        if not recipients:
            field = "/group" if note.group else "/units" if note.units else "/incident_id"
            problem = FieldProblem(field, "no field device belongs to these units or group")
            raise InvalidInput("nobody to send the note to", [problem])
        return recipients

    def _of_units(self, codes: Iterable[str]) -> list[Recipient]:
        found: list[Recipient] = []
        for code in codes:
            devices = self._devices.of_units([code])
            # a device whose callsign is the unit's code needs no mapping
            found += [Recipient(d.uid, d.callsign) for d in devices] or [Recipient(None, code)]
        return found

    def _of_team(self, team: str) -> list[Recipient]:
        mapped = [Recipient(d.uid, d.callsign) for d in self._devices.of_team(team)]
        assert self._tak is not None
        connected = [Recipient(c.uid, c.callsign) for c in self._tak.clients() if c.group == team]
        return mapped + connected

    async def _incident_exists(self, incident_id: str) -> None:
        async with self._db.read_session() as session:
            if await session.get(Incident, incident_id) is None:
                raise NotFound("no such incident")

    async def _store(
        self,
        note: FieldNoteIn,
        text: str,
        note_id: str,
        cot_uid: str,
        recipients: list[Recipient],
        reached: list[str],
        context: RequestContext,
    ) -> FieldNoteOut:
        actor = context.actor
        row = FieldNote(
            id=note_id,
            text=text,
            incident_id=note.incident_id,
            group_name=note.group,
            units=list(note.units),
            recipients=[r.label for r in recipients],
            reached=reached,
            cot_uid=cot_uid,
            author=actor.username,
            designator=actor.designator,
            written_at=self._clock.now(),
        )
        details = {
            "note_id": note_id,
            "incident_id": note.incident_id,
            "group": note.group,
            "units": list(note.units),
            "recipients": row.recipients,
            "reached": reached,
            "length": len(text),
        }
        async with self._db.session() as session:
            session.add(row)
            if note.incident_id is not None:
                timeline = {**details, "text": text}
                author = actor.designator or actor.username
                add_entry(session, note.incident_id, row.written_at, "field.note", author, timeline)
            entry = AuditEntry(
                "fieldlink.note.sent",
                object_type="field_note",
                object_id=note_id,
                details=details,
            )
            await self._audit.record(session, context, entry)
            await session.flush()
            return FieldNoteOut.model_validate(row)

    def _chat(
        self, note_id: str, text: str, recipients: list[Recipient], now: datetime
    ) -> CotEvent:
        s = self._settings
        uid = f"GeoChat.{s.sender_uid}.{s.chatroom}.{note_id}"
        return CotEvent(
            uid=uid,
            type=CHAT_TYPE,
            how="h-g-i-g-o",
            time=now,
            start=now,
            stale=now + timedelta(seconds=s.note_stale_s),
            lat=0.0,
            lon=0.0,
            callsign=s.sender_callsign,
            remarks=text,
            dest_callsigns=tuple(r.callsign for r in recipients if r.callsign),
            dest_uids=tuple(r.uid for r in recipients if r.uid and not r.callsign),
            detail_xml=chat_detail(s, note_id, text, recipients, now),
        )


def chat_detail(
    s: FieldLinkSettings, note_id: str, text: str, recipients: list[Recipient], now: datetime
) -> str:
    """The `<detail>` of a GeoChat message from Watchfloor to these devices."""
    room, sender = quoteattr(s.chatroom), quoteattr(s.sender_uid)
    members = [s.sender_uid, *(r.uid for r in recipients if r.uid)]
    group = " ".join(f"uid{i}={quoteattr(u)}" for i, u in enumerate(members))
    dests = [f"<dest callsign={quoteattr(r.callsign)}/>" for r in recipients if r.callsign]
    dests += [f"<dest uid={quoteattr(r.uid)}/>" for r in recipients if r.uid and not r.callsign]
    return (
        f'<__chat parent="RootContactGroup" groupOwner="false" messageId={quoteattr(note_id)}'
        f" chatroom={room} id={room} senderCallsign={quoteattr(s.sender_callsign)}>"
        f"<chatgrp {group} id={room}/></__chat>"
        f'<link uid={sender} type="a-f-G-U-C" relation="p-p"/>'
        f"<remarks source={quoteattr('BAO.F.ATAK.' + s.sender_uid)} to={room}"
        f' time="{cot_time(now)}">{escape(text)}</remarks>'
        f"<marti>{''.join(dests)}</marti>"
    )
