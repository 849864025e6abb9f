"""Tables of correlation."""

from __future__ import annotations
