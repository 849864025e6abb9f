"""Audit log: append-only, hash-chained records.

Revision ID: 0002_audit
Revises: 0001_base
"""

from __future__ import annotations

revision = "0002_audit"
down_revision = "0001_base"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
