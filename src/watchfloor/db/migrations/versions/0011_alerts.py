"""Alerts: every alert and each source report that fed it (alerts helper).

Revision ID: 0011_alerts
Revises: 0010_video_access
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from watchfloor.db.base import UTCDateTime

revision = "0011_alerts"
down_revision = "0010_video_access"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
