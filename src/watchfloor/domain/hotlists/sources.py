"""Where an import's bytes come from, and the blocking work on them (hashing, counting lines,
parsing into rows) that the importer runs in a worker thread, one chunk at a time."""

from __future__ import annotations

import hashlib
import io
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from itertools import islice
from pathlib import Path
from typing import Any, BinaryIO

from watchfloor.connectors.hotlists import HotlistRecord, LineProblem, Parsed, parse

READ_BYTES = 1 << 20


@dataclass(frozen=True)
class Source:
    """An extract to import: a file where the extract lands, or an uploaded body."""

    label: str
    path: Path | None = None
    body: bytes | None = None

    def open(self) -> BinaryIO:
        """A binary stream of the extract (one open stream serves the whole import, so a file
        renamed into place meanwhile does not mix two extracts)."""
        if self.body is not None:
            return io.BytesIO(self.body)
        if self.path is None:
            raise ValueError("a source needs a path or a body")
        return self.path.open("rb")


@dataclass(frozen=True)
class Measure:
    """The extract's SHA-256 and number of lines."""

    sha256: str
    lines: int


def measure(stream: BinaryIO) -> Measure:
    """Hash and count the lines of a stream, then rewind it."""
    digest = hashlib.sha256()
    lines = 0
    last = b"\n"
    while chunk := stream.read(READ_BYTES):
        digest.update(chunk)
        lines += chunk.count(b"\n")
        last = chunk[-1:]
    stream.seek(0)
    return Measure(digest.hexdigest(), lines + (last != b"\n"))


def measure_source(source: Source) -> Measure:
    """Hash and count the lines of a source (for the unchanged-source check)."""
    with source.open() as stream:
        return measure(stream)


ENTRY_COLUMNS = (
    "hotlist_id",
    "plate",
    "plate_raw",
    "state",
    "plate_type",
    "reason_code",
    "list_code",
    "nic",
    "ori",
    "oca",
    "vehicle_year",
    "make",
    "model",
    "style",
    "colour",
    "description",
    "entered_at",
    "expires_at",
    "removed_at",
    "removed_by",
)
"""The hotlist_entry columns an imported row sets, in the order of ChunkReader's tuples."""

TimeEncoder = Callable[[datetime], Any]
"""Turns an aware datetime into what the database driver takes for a UTC timestamp column."""


@dataclass
class Chunk:
    """Rows to insert (tuples in ENTRY_COLUMNS order) and problems of the next stretch of lines."""

    rows: list[tuple[Any, ...]] = field(default_factory=list)
    problems: list[LineProblem] = field(default_factory=list)
    last_line: int = 0


class ChunkReader:
    """Parses an extract a chunk at a time into hotlist_entry rows marked as staged."""

    def __init__(
        self,
        stream: BinaryIO,
        source_format: str,
        default_reason: str | None,
        staged: tuple[int, datetime, str],
        encode_time: TimeEncoder,
    ) -> None:
        # utf-8-sig drops a byte-order mark; undecodable bytes become U+FFFD, which the
        # parsers refuse in a plate, so one bad line never stops the file.
        self._text = io.TextIOWrapper(stream, encoding="utf-8-sig", errors="replace", newline="")
        self._items: Iterator[Parsed] = parse(source_format, self._text, default_reason)
        self._hotlist_id, staged_at, self._tag = staged
        self._encode = encode_time
        self._times: dict[datetime, Any] = {}  # extracts repeat their dates: encode each once
        self._staged_at = self._time(staged_at)

    def close(self) -> None:
        """Close the extract (the wrapped binary stream with it)."""
        self._text.close()

    def next_chunk(self, size: int) -> Chunk | None:
        """The next size parsed lines (None when the extract is done)."""
        chunk = Chunk()
        for item in islice(self._items, size):
            chunk.last_line = item.line
            if isinstance(item, HotlistRecord):
                chunk.rows.append(self._row(item))
            else:
                chunk.problems.append(item)
        if not chunk.rows and not chunk.problems:
            return None
        # In plate order, the (hotlist_id, plate) index is filled page by page, not at random.
        chunk.rows.sort(key=_plate)
        return chunk

    def _row(self, r: HotlistRecord) -> tuple[Any, ...]:
        return (
            self._hotlist_id,
            r.plate,
            r.plate_raw,
            r.state,
            r.plate_type,
            r.reason_code,
            r.list_code,
            r.nic,
            r.ori,
            r.oca,
            r.vehicle_year,
            r.make,
            r.model,
            r.style,
            r.colour,
            r.description,
            self._time(r.entered_at),
            self._time(r.expires_at),
            self._staged_at,
            self._tag,
        )

    def _time(self, value: datetime | None) -> Any:
        if value is None:
            return None
        encoded = self._times.get(value)
        if encoded is None:
            if len(self._times) > 100_000:
                self._times.clear()
            encoded = self._times[value] = self._encode(value)
        return encoded


def _plate(row: tuple[Any, ...]) -> str:
    return str(row[1])
