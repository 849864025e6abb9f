"""The context tables (and the incident cell) the migration makes are the ones the models say."""

from __future__ import annotations

from tests.support.schema import schema_drift

TABLES = {"unit", "premise", "premise_floor_plan", "incident"}
POSTGIS_ONLY = frozenset({"geog", "ix_incident_geog"})  # 0004's geography column, no model's


def test_models_and_migration_agree(database_url: str) -> None:
    assert schema_drift(database_url, TABLES, ignore=POSTGIS_ONLY) == []
