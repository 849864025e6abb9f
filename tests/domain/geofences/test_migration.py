"""The geofence tables the migration creates are the ones the models describe."""

from __future__ import annotations

from tests.support.schema import schema_drift

TABLES = {"geofence", "monitored_position", "geofence_presence", "geofence_firing"}


def test_models_and_migration_agree(database_url: str) -> None:
    assert schema_drift(database_url, TABLES) == []
