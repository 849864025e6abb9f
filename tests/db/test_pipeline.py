"""Reads sent together, or one by one through their kept shapes, answer exactly as SQLAlchemy's
own execution of each: the same rows, with the column types' conversions (time zones, JSON)
and expanded IN lists, in the order asked."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from functools import partial
from typing import Any

import pytest
from sqlalchemy import bindparam, create_engine, event, literal, select, union_all
from sqlalchemy.orm import Session

from watchfloor.db.engine import sync_url
from watchfloor.db.pipeline import Read, read_one, read_together
from watchfloor.domain.alerts.models import Alert

AT = datetime(2026, 11, 21, 14, 0, tzinfo=UTC)

_BY_IDS = select(Alert.id, Alert.occurred_at, Alert.details).where(
    Alert.id.in_(bindparam("ids", expanding=True))
)
_SINCE = select(Alert.id).where(Alert.occurred_at >= bindparam("since")).order_by(Alert.id)
_TAGGED = union_all(
    select(literal(1).label("part"), Alert.id.label("id")).where(Alert.kind == "gunshot"),
    select(literal(2), Alert.id).where(Alert.kind == "panic"),
)

_PANICS_AFTER = (
    select(Alert.id)
    .where(
        Alert.kind.in_(["panic", "sensor"]),  # a literal list: SQLAlchemy expands it as well
        Alert.id.not_in(bindparam("skip", expanding=True)),
        Alert.occurred_at >= bindparam("since", value=AT),  # a default a caller may leave out
    )
    .order_by(Alert.id)
)


def _by_sqlalchemy(session: Session, read: Read) -> list[Any]:
    """The read's rows through SQLAlchemy's own execution (what the shapes must match)."""
    return list(session.connection().execute(read.statement, dict(read.params)).all())


def _alert(n: int, kind: str) -> Alert:
    return Alert(
        id=f"a{n}",
        kind=kind,
        status="new",
        priority=1,
        title=f"alert {n}",
        source="test",
        source_ref=f"ref-{n}",
        report_count=1,
        occurred_at=AT + timedelta(minutes=n),
        received_at=AT + timedelta(minutes=n),
        updated_at=AT + timedelta(minutes=n),
        details={"rounds": n, "note": "ü"},
    )


def test_reads_together_on_two_connections_answer_as_each_alone(database_url: str) -> None:
    engine = create_engine(sync_url(database_url))
    try:
        with Session(engine) as session:
            session.add_all([_alert(n, "gunshot" if n % 2 else "panic") for n in range(1, 6)])
            session.commit()
            reads = [
                Read(_BY_IDS, {"ids": ["a1", "a4", "nope"]}),
                Read(_SINCE, {"since": AT + timedelta(minutes=3)}),
                Read(_TAGGED, {}),
                Read(_BY_IDS, {"ids": ["a2"]}),
            ]
            seen: list[str] = []

            def record(*args: object) -> None:
                seen.append(str(args[2]))

            event.listen(engine, "before_cursor_execute", record)
            with Session(engine) as other:
                sent = partial(seen.append, "(all sent)")
                lanes = read_together([(other, reads[:1]), (session, reads[1:])], sent=sent)
            event.remove(engine, "before_cursor_execute", record)
            alone = [_by_sqlalchemy(session, r) for r in reads]
    finally:
        engine.dispose()
    assert [len(lane) for lane in lanes] == [1, 3]
    # the engine's listeners see every read sent (statement logs, the bench's replay)
    assert [sql.lstrip()[:6].upper() for sql in seen if "alert" in sql] == ["SELECT"] * 4
    # `sent` is told once every read is in flight (PostgreSQL), or before they run one by one
    told = [s if s == "(all sent)" else "read" for s in seen if "alert" in s or s[0] == "("]
    if engine.dialect.name == "postgresql":
        assert told == ["read"] * 4 + ["(all sent)"]
    else:
        assert told == ["(all sent)"] + ["read"] * 4
    together = [rows for lane in lanes for rows in lane]
    assert [[tuple(row) for row in rows] for rows in together] == [
        [tuple(row) for row in rows] for rows in alone
    ]
    by_id = {row.id: row for row in together[0]}
    assert set(by_id) == {"a1", "a4"}
    assert by_id["a4"].occurred_at == AT + timedelta(minutes=4)
    assert by_id["a4"].occurred_at.utcoffset() == timedelta(0)
    assert by_id["a4"].details == {"rounds": 4, "note": "ü"}
    assert [row.id for row in together[1]] == ["a3", "a4", "a5"]
    assert sorted((row.part, row.id) for row in together[2]) == [
        (1, "a1"),
        (1, "a3"),
        (1, "a5"),
        (2, "a2"),
        (2, "a4"),
    ]
    assert [row.id for row in together[3]] == ["a2"]


def test_a_statement_sent_again_with_other_list_lengths_and_parameters_answers_as_alone(
    database_url: str,
) -> None:
    engine = create_engine(sync_url(database_url))
    later = {"since": AT + timedelta(minutes=3)}
    reads = [
        Read(_PANICS_AFTER, {"skip": ["a2"]}),
        Read(_PANICS_AFTER, {"skip": ["a9"], **later}),  # same length, the default given
        Read(_PANICS_AFTER, {"skip": []}),
        Read(_PANICS_AFTER, {"skip": ["a1", "a3", "a9"]}),
        Read(_PANICS_AFTER, {"skip": ["a4"]}),  # the first's shape again
        Read(_BY_IDS, {"ids": []}),
    ]
    try:
        with Session(engine) as session:
            session.add_all([_alert(n, "gunshot" if n % 2 else "panic") for n in range(1, 6)])
            session.commit()
            for _again in range(2):  # the second time every shape is already made
                [together] = read_together([(session, reads)])
                one_by_one = [read_one(session, r) for r in reads]
                alone = [
                    [tuple(row) for row in rows]
                    for rows in (_by_sqlalchemy(session, r) for r in reads)
                ]
                assert [[tuple(row) for row in rows] for rows in together] == alone
                assert [[tuple(row) for row in rows] for rows in one_by_one] == alone
    finally:
        engine.dispose()
    assert [[row.id for row in rows] for rows in together] == [
        ["a4"],
        ["a4"],
        ["a2", "a4"],
        ["a2", "a4"],
        ["a2"],
        [],
    ]


def test_parameters_pass_through_their_column_types(database_url: str) -> None:
    engine = create_engine(sync_url(database_url))
    naive = Read(_SINCE, {"since": datetime(2026, 11, 21, 14, 3)})  # noqa: DTZ001 (the point)
    try:
        with Session(engine) as session:
            # the UTC column refuses a naive time, sent together or alone, as SQLAlchemy does
            with pytest.raises(ValueError, match="naive datetime"):
                read_together([(session, [naive])])
            with pytest.raises(ValueError, match="naive datetime"):
                read_one(session, naive)
    finally:
        engine.dispose()
