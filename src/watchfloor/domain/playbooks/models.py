"""Tables of playbooks."""

from __future__ import annotations
