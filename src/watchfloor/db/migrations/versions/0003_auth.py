"""Accounts, sessions, logon attempts.

Revision ID: 0003_auth
Revises: 0002_audit
"""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from alembic import op

revision = "0003_auth"
down_revision = "0002_audit"
branch_labels = None
depends_on = None


def _when(name: str, nullable: bool = False) -> sa.Column[datetime]:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def upgrade() -> None:
    op.create_table(
        "user_account",
        sa.Column("id", sa.String(36), nullable=False),
        sa.Column("username", sa.String(64), nullable=False),
        sa.Column("display_name", sa.String(200)),
        sa.Column("role", sa.String(20), nullable=False),
        sa.Column("designator", sa.String(20)),
        sa.Column("state", sa.String(10), nullable=False),
        sa.Column("password_hash", sa.String(200), nullable=False),
        sa.Column("totp_secret", sa.String(64), nullable=False),
        sa.Column("totp_last_step", sa.BigInteger()),
        _when("failures_since", nullable=True),
        _when("created_at"),
        _when("last_logon_at", nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_user_account"),
        sa.UniqueConstraint("username", name="uq_user_account_username"),
    )
    op.create_table(
        "logon_failure",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("user_id", sa.String(36), nullable=False),
        _when("at"),
        sa.PrimaryKeyConstraint("id", name="pk_logon_failure"),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["user_account.id"],
            name="fk_logon_failure_user_id_user_account",
            ondelete="CASCADE",
        ),
    )
    op.create_index("ix_logon_failure_user_at", "logon_failure", ["user_id", "at"])
    op.create_table(
        "auth_session",
        sa.Column("id", sa.String(36), nullable=False),
        sa.Column("token_hash", sa.String(64), nullable=False),
        sa.Column("csrf_hash", sa.String(64), nullable=False),
        sa.Column("user_id", sa.String(36), nullable=False),
        _when("created_at"),
        _when("last_seen_at"),
        sa.PrimaryKeyConstraint("id", name="pk_auth_session"),
        sa.UniqueConstraint("token_hash", name="uq_auth_session_token_hash"),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["user_account.id"],
            name="fk_auth_session_user_id_user_account",
            ondelete="CASCADE",
        ),
    )
    op.create_index("ix_auth_session_user_id", "auth_session", ["user_id"])
    op.create_table(
        "feed_account",
        sa.Column("id", sa.String(36), nullable=False),
        sa.Column("name", sa.String(100), nullable=False),
        sa.Column("token_hash", sa.String(64), nullable=False),
        _when("created_at"),
        _when("revoked_at", nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_feed_account"),
        sa.UniqueConstraint("name", name="uq_feed_account_name"),
        sa.UniqueConstraint("token_hash", name="uq_feed_account_token_hash"),
    )


def downgrade() -> None:
    op.drop_table("feed_account")
    op.drop_table("auth_session")
    op.drop_table("logon_failure")
    op.drop_table("user_account")
