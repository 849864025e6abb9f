"""Video evidence: items, custody log and packages.

Revision ID: 0009_evidence
Revises: 0008_camera_health
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from watchfloor.db.base import JSONDocument, UTCDateTime

revision = "0009_evidence"
down_revision = "0008_camera_health"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "evidence_item",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("code", sa.String(40), nullable=False, unique=True),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("media_type", sa.String(100), nullable=False),
        sa.Column("size_bytes", sa.BigInteger(), nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("stored_path", sa.String(300), nullable=False),
        sa.Column("camera_code", sa.String(64)),
        sa.Column("incident_ref", sa.String(100)),
        sa.Column("alert_ref", sa.String(100)),
        sa.Column("captured_from", UTCDateTime()),
        sa.Column("captured_to", UTCDateTime()),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("created_by", sa.String(100), nullable=False),
        sa.Column("note", sa.String(2000)),
        sa.Column("legal_hold", sa.Boolean(), nullable=False),
        sa.Column("deleted_at", UTCDateTime()),
    )
    op.create_index("ix_evidence_item_incident", "evidence_item", ["incident_ref", "created_at"])
    op.create_index("ix_evidence_item_camera", "evidence_item", ["camera_code", "created_at"])
    op.create_index("ix_evidence_item_created", "evidence_item", ["created_at"])
    op.create_table(
        "evidence_custody",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("item_id", sa.Integer(), sa.ForeignKey("evidence_item.id"), nullable=False),
        sa.Column("at", UTCDateTime(), nullable=False),
        sa.Column("actor_username", sa.String(100), nullable=False),
        sa.Column("actor_role", sa.String(20)),
        sa.Column("action", sa.String(20), nullable=False),
        sa.Column("reason", sa.String(500)),
        sa.Column("recipient", sa.String(200)),
        sa.Column("detail", JSONDocument, nullable=False),
    )
    op.create_index("ix_evidence_custody_item", "evidence_custody", ["item_id", "id"])
    op.create_table(
        "evidence_package",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("code", sa.String(40), nullable=False, unique=True),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("created_by", sa.String(100), nullable=False),
        sa.Column("recipient", sa.String(200), nullable=False),
        sa.Column("purpose", sa.String(500), nullable=False),
        sa.Column("item_codes", JSONDocument, nullable=False),
        sa.Column("stored_path", sa.String(300)),
        sa.Column("sha256", sa.String(64)),
        sa.Column("size_bytes", sa.BigInteger()),
    )


def downgrade() -> None:
    op.drop_table("evidence_package")
    op.drop_index("ix_evidence_custody_item", table_name="evidence_custody")
    op.drop_table("evidence_custody")
    op.drop_index("ix_evidence_item_created", table_name="evidence_item")
    op.drop_index("ix_evidence_item_camera", table_name="evidence_item")
    op.drop_index("ix_evidence_item_incident", table_name="evidence_item")
    op.drop_table("evidence_item")
