"""Geofences, their rules and monitored-person positions (geofences helper).

Revision ID: 0015_geofences
Revises: 0014_playbooks
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from watchfloor.db.base import UTCDateTime

revision = "0015_geofences"
down_revision = "0014_playbooks"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
