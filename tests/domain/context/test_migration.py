"""The context tables (and the incident cell) the migration makes are the ones the models say."""

from __future__ import annotations

import warnings
from typing import Any

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import MetaData, create_engine
from sqlalchemy.exc import SAWarning

from watchfloor.db.base import Base
from watchfloor.db.engine import sync_url
from watchfloor.db.models import import_all_models

TABLES = {"unit", "premise", "premise_floor_plan", "incident"}
POSTGIS_ONLY = {"geog", "ix_incident_geog"}  # 0004's generated geography column, not a model's


def _ours(diff: Any) -> bool:
    for part in diff if isinstance(diff, list) else [diff]:
        for value in part[1:] if isinstance(part, tuple) else []:
            table = getattr(value, "table", None)
            name = getattr(value, "name", None) if table is None else table.name
            if name in TABLES or (isinstance(value, str) and value in TABLES):
                return True
    return False


def _included(name: str | None, kind: str, _parent: Any) -> bool:
    if name in POSTGIS_ONLY:
        return False
    return kind != "table" or name in TABLES


def test_models_and_migration_agree(database_url: str) -> None:
    import_all_models()
    only_ours = MetaData(naming_convention=Base.metadata.naming_convention)
    for name in TABLES:
        Base.metadata.tables[name].to_metadata(only_ours)
    engine = create_engine(sync_url(database_url))
    try:
        with warnings.catch_warnings(), engine.connect() as connection:
            warnings.simplefilter("ignore", SAWarning)  # PostGIS types SQLAlchemy does not know
            context = MigrationContext.configure(
                connection,
                opts={
                    "compare_type": True,
                    "include_name": _included,
                },
            )
            diffs = [d for d in compare_metadata(context, only_ours) if _ours(d)]
    finally:
        engine.dispose()
    assert diffs == []
