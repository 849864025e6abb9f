"""The unit tables the migrations make are the ones the models say; 0016 keeps the CAD's kind."""

from __future__ import annotations

from sqlalchemy import create_engine, text

from tests.support.schema import schema_drift
from watchfloor.db.engine import sync_url
from watchfloor.db.migrate import downgrade, upgrade

TABLES = {"unit", "unit_position"}


def test_models_and_migration_agree(database_url: str) -> None:
    assert schema_drift(database_url, TABLES) == []


def test_the_migration_reads_existing_kinds_and_gives_empty_crews(database_url: str) -> None:
    downgrade(database_url, "0015_geofences")
    engine = create_engine(sync_url(database_url))
    try:
        with engine.begin() as connection:
            connection.execute(
                text(
                    "INSERT INTO unit (code, name, kind, status, status_at, status_by, updated_at)"
                    " VALUES ('1A10', '1A10', 'PatrolCar', 'available', :at, 'cad', :at)"
                ),
                {"at": "2026-11-21 14:00:00"},
            )
        upgrade(database_url, "0016_units")
        with engine.connect() as connection:
            row = connection.execute(
                text("SELECT kind, kind_text, crew, capabilities FROM unit")
            ).one()
    finally:
        engine.dispose()
        upgrade(database_url, "head")
    assert (row.kind, row.kind_text) == ("unknown", "PatrolCar")
    assert [row.crew, row.capabilities] in ([[], []], ["[]", "[]"])
