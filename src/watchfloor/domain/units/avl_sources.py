"""Which NMEA sender is which unit: a router's device id names its unit unless an admin maps
it; a router without one is known by its address through the admins' `avl_source` table."""

from __future__ import annotations

import builtins
import ipaddress
import re
from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import select

from watchfloor.audit.service import AuditEntry, AuditLog
from watchfloor.core.clock import Clock
from watchfloor.core.context import RequestContext
from watchfloor.core.errors import FieldProblem, InvalidInput, NotFound
from watchfloor.db.engine import Database
from watchfloor.domain.units.avl_models import AvlSource

UNIT_CODE = r"^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$"
_DEVICE = re.compile(UNIT_CODE)


class AvlSourceIn(BaseModel):
    """An admin's mapping of one sender to a unit."""

    model_config = ConfigDict(extra="forbid")

    unit: str = Field(min_length=1, max_length=64, pattern=UNIT_CODE)
    note: str | None = Field(None, max_length=200)


class AvlSourceOut(BaseModel):
    """A sender mapped to a unit; kind is "address" (IP) or "device" (device id)."""

    model_config = ConfigDict(from_attributes=True)

    source: str
    kind: str
    unit: str
    note: str | None
    updated_at: datetime
    updated_by: str


def source_key(text: str) -> tuple[str, str]:
    """(normalized key, kind) of a sender: an IP address, else a device id; InvalidInput else."""
    try:
        address = ipaddress.ip_address(text)
    except ValueError:
        if _DEVICE.fullmatch(text):
            return text, "device"
        reason = "an IP address or a device id (letters, digits, . _ : -; at most 64)"
        raise InvalidInput("bad AVL source", [FieldProblem("/source", reason)]) from None
    return address_key(address), "address"


def address_key(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> str:
    """The table's spelling of an address (IPv4-mapped IPv6 as plain IPv4)."""
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return str(address.ipv4_mapped)
    return str(address)


class AvlSources:
    """The sender-to-unit table, in the store and in memory."""

    def __init__(self, db: Database, clock: Clock, audit: AuditLog) -> None:
        self._db = db
        self._clock = clock
        self._audit = audit
        self._units: dict[str, str] = {}

    async def load(self) -> None:
        """Read the table into memory."""
        async with self._db.read_session() as session:
            rows = (await session.execute(select(AvlSource))).scalars().all()
            self._units = {row.source: row.unit for row in rows}

    def unit_for(self, sender: str, device: str | None) -> str | None:
        """The unit of a fix: its device id (mapped, or as the unit code), else its sender's
        address through the table; None when neither names one."""
        if device is not None:
            return self._units.get(device, device)
        try:
            key = address_key(ipaddress.ip_address(sender))
        except ValueError:
            return None
        return self._units.get(key)

    async def list(self) -> builtins.list[AvlSourceOut]:
        """Every mapping, by source."""
        async with self._db.read_session() as session:
            rows = (await session.execute(select(AvlSource).order_by(AvlSource.source))).scalars()
            return [AvlSourceOut.model_validate(row) for row in rows]

    async def put(self, source: str, body: AvlSourceIn, context: RequestContext) -> AvlSourceOut:
        """Create or change a mapping (audited)."""
        key, kind = source_key(source)
        now = self._clock.now()
        async with self._db.session() as session:
            row = await session.get(AvlSource, key, with_for_update=True)
            before = row.unit if row is not None else None
            if row is None:
                row = AvlSource(source=key, kind=kind)
                session.add(row)
            row.unit, row.note = body.unit, body.note
            row.updated_at, row.updated_by = now, context.actor.username
            await self._audit.record(session, context, _entry("avl.source.set", key, before, row))
            out = AvlSourceOut.model_validate(row)
        self._units[key] = out.unit
        return out

    async def delete(self, source: str, context: RequestContext) -> None:
        """Remove a mapping (audited); NotFound when there is none."""
        key, _kind = source_key(source)
        async with self._db.session() as session:
            row = await session.get(AvlSource, key, with_for_update=True)
            if row is None:
                raise NotFound("no such AVL source")
            await session.delete(row)
            entry = _entry("avl.source.deleted", key, row.unit, None)
            await self._audit.record(session, context, entry)
        self._units.pop(key, None)


def _entry(action: str, key: str, before: str | None, row: AvlSource | None) -> AuditEntry:
    return AuditEntry(
        action,
        object_type="avl_source",
        object_id=key,
        details={"unit_before": before, "unit": row.unit if row is not None else None},
    )
