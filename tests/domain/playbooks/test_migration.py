"""The playbook tables the migration creates are the ones the models describe."""

from __future__ import annotations

from tests.support.schema import schema_drift

TABLES = {"playbook", "playbook_run", "playbook_step"}


def test_models_and_migration_agree(database_url: str) -> None:
    assert schema_drift(database_url, TABLES, also=["incident"]) == []
