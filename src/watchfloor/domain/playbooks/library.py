"""The playbook library: the bundled defaults, supervisors' edits (validated, audited), and the
in-memory set of active playbooks that matching reads."""

from __future__ import annotations

import json
from collections.abc import Sequence
from importlib import resources
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from watchfloor.audit.service import AuditEntry, AuditLog
from watchfloor.core.clock import Clock
from watchfloor.core.context import Actor, RequestContext
from watchfloor.core.errors import Conflict, FieldProblem, InvalidInput, NotFound
from watchfloor.db.engine import Database
from watchfloor.domain.playbooks.matching import Candidate, normalise_type
from watchfloor.domain.playbooks.models import Playbook
from watchfloor.domain.playbooks.schemas import PlaybookBody, PlaybookIn, PlaybookOut
from watchfloor.settings import PlaybookSettings

SYSTEM = RequestContext(actor=Actor.system("playbooks"))
MAX_TYPE_CODE = 200


def bundled_defaults() -> list[PlaybookIn]:
    """The playbooks shipped with Watchfloor (domain/playbooks/defaults.json)."""
    text = resources.files(__package__).joinpath("defaults.json").read_text("utf-8")
    return [PlaybookIn.model_validate(item) for item in json.loads(text)["playbooks"]]


def problems_of(body: PlaybookBody) -> list[FieldProblem]:
    """What pydantic cannot say about a playbook: duplicate step keys, blank or over-long type
    codes, priorities out of range, and a playbook that would match nothing."""
    found: list[FieldProblem] = []
    seen: set[str] = set()
    for index, step in enumerate(body.steps):
        if step.key in seen:
            found.append(FieldProblem(f"/steps/{index}/key", f"step key {step.key!r} repeats"))
        seen.add(step.key)
    for index, code in enumerate(body.type_codes):
        if not code.strip() or len(code.strip()) > MAX_TYPE_CODE:
            found.append(FieldProblem(f"/type_codes/{index}", "a type code is 1-200 characters"))
    for index, priority in enumerate(body.priorities):
        if not 1 <= priority <= 5:
            found.append(FieldProblem(f"/priorities/{index}", "a priority is 1 to 5"))
    if not body.type_codes and not body.priorities:
        found.append(
            FieldProblem("/type_codes", "name the incident types or the priorities it is for")
        )
    return found


def candidate(row: Playbook) -> Candidate:
    """A stored playbook as matching sees it."""
    return Candidate(row.code, frozenset(row.type_codes), frozenset(row.priorities), row.active)


class PlaybookLibrary:
    """Owns the playbook table; keeps the active playbooks in memory for matching."""

    def __init__(
        self, db: Database, clock: Clock, audit: AuditLog, settings: PlaybookSettings
    ) -> None:
        self._db = db
        self._clock = clock
        self._audit = audit
        self._settings = settings
        self._candidates: list[Candidate] = []

    def candidates(self) -> Sequence[Candidate]:
        """The playbooks matching chooses from (as of the last load or edit)."""
        return self._candidates

    async def load(self) -> int:
        """Load the bundled defaults into an empty table (when configured), then cache; returns
        how many defaults were loaded."""
        loaded = 0
        async with self._db.session() as session:
            count = await session.scalar(select(func.count()).select_from(Playbook))
            if not count and self._settings.load_defaults:
                for spec in bundled_defaults():
                    session.add(self._row(spec, spec.code, SYSTEM, version=1))
                    loaded += 1
                entry = AuditEntry("playbook.defaults.loaded", details={"playbooks": loaded})
                await self._audit.record(session, SYSTEM, entry)
        await self._refresh()
        return loaded

    async def list(self) -> list[PlaybookOut]:
        """Every playbook, by code."""
        async with self._db.read_session() as session:
            rows = await session.scalars(select(Playbook).order_by(Playbook.code))
            return [PlaybookOut.model_validate(row) for row in rows]

    async def get(self, code: str) -> PlaybookOut:
        """One playbook; 404 when there is none of that code."""
        async with self._db.read_session() as session:
            return PlaybookOut.model_validate(await _row_of(session, code))

    async def create(self, spec: PlaybookIn, context: RequestContext) -> PlaybookOut:
        """Add a playbook (audited); 409 when the code is taken, 422 naming the bad field."""
        _check(spec)
        async with self._db.session() as session:
            if await session.get(Playbook, spec.code) is not None:
                raise Conflict(f"a playbook {spec.code} exists already", "playbook_exists")
            row = self._row(spec, spec.code, context, version=1)
            session.add(row)
            await self._audit.record(session, context, _entry("playbook.created", row))
            out = PlaybookOut.model_validate(row)
        await self._refresh()
        return out

    async def update(self, code: str, body: PlaybookBody, context: RequestContext) -> PlaybookOut:
        """Replace a playbook's content (audited, new version); runs already started keep theirs."""
        _check(body)
        async with self._db.session() as session:
            row = await _row_of(session, code, for_update=True)
            fresh = self._row(body, code, context, version=row.version + 1)
            for column in ("title", "description", "type_codes", "priorities", "steps", "active"):
                setattr(row, column, getattr(fresh, column))
            row.version, row.updated_at, row.updated_by = (
                fresh.version,
                fresh.updated_at,
                fresh.updated_by,
            )
            await self._audit.record(session, context, _entry("playbook.updated", row))
            out = PlaybookOut.model_validate(row)
        await self._refresh()
        return out

    async def _refresh(self) -> None:
        async with self._db.read_session() as session:
            rows = await session.scalars(select(Playbook).where(Playbook.active.is_(True)))
            self._candidates = [candidate(row) for row in rows]

    def _row(
        self, body: PlaybookBody, code: str, context: RequestContext, *, version: int
    ) -> Playbook:
        types = list(dict.fromkeys(normalise_type(t) for t in body.type_codes))
        return Playbook(
            code=code,
            title=body.title.strip(),
            description=body.description,
            type_codes=types,
            priorities=sorted(set(body.priorities)),
            steps=[step.model_dump() for step in body.steps],
            active=body.active,
            version=version,
            updated_at=self._clock.now(),
            updated_by=context.actor.username[:200],
        )


def _check(body: PlaybookBody) -> None:
    found = problems_of(body)
    if found:
        raise InvalidInput("the playbook is not valid", found)


async def _row_of(session: AsyncSession, code: str, *, for_update: bool = False) -> Playbook:
    query = select(Playbook).where(Playbook.code == code)
    if for_update:
        query = query.with_for_update()
    row = (await session.execute(query)).scalar_one_or_none()
    if row is None:
        raise NotFound(f"no playbook {code}")
    return row


def _entry(action: str, row: Playbook) -> AuditEntry:
    details: dict[str, Any] = {
        "version": row.version,
        "type_codes": row.type_codes,
        "priorities": row.priorities,
        "steps": [step["key"] for step in row.steps],
        "active": row.active,
    }
    return AuditEntry(action, object_type="playbook", object_id=row.code, details=details)
