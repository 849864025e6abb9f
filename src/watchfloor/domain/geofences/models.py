"""Tables of geofences."""

from __future__ import annotations
