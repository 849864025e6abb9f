"""Settings of the community camera registry and footage requests (part of the one settings object
in settings.py)."""

from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel, Field


class CommunitySettings(BaseModel):
    """The community camera registry: the public page, owner links, footage requests, uploads."""

    # [registry settings] — owned by the registry helper
    public_base_url: str = Field(
        "http://127.0.0.1:8765",
        description="the address residents reach Watchfloor at; links in e-mails start with it",
    )
    mail_from: str = Field(
        "community@watchfloor.invalid", description="sender of the registry's e-mails"
    )
    addresses_path: Path | None = Field(
        None,
        description="address points (JSON like demo/city/addresses.json) registrations are "
        "geocoded against; the demo city's when unset",
    )
    # [requests settings] — owned by the requests helper
    # [uploads settings] — owned by the requests helper
