"""Settings: validated, from environment and an optional TOML file, never at import time."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import ValidationError

from watchfloor.settings import load_settings


def test_defaults_run_on_sqlite_in_the_data_dir(tmp_path: Path) -> None:
    settings = load_settings(data_dir=tmp_path)
    assert settings.sqlalchemy_url() == f"sqlite:///{tmp_path / 'watchfloor.db'}"
    assert settings.security.lockout_threshold == 5
    assert settings.security.session_idle_minutes == 30


def test_environment_and_nested_values(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("WATCHFLOOR_PORT", "8123")
    monkeypatch.setenv("WATCHFLOOR_SECURITY__LOCKOUT_THRESHOLD", "3")
    settings = load_settings(data_dir=tmp_path)
    assert settings.port == 8123
    assert settings.security.lockout_threshold == 3


def test_toml_file(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    config = tmp_path / "watchfloor.toml"
    config.write_text('port = 9001\n[eido.agency_incident_codes]\n"10-50" = "TRAFFIC"\n')
    monkeypatch.setenv("WATCHFLOOR_CONFIG", str(config))
    settings = load_settings(data_dir=tmp_path)
    assert settings.port == 9001
    assert settings.eido.agency_incident_codes == {"10-50": "TRAFFIC"}


def test_missing_config_file_and_bad_values_are_refused(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    with pytest.raises(ValidationError, match="session_idle_minutes"):
        load_settings(data_dir=tmp_path, security={"session_idle_minutes": 45})
    with pytest.raises(ValidationError, match="demo_mode"):
        load_settings(data_dir=tmp_path, demo_mode=True, database_url="postgresql://x/y")
    monkeypatch.setenv("WATCHFLOOR_CONFIG", str(tmp_path / "absent.toml"))
    with pytest.raises(FileNotFoundError):
        load_settings(data_dir=tmp_path)


def test_database_url_is_secret_in_repr(tmp_path: Path) -> None:
    settings = load_settings(data_dir=tmp_path, database_url="postgresql://u:hunter22@h/db")
    assert "hunter22" not in repr(settings)
