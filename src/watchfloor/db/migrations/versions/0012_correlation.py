"""Correlation: PTZ cue presets, escalations and callouts.

Revision ID: 0012_correlation
Revises: 0011_alerts
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from watchfloor.db.base import UTCDateTime

revision = "0012_correlation"
down_revision = "0011_alerts"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "correlation_camera_cue",
        sa.Column("camera_code", sa.String(64), primary_key=True),
        sa.Column("enabled", sa.Boolean(), nullable=False),
        sa.Column("pan_zero_bearing_deg", sa.Float(), nullable=True),
        sa.Column("pan_deg_per_unit", sa.Float(), nullable=True),
        sa.Column("tilt_zero_deg", sa.Float(), nullable=True),
        sa.Column("tilt_deg_per_unit", sa.Float(), nullable=True),
        sa.Column("height_m", sa.Float(), nullable=True),
        sa.Column("zoom_full_range_m", sa.Float(), nullable=True),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.Column("updated_by", sa.String(200), nullable=False),
    )
    op.create_table(
        "correlation_cue_preset",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("camera_code", sa.String(64), nullable=False),
        sa.Column("token", sa.String(64), nullable=False),
        sa.Column("name", sa.String(64), nullable=False),
        sa.Column("lat", sa.Float(), nullable=False),
        sa.Column("lon", sa.Float(), nullable=False),
        sa.UniqueConstraint("camera_code", "token"),
    )
    op.create_index(
        "ix_correlation_cue_preset_camera_code", "correlation_cue_preset", ["camera_code"]
    )
    op.create_table(
        "correlation_callout",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("subject_key", sa.String(100), nullable=False),
        sa.Column("incident_id", sa.String(36), nullable=True),
        sa.Column("alert_id", sa.String(36), nullable=True),
        sa.Column("recipient_name", sa.String(200), nullable=False),
        sa.Column("recipient_email", sa.String(320), nullable=False),
        sa.Column("subject", sa.String(300), nullable=False),
        sa.Column("body", sa.String(4000), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("last_error", sa.String(300), nullable=True),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("next_attempt_at", UTCDateTime(), nullable=True),
        sa.Column("sent_at", UTCDateTime(), nullable=True),
        sa.UniqueConstraint("subject_key", "recipient_email"),
    )
    op.create_index(
        "ix_correlation_callout_due", "correlation_callout", ["status", "next_attempt_at"]
    )
    op.create_index("ix_correlation_callout_incident_id", "correlation_callout", ["incident_id"])


def downgrade() -> None:
    op.drop_index("ix_correlation_callout_incident_id", table_name="correlation_callout")
    op.drop_index("ix_correlation_callout_due", table_name="correlation_callout")
    op.drop_table("correlation_callout")
    op.drop_index("ix_correlation_cue_preset_camera_code", table_name="correlation_cue_preset")
    op.drop_table("correlation_cue_preset")
    op.drop_table("correlation_camera_cue")
