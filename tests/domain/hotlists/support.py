"""Helpers for hotlist tests: extracts in NCIC and CSV form, and lists made over HTTP."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from httpx import AsyncClient

from tests.support.auth import login_as
from watchfloor.app import Watchfloor
from watchfloor.core.context import Role

NCIC_HEADER = "NCIC LPR EXTRACT\n"


def ncic_line(plate: str, state: str = "CA", code: str = "V", colour: str = "BLK") -> str:
    """One fixed-width NCIC extract line."""
    nic = f"{code}{abs(hash(plate)) % 10**9:09d}"
    return f"{nic}LA057020020190509{plate:<10}{state:<2}2009PC2009TOYTCAMSD{colour}\n"


def ncic_extract(*plates: str) -> str:
    """A whole extract: header and one stolen-vehicle line per plate."""
    return NCIC_HEADER + "".join(ncic_line(plate) for plate in plates)


async def make_list(
    wf: Watchfloor,
    client: AsyncClient,
    *,
    name: str = "NCIC",
    kind: str = "ncic",
    source_format: str = "ncic_fixed",
    source_uri: Path | None = None,
    refresh_every_minutes: int | None = None,
    max_age_minutes: int = 1440,
    default_reason: str | None = None,
) -> dict[str, Any]:
    """Create a list as a supervisor (the client stays logged on as one)."""
    await login_as(wf, client, Role.SUPERVISOR)
    body: dict[str, Any] = {
        "name": name,
        "kind": kind,
        "source_format": source_format,
        "max_age_minutes": max_age_minutes,
    }
    if source_uri is not None:
        body["source_uri"] = str(source_uri)
    if refresh_every_minutes is not None:
        body["refresh_every_minutes"] = refresh_every_minutes
    if default_reason is not None:
        body["default_reason"] = default_reason
    response = await client.post("/api/hotlists", json=body)
    assert response.status_code == 201, response.text
    created: dict[str, Any] = response.json()
    return created


async def upload(client: AsyncClient, hotlist_id: int, text: str) -> dict[str, Any]:
    """Upload an extract and wait for the import to finish."""
    response = await client.post(
        f"/api/hotlists/{hotlist_id}/imports",
        params={"wait": "true"},
        content=text.encode(),
        headers={"Content-Type": "text/plain"},
    )
    assert response.status_code == 202, response.text
    done: dict[str, Any] = response.json()
    return done
