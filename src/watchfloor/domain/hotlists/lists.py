"""Hotlists themselves: creation rules, staleness, status, deactivation."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path
from urllib.parse import unquote, urlparse

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from watchfloor.connectors.hotlists import formats
from watchfloor.core.errors import FieldProblem, InvalidInput, NotFound
from watchfloor.domain.hotlists.models import Hotlist, HotlistEntry, HotlistImport
from watchfloor.domain.hotlists.schemas import HotlistIn, HotlistKind, HotlistOut

MANUAL = "manual"  # source_format of a list that only takes manual entries


def is_stale(hotlist: Hotlist, now: datetime) -> bool:
    """Older than its max age, or never refreshed. A manual-only list is never stale: each of
    its entries carries its own expiry instead."""
    if hotlist.source_format == MANUAL:
        return False
    if hotlist.last_refreshed_at is None:
        return True
    return now - hotlist.last_refreshed_at > timedelta(minutes=hotlist.max_age_minutes)


def age_minutes(hotlist: Hotlist, now: datetime) -> float | None:
    """Minutes since the last refresh (None when never refreshed)."""
    if hotlist.last_refreshed_at is None:
        return None
    return round((now - hotlist.last_refreshed_at).total_seconds() / 60, 1)


def source_path(uri: str) -> Path:
    """The local file a source URI names (a path or a file:// URI)."""
    if uri.startswith("file:"):
        return Path(unquote(urlparse(uri).path))
    return Path(uri)


def allowed_source(uri: str, root: Path | None, pointer: str = "/source_uri") -> Path:
    """The extract's path, refused unless it lies in the configured source directory (a
    supervisor must not be able to make the server read any file it can)."""
    path = source_path(uri)
    if not path.is_absolute():
        raise InvalidInput(
            "bad source", [FieldProblem(pointer, "must be an absolute path or file:// URI")]
        )
    if root is not None and not path.resolve().is_relative_to(root.resolve()):
        raise InvalidInput(
            "bad source", [FieldProblem(pointer, f"must be inside the hotlist directory {root}")]
        )
    return path


def check_new_list(body: HotlistIn, source_dir: Path | None = None) -> None:
    """Refuse a list whose format, source and schedule do not fit together (422 per field)."""
    problems: list[FieldProblem] = []
    if body.source_format != MANUAL and body.source_format not in formats():
        known = ", ".join(sorted({*formats(), MANUAL}))
        problems.append(FieldProblem("/source_format", f"unknown format; one of {known}"))
    if body.kind == HotlistKind.NCIC and body.source_format != "ncic_fixed":
        problems.append(FieldProblem("/source_format", "an NCIC list is in ncic_fixed format"))
    if body.source_format == MANUAL and body.kind != HotlistKind.LOCAL:
        problems.append(FieldProblem("/kind", "only a local list takes manual entries alone"))
    if body.source_format == MANUAL and body.source_uri:
        problems.append(FieldProblem("/source_uri", "a manual list has no source"))
    if body.source_uri:
        try:
            allowed_source(body.source_uri, source_dir)
        except InvalidInput as error:
            problems.extend(error.problems)
    if body.refresh_every_minutes is not None and not body.source_uri:
        problems.append(
            FieldProblem("/refresh_every_minutes", "a scheduled refresh needs a source_uri")
        )
    if problems:
        raise InvalidInput("the list is not consistent", problems)


async def get_hotlist(
    session: AsyncSession, hotlist_id: int, *, for_update: bool = False
) -> Hotlist:
    """A list by id, or NotFound."""
    query = select(Hotlist).where(Hotlist.id == hotlist_id)
    if for_update:
        query = query.with_for_update()
    row = (await session.execute(query)).scalar_one_or_none()
    if row is None:
        raise NotFound("no such hotlist")
    return row


async def last_imports(session: AsyncSession, ids: list[str]) -> dict[str, HotlistImport]:
    """Import rows by id."""
    if not ids:
        return {}
    rows = await session.scalars(select(HotlistImport).where(HotlistImport.id.in_(ids)))
    return {row.id: row for row in rows}


async def statuses(session: AsyncSession, rows: list[Hotlist], now: datetime) -> list[HotlistOut]:
    """Lists with their status now, each with its latest import (hotlist.last_import_id names
    the latest import started, whatever its outcome)."""
    ids = [row.last_import_id for row in rows if row.last_import_id]
    imports = await last_imports(session, ids)
    return [
        HotlistOut.of(
            row,
            age_minutes=age_minutes(row, now),
            stale=is_stale(row, now),
            last=imports.get(row.last_import_id or ""),
        )
        for row in rows
    ]


async def count_active(session: AsyncSession, hotlist_id: int, now: datetime) -> int:
    """Entries of a list that match now (not removed, not expired)."""
    query = select(func.count()).where(
        HotlistEntry.hotlist_id == hotlist_id,
        HotlistEntry.removed_at.is_(None),
        (HotlistEntry.expires_at.is_(None)) | (HotlistEntry.expires_at > now),
    )
    return int((await session.execute(query)).scalar_one())
