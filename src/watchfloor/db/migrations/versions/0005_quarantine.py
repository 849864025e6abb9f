"""Quarantine of rejected inbound payloads.

Revision ID: 0005_quarantine
Revises: 0004_incidents
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from watchfloor.db.base import JSONDocument, UTCDateTime

revision = "0005_quarantine"
down_revision = "0004_incidents"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "quarantined_payload",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("source", sa.String(100), nullable=False),
        sa.Column("received_at", UTCDateTime(), nullable=False),
        sa.Column("content_type", sa.String(200), nullable=True),
        sa.Column("body", sa.LargeBinary(), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("truncated", sa.Boolean(), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("error_code", sa.String(50), nullable=False),
        sa.Column("message", sa.Text(), nullable=False),
        sa.Column("problems", JSONDocument, nullable=False),
        sa.Column("replayed_at", UTCDateTime(), nullable=True),
        sa.Column("replay_outcome", sa.Text(), nullable=True),
        sa.Column("replayed_by", sa.String(200), nullable=True),
        sa.Column("discarded_reason", sa.Text(), nullable=True),
    )
    op.create_index("ix_quarantined_payload_source", "quarantined_payload", ["source"])
    op.create_index(
        "ix_quarantined_payload_listing", "quarantined_payload", ["status", "received_at"]
    )


def downgrade() -> None:
    op.drop_table("quarantined_payload")
