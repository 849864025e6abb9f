"""Independent reads sent together: on PostgreSQL in one pipeline, elsewhere one after another.

A packet of small indexed reads spends more on its round trips, thread hand-offs and per-statement
driver work than the store spends answering them. In psycopg's pipeline mode the statements go
out at once and the server works through them while the client waits once: one round trip, one
thread. The statements are the prebuilt selects the domain modules own, compiled once for the
dialect; their parameters and results pass through the column types as they do through
SQLAlchemy's own execution (time zones, JSON)."""

from __future__ import annotations

from collections import namedtuple
from collections.abc import Callable, Iterable, Mapping, Sequence
from contextlib import ExitStack
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, NamedTuple

from sqlalchemy import ColumnElement, Executable, SelectBase
from sqlalchemy.engine import Connection, Dialect
from sqlalchemy.orm import Session
from sqlalchemy.sql.compiler import SQLCompiler


class Read(NamedTuple):
    """One read of a batch: a prebuilt select and its parameters."""

    statement: Executable
    params: Mapping[str, Any]


@dataclass
class _Compiled:
    statement: Executable
    compiled: SQLCompiler
    row: Callable[[Iterable[Any]], tuple[Any, ...]]
    columns: list[ColumnElement[Any]]
    expanding: tuple[str, ...]
    """The parameters that are lists, each element bound on its own (IN lists; literal lists
    among them, which no caller gives)."""
    results: tuple[tuple[int, Callable[[Any], Any]], ...] | None = None
    """The columns that have a result processor, with it (made from the first result's column
    types); most columns have none, and their values pass as they are."""
    shapes: dict[tuple[Any, ...], _Shape] = field(default_factory=dict)
    """The statement as sent, by the caller's parameter names and its lists' lengths."""


@dataclass(frozen=True)
class _Shape:
    """The statement as sent for lists of given lengths: its SQL, the parameters it holds as
    constants (literals), and where each of the caller's parameters goes, element by element
    for lists. SQLAlchemy re-renders the SQL of every execution that has a list parameter;
    the SQL depends only on the lists' lengths (and on which parameters the caller gives), so it
    is rendered once per shape."""

    sql: str
    constants: dict[str, Any]
    places: tuple[tuple[str, tuple[str, ...] | None], ...]
    processors: Mapping[str, Callable[[Any], Any]]
    positions: Sequence[str] | None
    """The parameters' order for a driver that takes them by position (SQLite's)."""

    def bound(self, params: Mapping[str, Any]) -> dict[str, Any] | tuple[Any, ...]:
        """The driver's parameters for the caller's."""
        named = self._named(params)
        if self.positions is None:
            return named
        return tuple(named[key] for key in self.positions)

    def _named(self, params: Mapping[str, Any]) -> dict[str, Any]:
        bound = dict(self.constants)
        process = self.processors
        for name, expanded in self.places:
            value = params[name]
            pairs = ((name, value),) if expanded is None else zip(expanded, value, strict=True)
            for key, one in pairs:
                bound[key] = process[key](one) if key in process else one
        return bound


Lane = tuple[Session, Sequence[Read]]
"""Reads for one connection (a session's): on PostgreSQL they are one pipeline."""


def read_together(
    lanes: Sequence[Lane], sent: Callable[[], None] | None = None
) -> list[list[list[Any]]]:
    """The rows of each read of each lane, in order (named tuples). On PostgreSQL every
    lane's pipeline is in flight at once, so the server works on the lanes side by side while
    this one thread waits; `sent` is called once they are all on their way, before the wait
    (elsewhere, before the first read)."""
    if not lanes or lanes[0][0].connection().dialect.name != "postgresql":
        if sent is not None:
            sent()
        return [[read_one(session, r) for r in reads] for session, reads in lanes]
    dialect = lanes[0][0].connection().dialect
    sending: list[list[tuple[_Compiled, Any]]] = []
    with ExitStack() as pipelines:
        # the first lane is sent first and waited for last: the longest work belongs there
        for session, reads in lanes:
            conn = session.connection()
            driver = conn.connection.driver_connection
            assert driver is not None
            pipelines.enter_context(driver.pipeline())
            sending.append([_sent(conn, driver, read) for read in reads])
        if sent is not None:
            sent()
    return [[_rows(plan, cursor, dialect) for plan, cursor in lane] for lane in sending]


def _sent(conn: Connection, driver: Any, read: Read) -> tuple[_Compiled, Any]:
    plan = _compiled(read.statement, conn.dialect)
    # the caller's parameter names too: one left out takes the statement's default instead
    params = read.params
    given = (tuple(params), *(len(params[name]) for name in plan.expanding if name in params))
    shape = plan.shapes.get(given)
    if shape is None:
        shape = plan.shapes[given] = _shape(plan.compiled, params)
    bound = shape.bound(params)
    cursor = driver.cursor()
    # the engine's listeners (statement logging, tracing) see it as they see every statement
    conn.dispatch.before_cursor_execute(conn, cursor, shape.sql, bound, None, False)
    cursor.execute(shape.sql, bound)
    return plan, cursor


def _shape(compiled: SQLCompiler, params: Mapping[str, Any]) -> _Shape:
    state = compiled.construct_expanded_state(dict(params))
    # the expanded state holds only the list elements' processors: the others are the types'
    dialect = compiled.dialect
    processors = {
        name: process
        for bind, name in compiled.bind_names.items()
        if (process := bind.type.dialect_impl(dialect).bind_processor(dialect)) is not None
    }
    processors.update(state.processors)
    expansion = state.parameter_expansion
    places = tuple(
        (name, tuple(expansion[name]) if name in expansion else None)
        for name in params
        if name in expansion or name in state.parameters
    )
    given = {key for name, expanded in places for key in (expanded or (name,))}
    constants = {
        key: processors[key](value) if key in processors else value
        for key, value in state.parameters.items()
        if key not in given
    }
    positions = state.positiontup if compiled.positional else None
    return _Shape(state.statement, constants, places, processors, positions)


def _rows(plan: _Compiled, cursor: Any, dialect: Dialect) -> list[Any]:
    if plan.results is None:
        types = [d[1] for d in cursor.description]  # DB-API: (name, type_code, ...)
        processors = (
            c.type.dialect_impl(dialect).result_processor(dialect, t)
            for c, t in zip(plan.columns, types, strict=True)
        )
        plan.results = tuple((i, p) for i, p in enumerate(processors) if p is not None)
    if not plan.results:
        return list(map(plan.row, cursor.fetchall()))
    return [_row(plan.results, plan.row, raw) for raw in cursor.fetchall()]


def read_one(session: Session, read: Read) -> list[Any]:
    """The rows of one read, on the session's connection (sent as read_together sends them:
    its statement's kept shape straight to the driver)."""
    conn = session.connection()
    plan, cursor = _sent(conn, conn.connection.driver_connection, read)
    try:
        return _rows(plan, cursor, conn.dialect)
    finally:
        cursor.close()


def _row(
    results: tuple[tuple[int, Callable[[Any], Any]], ...],
    row: Callable[[Iterable[Any]], tuple[Any, ...]],
    raw: Sequence[Any],
) -> tuple[Any, ...]:
    values = list(raw)
    for i, process in results:
        values[i] = process(values[i])
    return row(values)


@lru_cache(maxsize=256)
def _compiled(statement: Executable, dialect: Dialect) -> _Compiled:
    # Statements compare by identity and the cache holds them, so an entry is never mistaken
    # for a later statement; one built per call (rare) only passes through the cache.
    assert isinstance(statement, SelectBase), "only selects are read together"
    compiled = statement.compile(dialect=dialect)
    assert isinstance(compiled, SQLCompiler)
    columns = list(statement.selected_columns)
    names = [c.key or f"c{i}" for i, c in enumerate(columns)]
    row = namedtuple("Row", names, rename=True)  # type: ignore[misc]
    expanding = tuple(name for name, bind in compiled.binds.items() if bind.expanding)
    return _Compiled(statement, compiled, row._make, columns, expanding)
