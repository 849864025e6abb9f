"""Fixtures shared by the whole suite: a real store (SQLite or PostgreSQL), a built Watchfloor,
an HTTPS test client. WATCHFLOOR_TEST_STORE picks the store; `make test` runs both."""

from __future__ import annotations

import os
import shutil
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from httpx import ASGITransport, AsyncClient
from sqlalchemy import create_engine, text

from watchfloor.app import Watchfloor, build, create_app
from watchfloor.core.clock import ManualClock
from watchfloor.db.migrate import upgrade
from watchfloor.settings import Settings, load_settings

STORE = os.environ.get("WATCHFLOOR_TEST_STORE", "sqlite")
PG_URL = os.environ.get("WATCHFLOOR_TEST_DATABASE_URL")
START = datetime(2026, 11, 21, 14, 0, 0, tzinfo=UTC)
# A test process builds and drops hundreds of Watchfloors: freezing one's heap at its start would
# keep it for the whole session (tests/core/test_heap.py covers the keeper itself).
os.environ["WATCHFLOOR_HEAP_FREEZE"] = "false"


def pytest_report_header() -> str:
    return f"watchfloor store: {STORE}"


@pytest.fixture(scope="session")
def _sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("template") / "watchfloor.db"
    upgrade(f"sqlite:///{path}")
    return path


@pytest.fixture(scope="session")
def _pg_migrated() -> str:
    if PG_URL is None:
        raise RuntimeError("WATCHFLOOR_TEST_STORE=postgresql needs WATCHFLOOR_TEST_DATABASE_URL")
    upgrade(PG_URL)
    return PG_URL


def _truncate_all(url: str) -> None:
    engine = create_engine(url.replace("postgresql://", "postgresql+psycopg://", 1))
    with engine.begin() as conn:
        tables = conn.execute(
            text(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public' "
                "AND tablename NOT IN ('alembic_version', 'spatial_ref_sys')"
            )
        ).scalars()
        names = ", ".join(f'"{t}"' for t in tables)
        if names:
            # replica mode: the audit log's protective triggers do not fire for test cleanup.
            conn.execute(text("SET LOCAL session_replication_role = replica"))
            conn.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
    engine.dispose()


@pytest.fixture
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A migrated, empty database of the store under test."""
    if STORE == "postgresql":
        url: str = request.getfixturevalue("_pg_migrated")
        _truncate_all(url)
        yield url
        return
    template: Path = request.getfixturevalue("_sqlite_template")
    target = tmp_path / "watchfloor.db"
    shutil.copyfile(template, target)
    yield f"sqlite:///{target}"


@pytest.fixture
def clock() -> ManualClock:
    """A clock that moves only when the test says so."""
    return ManualClock(START)


@pytest.fixture
def settings(database_url: str, tmp_path: Path) -> Settings:
    """Settings for a test installation."""
    return load_settings(data_dir=tmp_path / "data", database_url=database_url)


@pytest.fixture
async def wf(settings: Settings, clock: ManualClock) -> AsyncIterator[Watchfloor]:
    """A built Watchfloor (already migrated by the database fixture)."""
    built = build(settings, clock=clock, migrate=False)
    try:
        yield built
    finally:
        await built.stop()


@pytest.fixture
async def client(wf: Watchfloor) -> AsyncIterator[AsyncClient]:
    """An HTTPS client to the app (https so Secure cookies travel)."""
    app = create_app(wf)
    transport = ASGITransport(app=app, client=("203.0.113.7", 50000))
    async with AsyncClient(transport=transport, base_url="https://testserver") as http:
        yield http
