"""Field devices: which TAK device (uid and/or callsign) is which unit, kept by admins (audited)
and looked up from memory for every position a device sends."""

from __future__ import annotations

import builtins
from collections.abc import Iterable

from sqlalchemy import Select, or_, select
from sqlalchemy.exc import IntegrityError

from watchfloor.audit.service import AuditEntry, AuditLog
from watchfloor.core.clock import Clock
from watchfloor.core.context import RequestContext
from watchfloor.core.errors import Conflict, NotFound
from watchfloor.db.engine import Database
from watchfloor.fieldlink.models import FieldDevice
from watchfloor.fieldlink.schemas import FieldDeviceIn, FieldDeviceOut


class DeviceBook:
    """The field_device table, with an in-memory index by uid and by callsign."""

    def __init__(self, db: Database, clock: Clock, audit: AuditLog) -> None:
        self._db = db
        self._clock = clock
        self._audit = audit
        self._devices: list[FieldDeviceOut] = []
        self._by_uid: dict[str, FieldDeviceOut] = {}
        self._by_callsign: dict[str, FieldDeviceOut] = {}

    async def load(self) -> None:
        """Read every mapping into memory."""
        self._index(await self.list())

    def unit_for(self, uid: str | None, callsign: str | None) -> str | None:
        """The unit a device reports as: by uid first, then by callsign (None: unmapped)."""
        device = self._by_uid.get(uid) if uid else None
        if device is None and callsign:
            device = self._by_callsign.get(callsign)
        return device.unit if device is not None else None

    def of_units(self, codes: Iterable[str]) -> builtins.list[FieldDeviceOut]:
        """The mapped devices of these units."""
        wanted = set(codes)
        return [d for d in self._devices if d.unit in wanted]

    def of_team(self, team: str) -> builtins.list[FieldDeviceOut]:
        """The mapped devices of a TAK team (__group name)."""
        return [d for d in self._devices if d.team == team]

    async def list(self) -> builtins.list[FieldDeviceOut]:
        """Every mapped device, by unit then callsign."""
        query = select(FieldDevice).order_by(
            FieldDevice.unit_code, FieldDevice.callsign, FieldDevice.id
        )
        async with self._db.read_session() as session:
            return [FieldDeviceOut.model_validate(row) for row in (await session.scalars(query))]

    async def put(self, body: FieldDeviceIn, context: RequestContext) -> FieldDeviceOut:
        """Map a device to a unit, or change its mapping (matched by uid, else callsign)."""
        try:
            out = await self._put(body, context)
        except IntegrityError as error:
            raise Conflict("another device has this uid or callsign", "device_taken") from error
        await self.load()
        return out

    async def _put(self, body: FieldDeviceIn, context: RequestContext) -> FieldDeviceOut:
        async with self._db.session() as session:
            rows = list(await session.scalars(_matching(body).with_for_update()))
            if len({row.id for row in rows}) > 1:
                raise Conflict("the uid and the callsign belong to different devices", "split")
            row = rows[0] if rows else None
            before = FieldDeviceOut.model_validate(row).model_dump(mode="json") if row else None
            if row is None:
                row = FieldDevice(added_by=context.actor.username, added_at=self._clock.now())
                session.add(row)
            row.uid = body.uid if body.uid is not None else row.uid
            row.callsign = body.callsign if body.callsign is not None else row.callsign
            row.unit_code, row.team = body.unit, body.team
            await session.flush()
            out = FieldDeviceOut.model_validate(row)
            details = {"before": before, "after": out.model_dump(mode="json")}
            entry = AuditEntry(
                "fieldlink.device.mapped",
                object_type="field_device",
                object_id=out.id,
                details=details,
            )
            await self._audit.record(session, context, entry)
        return out

    async def delete(self, device_id: str, context: RequestContext) -> None:
        """Forget a device's mapping (audited); 404 when there is none."""
        async with self._db.session() as session:
            row = await session.get(FieldDevice, device_id, with_for_update=True)
            if row is None:
                raise NotFound("no such field device")
            gone = FieldDeviceOut.model_validate(row).model_dump(mode="json")
            await session.delete(row)
            entry = AuditEntry(
                "fieldlink.device.removed",
                object_type="field_device",
                object_id=device_id,
                details={"before": gone},
            )
            await self._audit.record(session, context, entry)
        await self.load()

    def _index(self, devices: builtins.list[FieldDeviceOut]) -> None:
        self._devices = devices
        self._by_uid = {d.uid: d for d in devices if d.uid}
        self._by_callsign = {d.callsign: d for d in devices if d.callsign}


def _matching(body: FieldDeviceIn) -> Select[FieldDevice]:
    conditions = []
    if body.uid is not None:
        conditions.append(FieldDevice.uid == body.uid)
    if body.callsign is not None:
        conditions.append(FieldDevice.callsign == body.callsign)
    return select(FieldDevice).where(or_(*conditions)).order_by(FieldDevice.id)
