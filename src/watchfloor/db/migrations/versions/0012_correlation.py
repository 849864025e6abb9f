"""Correlation: PTZ cue presets, escalations and callouts (correlation helper).

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
    pass


def downgrade() -> None:
    pass
