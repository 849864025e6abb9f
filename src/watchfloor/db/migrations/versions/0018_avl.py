"""AVL sources: which NMEA sender is which unit.

Revision ID: 0018_avl
Revises: 0017_fieldlink
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from watchfloor.db.base import UTCDateTime

revision = "0018_avl"
down_revision = "0017_fieldlink"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "avl_source",
        sa.Column("source", sa.String(64), primary_key=True),
        sa.Column("kind", sa.String(10), nullable=False),
        sa.Column("unit", sa.String(64), nullable=False),
        sa.Column("note", sa.String(200)),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.Column("updated_by", sa.String(200), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("avl_source")
