"""The evidence tables the migration creates are the ones the models describe."""

from __future__ import annotations

from tests.support.schema import schema_drift

TABLES = {"evidence_item", "evidence_custody", "evidence_package"}


def test_models_and_migration_agree(database_url: str) -> None:
    assert schema_drift(database_url, TABLES) == []
