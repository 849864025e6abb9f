"""The camera health tables as migrated match their models, and a camera has at most one open
ticket (the partial unique index), on SQLite and PostgreSQL."""

from __future__ import annotations

import warnings
from datetime import UTC, datetime

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine
from sqlalchemy.exc import IntegrityError, SAWarning

from watchfloor.app import Watchfloor
from watchfloor.db.base import Base
from watchfloor.db.engine import sync_url
from watchfloor.db.models import import_all_models
from watchfloor.domain.cameras.health_models import CameraTicket

TABLES = {"camera_health", "camera_ticket"}


def test_the_migration_matches_the_models(database_url: str) -> None:
    import_all_models()
    engine = create_engine(sync_url(database_url))
    opts = {"compare_type": True, "include_object": _mine}
    try:
        with warnings.catch_warnings(), engine.connect() as connection:
            warnings.simplefilter("ignore", SAWarning)  # PostGIS types it does not know
            diff = compare_metadata(
                MigrationContext.configure(connection, opts=opts), Base.metadata
            )
    finally:
        engine.dispose()
    assert diff == []


def _mine(item: object, name: str | None, kind: str, reflected: bool, other: object) -> bool:
    del reflected, other
    if kind == "table":
        return name in TABLES
    table = getattr(item, "table", None)
    return getattr(table, "name", None) in TABLES


def _ticket(code: str, closed: bool) -> CameraTicket:
    now = datetime(2026, 11, 21, 14, tzinfo=UTC)
    return CameraTicket(
        camera_code=code,
        status="offline",
        problems=["unreachable"],
        opened_at=now,
        last_seen_at=now,
        closed_at=now if closed else None,
        open_mail="sent",
        mail_attempts=0,
    )


async def test_a_camera_has_at_most_one_open_ticket(wf: Watchfloor) -> None:
    async with wf.db.session() as session:
        session.add_all([_ticket("CAM-1", True), _ticket("CAM-1", True), _ticket("CAM-1", False)])
    with pytest.raises(IntegrityError):
        async with wf.db.session() as session:
            session.add(_ticket("CAM-1", False))
