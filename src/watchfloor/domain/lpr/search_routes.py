"""HTTP routes of investigative search, legal holds and retention (contract; helper fills in)."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter(tags=["lpr-search"])
