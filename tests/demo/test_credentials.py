"""The demo's credentials file: owner-only, read back whole, refused clearly when missing."""

from __future__ import annotations

import stat
from datetime import UTC, datetime
from pathlib import Path

import pyotp
import pytest

from watchfloor.demo.credentials import (
    CREDENTIALS_FILE,
    DemoAccount,
    NoCredentials,
    account_named,
    read_credentials,
    write_credentials,
)

OPERATOR = DemoAccount("operator", "operator", "RT3", "pass phrase", pyotp.random_base32())


def test_the_file_is_owner_only_even_when_it_was_there_before(tmp_path: Path) -> None:
    (tmp_path / CREDENTIALS_FILE).write_text("{}")
    (tmp_path / CREDENTIALS_FILE).chmod(0o644)

    path = write_credentials(tmp_path, [OPERATOR], "http://127.0.0.1:8000/")

    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert read_credentials(tmp_path) == [OPERATOR]


def test_a_missing_file_says_where_it_looked_and_what_to_do(tmp_path: Path) -> None:
    with pytest.raises(NoCredentials, match=r"no demo credentials at .*start `watchfloor demo`"):
        read_credentials(tmp_path / "nowhere")


def test_an_account_gives_the_totp_code_of_its_secret(tmp_path: Path) -> None:
    write_credentials(tmp_path, [OPERATOR], "http://127.0.0.1:8000/")
    at = datetime(2026, 11, 21, 14, 0, tzinfo=UTC)

    account = account_named(tmp_path, "operator")

    assert account.code(at) == pyotp.TOTP(OPERATOR.totp_secret).at(at)
    assert len(account.code()) == 6
    with pytest.raises(KeyError, match="demo accounts are: operator"):
        account_named(tmp_path, "mallory")
