"""Camera health: the latest probe result of each camera and maintenance tickets.

Revision ID: 0008_camera_health
Revises: 0007_cameras
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from watchfloor.db.base import JSONDocument, UTCDateTime

revision = "0008_camera_health"
down_revision = "0007_cameras"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "camera_health",
        sa.Column("camera_code", sa.String(64), primary_key=True),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("status_since", UTCDateTime()),
        sa.Column("checked_at", UTCDateTime()),
        sa.Column("reachable", sa.Boolean()),
        sa.Column("decodes", sa.Boolean()),
        sa.Column("codec", sa.String(20)),
        sa.Column("width", sa.Integer()),
        sa.Column("height", sa.Integer()),
        sa.Column("fps", sa.Float()),
        sa.Column("declared_fps", sa.Float()),
        sa.Column("change", sa.Float()),
        sa.Column("luma", sa.Float()),
        sa.Column("frozen", sa.Boolean(), nullable=False),
        sa.Column("black", sa.Boolean(), nullable=False),
        sa.Column("moved_score", sa.Float()),
        sa.Column("probe_problems", JSONDocument, nullable=False),
        sa.Column("event_problems", JSONDocument, nullable=False),
        sa.Column("problems", JSONDocument, nullable=False),
        sa.Column("detail", sa.String(300)),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.Column("next_probe_at", UTCDateTime()),
        sa.Column("reference_signature", JSONDocument),
        sa.Column("reference_at", UTCDateTime()),
        sa.Column("reference_by", sa.String(200)),
        sa.Column("last_tamper_kind", sa.String(40)),
        sa.Column("last_tamper_at", UTCDateTime()),
    )
    op.create_table(
        "camera_ticket",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("camera_code", sa.String(64), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("problems", JSONDocument, nullable=False),
        sa.Column("opened_at", UTCDateTime(), nullable=False),
        sa.Column("last_seen_at", UTCDateTime(), nullable=False),
        sa.Column("closed_at", UTCDateTime()),
        sa.Column("addressed_to", sa.String(200)),
        sa.Column("open_mail", sa.String(20), nullable=False),
        sa.Column("close_mail", sa.String(20)),
        sa.Column("mail_attempts", sa.Integer(), nullable=False),
        sa.Column("mail_error", sa.String(300)),
        sa.Column("mail_next_at", UTCDateTime()),
    )
    op.create_index(
        "ix_camera_ticket_open",
        "camera_ticket",
        ["camera_code"],
        unique=True,
        sqlite_where=sa.text("closed_at IS NULL"),
        postgresql_where=sa.text("closed_at IS NULL"),
    )
    op.create_index("ix_camera_ticket_camera", "camera_ticket", ["camera_code", "opened_at"])


def downgrade() -> None:
    op.drop_index("ix_camera_ticket_camera", table_name="camera_ticket")
    op.drop_index("ix_camera_ticket_open", table_name="camera_ticket")
    op.drop_table("camera_ticket")
    op.drop_table("camera_health")
