"""The camera asset registry.

Revision ID: 0007_cameras
Revises: 0006_lpr
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from watchfloor.db.base import JSONDocument, UTCDateTime

revision = "0007_cameras"
down_revision = "0006_lpr"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "camera",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("code", sa.String(64), nullable=False, unique=True),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("owner", sa.String(200), nullable=False),
        sa.Column("agreement", sa.String(200)),
        sa.Column("lat", sa.Float()),
        sa.Column("lon", sa.Float()),
        sa.Column("location_note", sa.String(300)),
        sa.Column("mount_height_m", sa.Float()),
        sa.Column("bearing", sa.Float()),
        sa.Column("fov_angle", sa.Float()),
        sa.Column("fov_range_m", sa.Float()),
        sa.Column("ptz", sa.Boolean(), nullable=False),
        sa.Column("ptz_range_m", sa.Float()),
        sa.Column("stream_urls", JSONDocument, nullable=False),
        sa.Column("recording_source", sa.String(200)),
        sa.Column("access_level", sa.String(20), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("labels", JSONDocument, nullable=False),
        sa.Column("maintenance_contact", sa.String(200)),
        sa.Column("external_ref", sa.String(100)),
        sa.Column("mobile", sa.Boolean(), nullable=False),
        sa.Column("last_lat", sa.Float()),
        sa.Column("last_lon", sa.Float()),
        sa.Column("last_position_at", UTCDateTime()),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.Column("retired_at", UTCDateTime()),
    )


def downgrade() -> None:
    op.drop_table("camera")
