"""Audited camera viewing and the biometric-analytics policy switch.

Revision ID: 0010_video_access
Revises: 0009_evidence
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from watchfloor.db.base import UTCDateTime

revision = "0010_video_access"
down_revision = "0009_evidence"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("camera", sa.Column("onvif_url", sa.String(2000), nullable=True))
    op.create_table(
        "camera_view",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column("camera_code", sa.String(64), nullable=False),
        sa.Column("action", sa.String(20), nullable=False),
        sa.Column("user_id", sa.String(64), nullable=True),
        sa.Column("username", sa.String(100), nullable=False),
        sa.Column("reason_kind", sa.String(20), nullable=False),
        sa.Column("reason_ref", sa.String(100), nullable=True),
        sa.Column("reason_note", sa.String(500), nullable=True),
        sa.Column("parent_id", sa.String(32), nullable=True),
        sa.Column("address", sa.String(100), nullable=True),
        sa.Column("started_at", UTCDateTime(), nullable=False),
        sa.Column("ended_at", UTCDateTime(), nullable=True),
        sa.Column("duration_s", sa.Float(), nullable=True),
    )
    op.create_index("ix_camera_view_person", "camera_view", ["username", "started_at"])
    op.create_index("ix_camera_view_camera", "camera_view", ["camera_code", "started_at"])
    op.create_table(
        "video_policy",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("biometrics_blocked", sa.Boolean(), nullable=False),
        sa.Column("changed_at", UTCDateTime(), nullable=True),
        sa.Column("changed_by", sa.String(100), nullable=True),
        sa.Column("reason", sa.String(500), nullable=True),
    )


def downgrade() -> None:
    op.drop_table("video_policy")
    op.drop_index("ix_camera_view_camera", table_name="camera_view")
    op.drop_index("ix_camera_view_person", table_name="camera_view")
    op.drop_table("camera_view")
    with op.batch_alter_table("camera") as batch:
        batch.drop_column("onvif_url")
