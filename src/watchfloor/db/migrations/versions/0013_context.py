"""Incident context: incident grid cell, units and premises (context helper).

Revision ID: 0013_context
Revises: 0012_correlation
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from watchfloor.db.base import UTCDateTime

revision = "0013_context"
down_revision = "0012_correlation"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
