"""Alerts: every alert and each source report that fed it.

Revision ID: 0011_alerts
Revises: 0010_video_access
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from watchfloor.db.base import JSONDocument, UTCDateTime

revision = "0011_alerts"
down_revision = "0010_video_access"
branch_labels = None
depends_on = None

ReportId = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "alert",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("priority", sa.SmallInteger(), nullable=False),
        sa.Column("severity", sa.String(50)),
        sa.Column("title", sa.String(300), nullable=False),
        sa.Column("source", sa.String(100), nullable=False),
        sa.Column("source_ref", sa.String(200), nullable=False),
        sa.Column("occurred_at", UTCDateTime(), nullable=False),
        sa.Column("received_at", UTCDateTime(), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.Column("ended_at", UTCDateTime()),
        sa.Column("lat", sa.Float()),
        sa.Column("lon", sa.Float()),
        sa.Column("cell", sa.Integer()),
        sa.Column("location_error_m", sa.Float()),
        sa.Column("address", sa.String(500)),
        sa.Column("beat", sa.String(100)),
        sa.Column("subject", sa.String(200)),
        sa.Column("incident_id", sa.String(36)),
        sa.Column("merged_into", sa.String(36)),
        sa.Column("report_count", sa.Integer(), nullable=False),
        sa.Column("acknowledged_by", sa.String(100)),
        sa.Column("acknowledged_at", UTCDateTime()),
        sa.Column("escalated_at", UTCDateTime()),
        sa.Column("escalated_to", JSONDocument, nullable=False),
        sa.Column("escalation_reason", sa.String(500)),
        sa.Column("dismissed_by", sa.String(100)),
        sa.Column("dismissed_at", UTCDateTime()),
        sa.Column("dismissed_reason", sa.String(500)),
        sa.Column("closed_by", sa.String(100)),
        sa.Column("closed_at", UTCDateTime()),
        sa.Column("details", JSONDocument, nullable=False),
    )
    op.create_index("ix_alert_status_received", "alert", ["status", "received_at"])
    op.create_index("ix_alert_received", "alert", ["received_at"])
    op.create_index("ix_alert_kind_occurred", "alert", ["kind", "occurred_at"])
    op.create_index("ix_alert_cell_occurred", "alert", ["cell", "occurred_at"])
    op.create_index("ix_alert_incident", "alert", ["incident_id"])
    op.create_table(
        "alert_source",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("alert_id", sa.String(36), sa.ForeignKey("alert.id"), nullable=False),
        sa.Column("source", sa.String(100), nullable=False),
        sa.Column("source_ref", sa.String(200), nullable=False),
        sa.Column("first_received_at", UTCDateTime(), nullable=False),
        sa.Column("last_received_at", UTCDateTime(), nullable=False),
        sa.Column("reports", sa.Integer(), nullable=False),
        sa.UniqueConstraint("source", "source_ref", name="uq_alert_source_ref"),
    )
    op.create_index("ix_alert_source_alert", "alert_source", ["alert_id"])
    op.create_table(
        "alert_report",
        sa.Column("id", ReportId, primary_key=True, autoincrement=True),
        sa.Column("source_id", sa.Integer(), sa.ForeignKey("alert_source.id"), nullable=False),
        sa.Column("received_at", UTCDateTime(), nullable=False),
        sa.Column("occurred_at", UTCDateTime(), nullable=False),
        sa.Column("ended", sa.Boolean(), nullable=False),
        sa.Column("digest", sa.String(64), nullable=False),
        sa.Column("report", JSONDocument, nullable=False),
    )
    op.create_index("ix_alert_report_source_digest", "alert_report", ["source_id", "digest"])


def downgrade() -> None:
    op.drop_index("ix_alert_report_source_digest", table_name="alert_report")
    op.drop_table("alert_report")
    op.drop_index("ix_alert_source_alert", table_name="alert_source")
    op.drop_table("alert_source")
    op.drop_index("ix_alert_incident", table_name="alert")
    op.drop_index("ix_alert_cell_occurred", table_name="alert")
    op.drop_index("ix_alert_kind_occurred", table_name="alert")
    op.drop_index("ix_alert_received", table_name="alert")
    op.drop_index("ix_alert_status_received", table_name="alert")
    op.drop_table("alert")
