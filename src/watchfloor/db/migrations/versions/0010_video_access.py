"""Audited camera viewing and the biometric-analytics policy switch.

Revision ID: 0010_video_access
Revises: 0009_evidence
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010_video_access"
down_revision = "0009_evidence"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("camera", sa.Column("onvif_url", sa.String(2000), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("camera") as batch:
        batch.drop_column("onvif_url")
