"""Units: kinds, crew, capabilities and the position trail.

Revision ID: 0016_units
Revises: 0015_geofences
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from watchfloor.db.base import JSONDocument, UTCDateTime

revision = "0016_units"
down_revision = "0015_geofences"
branch_labels = None
depends_on = None

KINDS = ("patrol", "rtcc", "supervisor", "detective", "drone", "fire", "ems", "unknown")


def upgrade() -> None:
    empty = sa.text("'[]'")
    op.add_column("unit", sa.Column("crew", JSONDocument, nullable=False, server_default=empty))
    op.add_column(
        "unit", sa.Column("capabilities", JSONDocument, nullable=False, server_default=empty)
    )
    op.add_column("unit", sa.Column("kind_text", sa.String(100)))
    # The CAD's own words for the kind are kept; the kind becomes one of the roster's kinds.
    unit = sa.table("unit", sa.column("kind", sa.String), sa.column("kind_text", sa.String))
    op.execute(unit.update().values(kind_text=unit.c.kind))
    op.execute(unit.update().where(unit.c.kind.not_in(KINDS)).values(kind="unknown"))
    op.create_table(
        "unit_position",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("unit", sa.String(64), nullable=False),
        sa.Column("at", UTCDateTime(), nullable=False),
        sa.Column("lat", sa.Float(), nullable=False),
        sa.Column("lon", sa.Float(), nullable=False),
        sa.Column("heading", sa.Float()),
        sa.Column("speed_mps", sa.Float()),
        sa.Column("source", sa.String(20), nullable=False),
    )
    op.create_index("ix_unit_position_unit_at", "unit_position", ["unit", "at"])
    op.create_index("ix_unit_position_at", "unit_position", ["at"])


def downgrade() -> None:
    op.drop_index("ix_unit_position_at", "unit_position")
    op.drop_index("ix_unit_position_unit_at", "unit_position")
    op.drop_table("unit_position")
    with op.batch_alter_table("unit") as batch:
        batch.drop_column("kind_text")
        batch.drop_column("capabilities")
        batch.drop_column("crew")
