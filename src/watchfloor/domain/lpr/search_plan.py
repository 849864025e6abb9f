"""The SQL over stored reads, on SQLite and PostgreSQL: from an investigator's plate pattern and
filters to the statement that finds the reads, and the retention purge's statements.

Three plate plans, each chosen so the (plate, captured_ms) index leads:
- exact (`ABC123`): `plate = ?` and the time range, both in the index, newest first;
- prefix (`ABC*`): a plate range `plate >= 'ABC' AND plate < 'ABD'`; on SQLite the time
  condition is kept out of the index choice (`+captured_ms`), otherwise its planner walks the time
  index and filters (400 ms instead of 0.5 ms at 10M reads). PostgreSQL's planner, with
  statistics, picks the plate index by itself and checks the time range inside it, which saves a
  heap fetch for every read of the plates outside the window;
- wildcard (`*C12*`, `A?C123`): first the matching distinct plates from the plate dictionary
  (FTS5 trigram on SQLite, pg_trgm on PostgreSQL), then `plate IN (...)` in the window.
No plate: the time index, newest first, with the area's bounding box as a filter.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from enum import StrEnum
from functools import lru_cache
from typing import Any

from sqlalchemy import TextClause, bindparam, text
from sqlalchemy.ext.asyncio import AsyncSession

from watchfloor.core.errors import FieldProblem, InvalidInput

MAX_PATTERN_PLATES = 5000
"""A wildcard may match at most this many distinct plates; more is 'too broad'."""

MAX_PATTERN_LENGTH = 32
LITERAL_RUN = 3
"""The trigram indexes serve a pattern only with this many literal characters in a row."""

_ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
_NOT_PATTERN = re.compile(r"[^A-Z0-9*?]")
_STARS = re.compile(r"\*+")
_LITERAL_RUNS = re.compile(r"[A-Z0-9]+")

READ_COLUMNS = (
    "id, reader_id, captured_ms, plate, plate_raw, region, confidence, lat, lon, heading, "
    "direction, lane, speed_kmh, plate_image, vehicle_image, make, model, colour, "
    "vehicle_kind, hit"
)
"""The columns of a search result row, in this order (see `search.ReadHit`)."""


class PlateMatch(StrEnum):
    """How a plate pattern is matched."""

    EXACT = "exact"
    PREFIX = "prefix"
    WILDCARD = "wildcard"


@dataclass(frozen=True)
class PlatePattern:
    """A normalised plate pattern: upper case, A-Z0-9 and the wildcards `*` and `?`."""

    text: str
    match: PlateMatch

    @property
    def longest_literal_run(self) -> int:
        """The longest run of letters and digits (3+ lets a trigram index serve the pattern)."""
        return max((len(run) for run in _LITERAL_RUNS.findall(self.text)), default=0)

    @property
    def prefix(self) -> str:
        """The literal prefix of a PREFIX pattern."""
        return self.text.rstrip("*")


def parse_pattern(raw: str) -> PlatePattern | None:
    """The normalised pattern; None when it matches every plate (`*`)."""
    cleaned = _STARS.sub("*", _NOT_PATTERN.sub("", raw.upper()))
    if not cleaned:
        raise _bad_plate("no letters, digits or wildcards")
    if len(cleaned) > MAX_PATTERN_LENGTH:
        raise _bad_plate(f"longer than {MAX_PATTERN_LENGTH} characters")
    if cleaned == "*":
        return None
    if "*" not in cleaned and "?" not in cleaned:
        return PlatePattern(cleaned, PlateMatch.EXACT)
    head = cleaned[:-1]
    if cleaned.endswith("*") and "*" not in head and "?" not in head:
        return PlatePattern(cleaned, PlateMatch.PREFIX)
    return PlatePattern(cleaned, PlateMatch.WILDCARD)


def prefix_range(prefix: str) -> tuple[str, str | None]:
    """[low, high) holding every plate that starts with prefix; high None when unbounded.

    High is the prefix incremented within 0-9A-Z (not by code point), so the range holds in any
    collation that orders digits before letters, not only in "C"."""
    chars = list(prefix)
    while chars:
        position = _ALPHABET.find(chars[-1])
        if position < len(_ALPHABET) - 1:
            chars[-1] = _ALPHABET[position + 1]
            return prefix, "".join(chars)
        chars.pop()
    return prefix, None


def too_broad() -> InvalidInput:
    """The error for a wildcard that matches too many distinct plates."""
    return _bad_plate(f"pattern too broad: matches more than {MAX_PATTERN_PLATES} plates")


def _bad_plate(reason: str) -> InvalidInput:
    return InvalidInput("invalid plate pattern", [FieldProblem("/plate", reason)])


def dictionary_statement(
    postgresql: bool, pattern: PlatePattern
) -> tuple[TextClause, dict[str, Any]]:
    """The distinct plates a wildcard pattern matches, at most MAX_PATTERN_PLATES + 1 of them.

    With a literal run of 3+ characters the trigram index answers in a few ms at 2M plates.
    Without one (`A?C*`, `*1*`) the dictionary is scanned: about 0.1-0.3 s at 2M distinct
    plates (SQLite can still use the primary key for a literal prefix such as `A?...`)."""
    cap = MAX_PATTERN_PLATES + 1
    if postgresql:
        like = pattern.text.replace("*", "%").replace("?", "_")
        return _text("SELECT plate FROM lpr_plate WHERE plate LIKE :pattern LIMIT :cap"), {
            "pattern": like,
            "cap": cap,
        }
    if pattern.longest_literal_run >= LITERAL_RUN:
        sql = "SELECT plate FROM lpr_plate_fts WHERE plate GLOB :pattern LIMIT :cap"
    else:
        sql = "SELECT plate FROM lpr_plate WHERE plate GLOB :pattern LIMIT :cap"
    # A normalised pattern holds only A-Z0-9*?, so nothing in it needs escaping for GLOB/LIKE.
    return _text(sql), {"pattern": pattern.text, "cap": cap}


@dataclass(frozen=True)
class ReadFilter:
    """Everything but the plate: time window (epoch ms, [since, until)), bounding box, readers,
    vehicle attributes (upper case)."""

    since_ms: int
    until_ms: int
    bbox: tuple[float, float, float, float] | None = None
    """min_lon, min_lat, max_lon, max_lat; longitudes outside +-180 mean 'no longitude filter'."""
    reader_ids: tuple[int, ...] = ()
    make: str | None = None
    model: str | None = None
    colour: str | None = None


@dataclass(frozen=True)
class PlateCondition:
    """The plate part of a read query: a pattern plan and, for wildcards, the matched plates."""

    pattern: PlatePattern | None
    plates: tuple[str, ...] = ()


def reads_statement(
    postgresql: bool,
    plate: PlateCondition,
    wanted: ReadFilter,
    fetch: int,
    after: tuple[int, int] | None = None,
) -> tuple[TextClause, dict[str, Any]]:
    """Newest-first reads matching plate and filter, at most `fetch`, older than the keyset
    `after` = (captured_ms, id) of the last row of the previous page."""
    match = plate.pattern.match if plate.pattern else None
    time_column = "captured_ms"
    if not postgresql and match in (PlateMatch.PREFIX, PlateMatch.WILDCARD):
        time_column = "+captured_ms"
    where, params = _plate_where(postgresql, plate)
    where.append(f"{time_column} >= :since_ms AND {time_column} < :until_ms")
    params.update(since_ms=wanted.since_ms, until_ms=wanted.until_ms, fetch=fetch)
    if after is not None:
        where.append(
            f"{time_column} <= :after_ms AND ({time_column} < :after_ms OR id < :after_id)"
        )
        params.update(after_ms=after[0], after_id=after[1])
    expanding = _filter_where(postgresql, wanted, where, params)
    if match is PlateMatch.WILDCARD and not postgresql:
        expanding = (*expanding, "plates")
    sql = " ".join(
        (
            "SELECT",
            READ_COLUMNS,
            "FROM lpr_read WHERE",
            " AND ".join(where),
            "ORDER BY captured_ms DESC, id DESC LIMIT :fetch",
        )
    )
    return _text(sql, expanding), params


def _plate_where(postgresql: bool, plate: PlateCondition) -> tuple[list[str], dict[str, Any]]:
    pattern = plate.pattern
    if pattern is None:
        return [], {}
    if pattern.match is PlateMatch.EXACT:
        return ["plate = :plate"], {"plate": pattern.text}
    if pattern.match is PlateMatch.PREFIX:
        low, high = prefix_range(pattern.prefix)
        if high is None:
            return ["plate >= :plate_low"], {"plate_low": low}
        return ["plate >= :plate_low AND plate < :plate_high"], {
            "plate_low": low,
            "plate_high": high,
        }
    if postgresql:
        return ["plate = ANY(:plates)"], {"plates": list(plate.plates)}
    return ["plate IN :plates"], {"plates": list(plate.plates)}


def _filter_where(
    postgresql: bool, wanted: ReadFilter, where: list[str], params: dict[str, Any]
) -> tuple[str, ...]:
    expanding: tuple[str, ...] = ()
    if wanted.bbox is not None:
        min_lon, min_lat, max_lon, max_lat = wanted.bbox
        where.append("lat >= :min_lat AND lat <= :max_lat")
        params.update(min_lat=min_lat, max_lat=max_lat)
        if min_lon >= -180.0 and max_lon <= 180.0:
            where.append("lon >= :min_lon AND lon <= :max_lon")
            params.update(min_lon=min_lon, max_lon=max_lon)
    if wanted.reader_ids:
        if postgresql:
            where.append("reader_id = ANY(:reader_ids)")
        else:
            where.append("reader_id IN :reader_ids")
            expanding = ("reader_ids",)
        params["reader_ids"] = list(wanted.reader_ids)
    for name in ("make", "model", "colour"):
        value = getattr(wanted, name)
        if value is not None:
            where.append(f"upper({name}) = :{name}")
            params[name] = value
    return expanding


def readers_statement(postgresql: bool) -> TextClause:
    """Code and name of the readers with the given ids (`:ids`)."""
    if postgresql:
        return _text("SELECT id, code, name FROM lpr_reader WHERE id = ANY(:ids)")
    return _text("SELECT id, code, name FROM lpr_reader WHERE id IN :ids", ("ids",))


def reader_ids_statement(postgresql: bool) -> TextClause:
    """Id and code of the readers with the given codes (`:codes`)."""
    if postgresql:
        return _text("SELECT id, code FROM lpr_reader WHERE code = ANY(:codes)")
    return _text("SELECT id, code FROM lpr_reader WHERE code IN :codes", ("codes",))


@lru_cache(maxsize=512)
def _text(sql: str, expanding: tuple[str, ...] = ()) -> TextClause:
    # Statements are built from fixed fragments only; values always travel as bound parameters.
    clause = text(sql)
    if expanding:
        clause = clause.bindparams(*(bindparam(name, expanding=True) for name in expanding))
    return clause


# --- The retention purge's statements (lists as expanding IN).


def _sql(statement: str, *expanding: str) -> TextClause:
    return text(statement).bindparams(*(bindparam(name, expanding=True) for name in expanding))


EXPIRED = text(
    "SELECT id, plate, reader_id, captured_ms, plate_image, vehicle_image FROM lpr_read "
    "WHERE captured_ms < :cutoff AND captured_ms >= :after_ms "
    "AND (captured_ms > :after_ms OR id > :after_id) AND hit = :hit "
    "ORDER BY captured_ms, id LIMIT :chunk"
)
DELETE_READS = _sql("DELETE FROM lpr_read WHERE id IN :ids", "ids")
_REMOVE_PLATES = _sql(
    "DELETE FROM lpr_plate WHERE plate IN :plates AND NOT EXISTS "
    "(SELECT 1 FROM lpr_read r WHERE r.plate = lpr_plate.plate) RETURNING plate",
    "plates",
)
_RESTORE_PLATES = _sql(
    "INSERT INTO lpr_plate (plate) SELECT DISTINCT plate FROM lpr_read "
    "WHERE plate IN :plates ON CONFLICT DO NOTHING",
    "plates",
)
CASED_PLATES = _sql(
    "SELECT DISTINCT plate_read FROM lpr_alert WHERE case_number IS NOT NULL "
    "AND case_number <> '' AND plate_read IN :plates",
    "plates",
)
_IMAGES = {
    (pg, table): text(
        f"SELECT plate_image, vehicle_image FROM {table} "  # noqa: S608 - table names are constants
        f"WHERE plate_image IN (SELECT {unpack}) OR vehicle_image IN (SELECT {unpack})"
    )
    for pg, unpack in (
        (False, "value FROM json_each(:digests)"),
        (True, "json_array_elements_text(CAST(:digests AS json))"),
    )
    for table in ("lpr_read", "lpr_alert")
}


async def remove_plates(session: AsyncSession, plates: list[str]) -> list[str]:
    """Drop the dictionary rows of these plates that no read refers to any more."""
    return list((await session.execute(_REMOVE_PLATES, {"plates": plates})).scalars())


async def restore_plates(session: AsyncSession, plates: list[str]) -> int:
    """Put back dictionary rows of plates read since they were dropped; how many came back."""
    result = await session.execute(_RESTORE_PLATES, {"plates": plates})
    return int(getattr(result, "rowcount", 0) or 0)


async def referenced_images(session: AsyncSession, pg: bool, digests: list[str]) -> set[str]:
    """Those of the digests that a remaining read or an alert still refers to."""
    used: set[str] = set()
    for table in ("lpr_read", "lpr_alert"):
        rows = await session.execute(_IMAGES[(pg, table)], {"digests": json.dumps(digests)})
        used.update(d for row in rows for d in row if d)
    return used.intersection(digests)
