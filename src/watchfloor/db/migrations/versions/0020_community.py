"""Community Connect: registered sites and cameras, owner links, footage requests and uploads.

Revision ID: 0020_community
Revises: 0019_context_indexes
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from watchfloor.db.base import JSONDocument, UTCDateTime

revision = "0020_community"
down_revision = "0019_context_indexes"
branch_labels = None
depends_on = None


def upgrade() -> None:
    _sites()
    _requests()
    _links()
    _uploads()


def _sites() -> None:
    op.create_table(
        "community_site",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("name", sa.String(200)),
        sa.Column("contact_name", sa.String(200), nullable=False),
        sa.Column("email", sa.String(320), nullable=False),
        sa.Column("phone", sa.String(40)),
        sa.Column("address", sa.String(300), nullable=False),
        sa.Column("address_key", sa.String(300), nullable=False),
        sa.Column("lat", sa.Float(), nullable=False),
        sa.Column("lon", sa.Float(), nullable=False),
        sa.Column("retention_days", sa.Integer(), nullable=False),
        sa.Column("accepts", JSONDocument, nullable=False),
        sa.Column("contact_times", sa.String(300)),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("confirmed_at", UTCDateTime()),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
    )
    op.create_index("ix_community_site_email", "community_site", ["email"])
    op.create_index("ix_community_site_status", "community_site", ["status"])
    op.create_table(
        "community_camera",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column(
            "site_id",
            sa.String(36),
            sa.ForeignKey("community_site.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("label", sa.String(100), nullable=False),
        sa.Column("lat", sa.Float(), nullable=False),
        sa.Column("lon", sa.Float(), nullable=False),
        sa.Column("bearing", sa.Float()),
        sa.Column("fov_angle", sa.Float()),
        sa.Column("range_m", sa.Float()),
        sa.Column("covers", JSONDocument, nullable=False),
        sa.Column("listed", sa.Boolean(), nullable=False),
    )
    op.create_index("ix_community_camera_site_id", "community_camera", ["site_id"])
    op.create_index("ix_community_camera_listed", "community_camera", ["listed", "lat", "lon"])


def _requests() -> None:
    op.create_table(
        "community_request",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column(
            "site_id", sa.String(36), sa.ForeignKey("community_site.id", ondelete="SET NULL")
        ),
        sa.Column("camera_ids", JSONDocument, nullable=False),
        sa.Column("incident_id", sa.String(36), nullable=False),
        sa.Column("incident_type", sa.String(200), nullable=False),
        sa.Column("kind", sa.String(30), nullable=False),
        sa.Column("window_from", UTCDateTime(), nullable=False),
        sa.Column("window_to", UTCDateTime(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("requested_by", sa.String(200), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("opened_at", UTCDateTime()),
        sa.Column("answered_at", UTCDateTime()),
        sa.Column("reminded_at", UTCDateTime()),
        sa.Column("footage_lost_at", UTCDateTime(), nullable=False),
        sa.Column("expires_at", UTCDateTime(), nullable=False),
        sa.Column("decline_note", sa.Text()),
        sa.Column("useful", sa.Boolean()),
    )
    op.create_index("ix_community_request_site_id", "community_request", ["site_id"])
    op.create_index("ix_community_request_incident_id", "community_request", ["incident_id"])
    op.create_index("ix_community_request_status", "community_request", ["status"])
    op.create_index("ix_community_request_created_at", "community_request", ["created_at"])


def _links() -> None:
    op.create_table(
        "community_link",
        sa.Column("digest", sa.String(64), primary_key=True),
        sa.Column("purpose", sa.String(20), nullable=False),
        sa.Column(
            "site_id",
            sa.String(36),
            sa.ForeignKey("community_site.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column(
            "request_id",
            sa.String(36),
            sa.ForeignKey("community_request.id", ondelete="CASCADE"),
        ),
        sa.Column("issued_at", UTCDateTime(), nullable=False),
        sa.Column("expires_at", UTCDateTime(), nullable=False),
        sa.Column("used_at", UTCDateTime()),
    )
    op.create_index("ix_community_link_site_id", "community_link", ["site_id"])
    op.create_index("ix_community_link_request_id", "community_link", ["request_id"])


def _uploads() -> None:
    op.create_table(
        "community_upload",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column(
            "request_id",
            sa.String(36),
            sa.ForeignKey("community_request.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("filename", sa.String(255), nullable=False),
        sa.Column("size", sa.BigInteger(), nullable=False),
        sa.Column("received", sa.BigInteger(), nullable=False),
        sa.Column("media_type", sa.String(100)),
        sa.Column("sha256", sa.String(64)),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("problem", sa.Text()),
        sa.Column("evidence_code", sa.String(40)),
        sa.Column("started_at", UTCDateTime(), nullable=False),
        sa.Column("finished_at", UTCDateTime()),
    )
    op.create_index("ix_community_upload_request_id", "community_upload", ["request_id"])


def downgrade() -> None:
    op.drop_table("community_upload")
    op.drop_table("community_link")
    op.drop_table("community_request")
    op.drop_table("community_camera")
    op.drop_table("community_site")
