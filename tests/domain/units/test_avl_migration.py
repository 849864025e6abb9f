"""The AVL source table the migration makes is the one the model says, and 0018 goes down."""

from __future__ import annotations

from sqlalchemy import create_engine, inspect

from tests.support.schema import schema_drift
from watchfloor.db.engine import sync_url
from watchfloor.db.migrate import downgrade, upgrade


def test_model_and_migration_agree(database_url: str) -> None:
    assert schema_drift(database_url, {"avl_source"}) == []


def test_the_migration_goes_down_and_up_again(database_url: str) -> None:
    downgrade(database_url, "0017_fieldlink")
    engine = create_engine(sync_url(database_url))
    try:
        assert "avl_source" not in inspect(engine).get_table_names()
        upgrade(database_url)
        assert "avl_source" in inspect(engine).get_table_names()
    finally:
        engine.dispose()
