"""Geofences, their rules and monitored-person positions.

Revision ID: 0015_geofences
Revises: 0014_playbooks
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from watchfloor.db.base import JSONDocument, UTCDateTime

revision = "0015_geofences"
down_revision = "0014_playbooks"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "geofence",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("kind", sa.String(30), nullable=False),
        sa.Column("polygon", JSONDocument, nullable=False),
        sa.Column("rules", JSONDocument, nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("hours", JSONDocument),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("created_by", sa.String(100), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.Column("updated_by", sa.String(100), nullable=False),
    )
    op.create_table(
        "monitored_position",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("person_ref", sa.String(100), nullable=False),
        sa.Column("program", sa.String(100)),
        sa.Column("at", UTCDateTime(), nullable=False),
        sa.Column("lat", sa.Float(), nullable=False),
        sa.Column("lon", sa.Float(), nullable=False),
        sa.Column("accuracy_m", sa.Float()),
        sa.Column("received_at", UTCDateTime(), nullable=False),
    )
    op.create_index(
        "ix_monitored_position_person_at", "monitored_position", ["person_ref", "at"], unique=True
    )
    op.create_index("ix_monitored_position_received", "monitored_position", ["received_at"])
    op.create_table(
        "geofence_presence",
        sa.Column("geofence_id", sa.String(36), primary_key=True),
        sa.Column("person_ref", sa.String(100), primary_key=True),
        sa.Column("inside", sa.Boolean(), nullable=False),
        sa.Column("at", UTCDateTime(), nullable=False),
    )
    op.create_table(
        "geofence_firing",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("geofence_id", sa.String(36), nullable=False),
        sa.Column("rule", sa.String(40), nullable=False),
        sa.Column("source_ref", sa.String(200), nullable=False),
        sa.Column("report", JSONDocument, nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("delivered_at", UTCDateTime()),
        sa.Column("alert_id", sa.String(64)),
        sa.Column("attempts", sa.Integer(), nullable=False),
    )
    op.create_index("ix_geofence_firing_source_ref", "geofence_firing", ["source_ref"], unique=True)
    op.create_index("ix_geofence_firing_pending", "geofence_firing", ["delivered_at"])
    op.create_index("ix_geofence_firing_geofence", "geofence_firing", ["geofence_id", "created_at"])


def downgrade() -> None:
    op.drop_table("geofence_firing")
    op.drop_table("geofence_presence")
    op.drop_table("monitored_position")
    op.drop_table("geofence")
