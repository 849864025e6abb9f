"""Tables of premises."""

from __future__ import annotations
