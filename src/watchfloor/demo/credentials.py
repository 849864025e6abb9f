"""The demo's logons, kept in a 0600 file in the demo data directory so `watchfloor demo code`
can print a current TOTP code from another terminal."""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass
from datetime import datetime
from pathlib import Path

import pyotp

CREDENTIALS_FILE = "demo-credentials.json"


def demo_data_dir() -> Path:
    """Where the demo keeps its throwaway store (WATCHFLOOR_DATA_DIR or ./watchfloor-data/demo)."""
    return Path(os.environ.get("WATCHFLOOR_DATA_DIR", "watchfloor-data/demo")).resolve()


class NoCredentials(Exception):
    """No demo credentials file: the demo has not run with this data directory."""


@dataclass(frozen=True)
class DemoAccount:
    """One demo logon: throwaway, valid only in the demo's data directory."""

    username: str
    role: str
    designator: str | None
    password: str
    totp_secret: str

    def code(self, at: datetime | None = None) -> str:
        """The account's TOTP code at `at` (now when None)."""
        totp = pyotp.TOTP(self.totp_secret)
        return str(totp.at(at) if at is not None else totp.now())


def write_credentials(data_dir: Path, accounts: list[DemoAccount], console_url: str) -> Path:
    """Write the demo logons, readable by the owner only; returns the file's path."""
    path = data_dir / CREDENTIALS_FILE
    data_dir.mkdir(parents=True, exist_ok=True)
    body = json.dumps(
        {"console": console_url, "accounts": [asdict(a) for a in accounts]}, indent=1
    ).encode("utf-8")
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        os.fchmod(descriptor, 0o600)  # an older file keeps its mode through O_CREAT: reset it
        os.write(descriptor, body)
    finally:
        os.close(descriptor)
    return path


def read_credentials(data_dir: Path) -> list[DemoAccount]:
    """The demo logons; NoCredentials when the demo has not written them here."""
    path = data_dir / CREDENTIALS_FILE
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise NoCredentials(
            f"no demo credentials at {path}: start `watchfloor demo` first "
            "(from the same directory, or with the same WATCHFLOOR_DATA_DIR)"
        ) from None
    return [DemoAccount(**account) for account in raw["accounts"]]


def account_named(data_dir: Path, username: str) -> DemoAccount:
    """The demo logon with this username; KeyError naming the known ones when there is none."""
    accounts = read_credentials(data_dir)
    for account in accounts:
        if account.username == username:
            return account
    known = ", ".join(a.username for a in accounts)
    raise KeyError(f"no demo account {username!r}; the demo accounts are: {known}")
