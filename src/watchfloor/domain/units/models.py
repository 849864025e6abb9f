"""Tables of units."""

from __future__ import annotations
