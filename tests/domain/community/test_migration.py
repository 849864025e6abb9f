"""The Community Connect tables the migration makes are the ones the models say."""

from __future__ import annotations

from tests.support.schema import schema_drift

TABLES = {
    "community_site",
    "community_camera",
    "community_link",
    "community_request",
    "community_upload",
}


def test_models_and_migration_agree(database_url: str) -> None:
    assert schema_drift(database_url, TABLES) == []
