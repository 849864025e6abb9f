"""Compares what the migrations created with what the models describe, for some tables."""

from __future__ import annotations

import warnings
from collections.abc import Iterable
from typing import Any

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import MetaData, create_engine
from sqlalchemy.exc import SAWarning

from watchfloor.db.base import Base
from watchfloor.db.engine import sync_url
from watchfloor.db.models import import_all_models


def schema_drift(
    database_url: str,
    tables: set[str],
    *,
    also: Iterable[str] = (),
    ignore: frozenset[str] = frozenset(),
) -> list[Any]:
    """Differences between the migrated store and the models of `tables` (empty: they agree).
    `also` are tables the compared ones refer to (copied, not compared); `ignore` are names of
    columns or indexes a migration made that no model describes on purpose."""
    import_all_models()
    only_ours = MetaData(naming_convention=Base.metadata.naming_convention)
    for name in (*also, *tables):
        Base.metadata.tables[name].to_metadata(only_ours)

    def included(name: str | None, kind: str, _parent: Any) -> bool:
        return name not in ignore and (kind != "table" or name in tables)

    engine = create_engine(sync_url(database_url))
    try:
        with warnings.catch_warnings(), engine.connect() as connection:
            warnings.simplefilter("ignore", SAWarning)  # PostGIS types SQLAlchemy does not know
            options = {"compare_type": True, "include_name": included}
            context = MigrationContext.configure(connection, opts=options)
            return [d for d in compare_metadata(context, only_ours) if _touches(d, tables)]
    finally:
        engine.dispose()


def _touches(diff: Any, tables: set[str]) -> bool:
    for part in diff if isinstance(diff, list) else [diff]:
        for value in part[1:] if isinstance(part, tuple) else []:
            table = getattr(value, "table", None)
            name = getattr(value, "name", None) if table is None else table.name
            if name in tables or (isinstance(value, str) and value in tables):
                return True
    return False
