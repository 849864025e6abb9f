"""Accounts, sessions, logon attempts.

Revision ID: 0003_auth
Revises: 0002_audit
"""

from __future__ import annotations

revision = "0003_auth"
down_revision = "0002_audit"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
