"""The unit-position feed: JSON positions in, refused ones named and quarantined."""

from __future__ import annotations

from typing import Any

import orjson
from pydantic import TypeAdapter, ValidationError

from watchfloor.core.context import RequestContext
from watchfloor.core.errors import DomainError, FieldProblem, InvalidInput, MalformedInput
from watchfloor.domain.quarantine.service import QuarantineService
from watchfloor.domain.units.schemas import UnitPosition
from watchfloor.domain.units.service import UnitRoster

SOURCE = "units-positions"
MAX_POSITIONS = 5_000
_POSITIONS = TypeAdapter(list[UnitPosition])


def parse_positions(raw: bytes) -> list[UnitPosition]:
    """One position object or a list of them; MalformedInput/InvalidInput naming the field."""
    try:
        body: Any = orjson.loads(raw)
    except orjson.JSONDecodeError as error:
        raise MalformedInput("body is not JSON", [FieldProblem("", str(error))]) from error
    items = body if isinstance(body, list) else [body]
    if not items or len(items) > MAX_POSITIONS:
        reason = f"between 1 and {MAX_POSITIONS} positions"
        raise InvalidInput("bad unit positions", [FieldProblem("", reason)])
    try:
        return _POSITIONS.validate_python(items)
    except ValidationError as error:
        problems = [_problem(e, isinstance(body, list)) for e in error.errors()]
        raise InvalidInput("bad unit positions", problems) from error


def _problem(error: Any, listed: bool) -> FieldProblem:
    loc = [str(p) for p in error.get("loc", ())]
    if not listed and loc:
        loc = loc[1:]
    return FieldProblem("/" + "/".join(loc) if loc else "", str(error.get("msg", "invalid")))


class UnitPositionIntake:
    """Accepts a delivery of positions, or quarantines it whole with the reason."""

    def __init__(
        self, roster: UnitRoster, quarantine: QuarantineService, system: RequestContext
    ) -> None:
        self._roster = roster
        self._quarantine = quarantine
        self._system = system
        quarantine.register_replayer(SOURCE, self._replay)

    async def accept(self, raw: bytes, content_type: str | None, context: RequestContext) -> int:
        """Store the positions (durable before this returns), or quarantine and raise."""
        try:
            positions = parse_positions(raw)
            return await self._roster.update_positions(positions, context)
        except (InvalidInput, MalformedInput) as error:
            await self._quarantine.hold(SOURCE, raw, content_type, error)
            raise

    async def reject(self, raw: bytes, content_type: str | None, error: DomainError) -> None:
        """Quarantine a body refused before parsing (too large)."""
        await self._quarantine.hold(SOURCE, raw, content_type, error)

    async def _replay(self, raw: bytes) -> str:
        applied = await self._roster.update_positions(parse_positions(raw), self._system)
        return f"applied {applied} positions"
