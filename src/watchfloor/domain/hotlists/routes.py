"""HTTP routes of the hotlists domain (contract; helper fills in)."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter(tags=["hotlists"])
