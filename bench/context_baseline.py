"""The context packet's same-run baseline: the store statements each packet ran, replayed right
after it as bare SQL, one after another on a plain driver connection (no app, no threads, no
models). The shared host's speed moves both together, so their ratio compares across runs."""

from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import Sequence
from types import TracebackType
from typing import Any

import psycopg
from sqlalchemy import event
from sqlalchemy.engine import Engine

Statement = tuple[str, Any]
"""A statement as handed to the driver: its SQL and its parameters."""

READS = ("SELECT", "WITH")
"""What is replayed: the reads (a transaction's BEGIN belongs to the app's session, not to the
store's work)."""


class StatementLog:
    """Records the statements every engine sends to its driver while the log is open."""

    def __init__(self) -> None:
        self._seen: list[Statement] = []
        self._lock = threading.Lock()

    def __enter__(self) -> StatementLog:
        event.listen(Engine, "before_cursor_execute", self._record)
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        exc: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        event.remove(Engine, "before_cursor_execute", self._record)

    def take(self) -> list[Statement]:
        """The reads recorded since the last take, in the order they were sent."""
        with self._lock:
            seen, self._seen = self._seen, []
        return [s for s in seen if s[0].lstrip().upper().startswith(READS)]

    def _record(
        self, _conn: Any, _cursor: Any, statement: str, parameters: Any, *_rest: Any
    ) -> None:
        with self._lock:  # the packet's reads run on several threads at once
            self._seen.append((statement, parameters))


class BareReplay:
    """A plain driver connection to the store that times statements run one after another."""

    def __init__(self, url: str) -> None:
        if url.startswith("sqlite:///"):
            self._conn: Any = sqlite3.connect(url.removeprefix("sqlite:///"), isolation_level=None)
            self._conn.execute("PRAGMA cache_size=-65536")  # the app's page cache per connection
        else:
            libpq = url.replace("postgresql+psycopg://", "postgresql://")
            self._conn = psycopg.connect(libpq, autocommit=True)

    def __enter__(self) -> BareReplay:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        exc: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self._conn.close()

    def timed(self, statements: Sequence[Statement]) -> float:
        """Milliseconds to run the statements and fetch every row."""
        started = time.perf_counter()
        for sql, parameters in statements:
            cursor = self._conn.cursor()
            cursor.execute(sql, parameters)
            cursor.fetchall()
            cursor.close()
        return (time.perf_counter() - started) * 1000
