"""Quarantine of rejected inbound payloads.

Revision ID: 0005_quarantine
Revises: 0004_incidents
"""

from __future__ import annotations

revision = "0005_quarantine"
down_revision = "0004_incidents"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
