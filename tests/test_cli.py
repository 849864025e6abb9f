"""The console script: user add, audit verify, db upgrade."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import create_engine, text

from watchfloor.cli import main
from watchfloor.db.engine import sync_url

AUDIT_TRIGGERS = "SELECT name FROM sqlite_master WHERE type='trigger' AND tbl_name='audit_record'"


@pytest.fixture
def env(database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("WATCHFLOOR_DATABASE_URL", database_url)
    monkeypatch.setenv("WATCHFLOOR_DATA_DIR", str(tmp_path / "data"))
    return database_url


def test_user_add_creates_an_admin_and_prints_the_totp_uri(env: str) -> None:
    runner = CliRunner()
    result = runner.invoke(
        main,
        ["user", "add", "chief", "--role", "admin", "--password-stdin"],
        input="a long enough passphrase for the boss\n",
    )
    assert result.exit_code == 0, result.output
    assert "otpauth://totp/" in result.output
    assert "chief" in result.output
    again = runner.invoke(
        main,
        ["user", "add", "weak", "--role", "operator", "--designator", "RT2", "--password-stdin"],
        input="password\n",
    )
    assert again.exit_code != 0
    assert "common" in again.output


def test_audit_verify_passes_then_names_a_tampered_record(env: str) -> None:
    runner = CliRunner()
    for name in ("audrey", "bashir"):
        created = runner.invoke(
            main,
            ["user", "add", name, "--role", "auditor", "--password-stdin"],
            input="a passphrase long enough to pass\n",
        )
        assert created.exit_code == 0, created.output
    intact = runner.invoke(main, ["audit", "verify"])
    assert intact.exit_code == 0, intact.output
    engine = create_engine(sync_url(env))
    with engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            conn.execute(text("SET LOCAL session_replication_role = replica"))
        else:
            for (name,) in conn.execute(text(AUDIT_TRIGGERS)):
                conn.execute(text(f'DROP TRIGGER "{name}"'))
        conn.execute(text("UPDATE audit_record SET object_id = 'forged' WHERE seq = 1"))
    engine.dispose()
    tampered = runner.invoke(main, ["audit", "verify"])
    assert tampered.exit_code == 1
    assert "1" in tampered.output


def test_db_upgrade_is_idempotent(env: str) -> None:
    result = CliRunner().invoke(main, ["db", "upgrade"])
    assert result.exit_code == 0, result.output
    assert "newest revision" in result.output


def test_openapi_prints_the_spec_the_console_client_is_generated_from() -> None:
    import json

    result = CliRunner().invoke(main, ["openapi"])
    assert result.exit_code == 0, result.output
    spec = json.loads(result.stdout)
    assert spec["info"]["title"] == "Watchfloor"
    assert {"/api/incidents/queue", "/api/console/config", "/api/map/basemap"} <= set(spec["paths"])
