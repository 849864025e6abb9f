"""The geofence tables the migration creates are the ones the models describe."""

from __future__ import annotations

from typing import Any

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import MetaData, create_engine

from watchfloor.db.base import Base
from watchfloor.db.engine import sync_url
from watchfloor.domain.geofences import models

TABLES = {"geofence", "monitored_position", "geofence_presence", "geofence_firing"}


def _ours(diff: Any) -> bool:
    for part in diff if isinstance(diff, list) else [diff]:
        for value in part[1:] if isinstance(part, tuple) else []:
            table = getattr(value, "table", None)
            name = getattr(value, "name", None) if table is None else table.name
            if name in TABLES or (isinstance(value, str) and value in TABLES):
                return True
    return False


def test_models_and_migration_agree(database_url: str) -> None:
    assert models.Geofence.__tablename__ in Base.metadata.tables
    only_ours = MetaData(naming_convention=Base.metadata.naming_convention)
    for name in TABLES:
        Base.metadata.tables[name].to_metadata(only_ours)
    engine = create_engine(sync_url(database_url))
    try:
        with engine.connect() as connection:
            context = MigrationContext.configure(
                connection,
                opts={
                    "compare_type": True,
                    "include_name": lambda name, kind, _parent: kind != "table" or name in TABLES,
                },
            )
            diffs = [d for d in compare_metadata(context, only_ours) if _ours(d)]
    finally:
        engine.dispose()
    assert diffs == []
