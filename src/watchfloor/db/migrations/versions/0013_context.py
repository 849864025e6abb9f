"""Incident context: incident grid cell, units and premises.

Revision ID: 0013_context
Revises: 0012_correlation
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from watchfloor.core.geo import grid_cell
from watchfloor.db.base import JSONDocument, UTCDateTime

revision = "0013_context"
down_revision = "0012_correlation"
branch_labels = None
depends_on = None

CellKey = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
BACKFILL_BATCH = 5_000


def upgrade() -> None:
    op.add_column("incident", sa.Column("cell", CellKey))
    _backfill_cells()
    op.create_index("ix_incident_cell", "incident", ["cell", "received_at"])
    op.create_table(
        "unit",
        sa.Column("code", sa.String(64), primary_key=True),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("kind", sa.String(100), nullable=False),
        sa.Column("agency", sa.String(100)),
        sa.Column("status", sa.String(30), nullable=False),
        sa.Column("status_at", UTCDateTime(), nullable=False),
        sa.Column("status_by", sa.String(200), nullable=False),
        sa.Column("incident_id", sa.String(36)),
        sa.Column("lat", sa.Float()),
        sa.Column("lon", sa.Float()),
        sa.Column("heading", sa.Float()),
        sa.Column("speed_mps", sa.Float()),
        sa.Column("position_at", UTCDateTime()),
        sa.Column("position_source", sa.String(50)),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
    )
    op.create_table(
        "premise",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("address", sa.String(500), nullable=False),
        sa.Column("address_key", sa.String(500), nullable=False),
        sa.Column("lat", sa.Float(), nullable=False),
        sa.Column("lon", sa.Float(), nullable=False),
        sa.Column("cell", CellKey, nullable=False),
        sa.Column("hazards", JSONDocument, nullable=False),
        sa.Column("notes", sa.Text()),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.Column("updated_by", sa.String(200), nullable=False),
    )
    op.create_index("ix_premise_address_key", "premise", ["address_key"])
    op.create_index("ix_premise_cell", "premise", ["cell"])
    op.create_table(
        "premise_floor_plan",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column(
            "premise_id",
            sa.String(36),
            sa.ForeignKey("premise.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("media_type", sa.String(50), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("uploaded_at", UTCDateTime(), nullable=False),
        sa.Column("uploaded_by", sa.String(200), nullable=False),
    )
    op.create_index("ix_premise_floor_plan_premise_id", "premise_floor_plan", ["premise_id"])


def _backfill_cells() -> None:
    """Give incidents stored before this revision their grid cell."""
    conn = op.get_bind()
    last = ""
    while True:
        rows = conn.execute(
            sa.text(
                "SELECT id, lat, lon FROM incident WHERE id > :last"
                " AND lat IS NOT NULL AND lon IS NOT NULL ORDER BY id LIMIT :n"
            ),
            {"last": last, "n": BACKFILL_BATCH},
        ).all()
        if not rows:
            return
        conn.execute(
            sa.text("UPDATE incident SET cell = :cell WHERE id = :id"),
            [{"cell": grid_cell(lat, lon), "id": id_} for id_, lat, lon in rows],
        )
        last = rows[-1][0]


def downgrade() -> None:
    op.drop_table("premise_floor_plan")
    op.drop_table("premise")
    op.drop_table("unit")
    op.drop_index("ix_incident_cell", table_name="incident")
    with op.batch_alter_table("incident") as batch:
        batch.drop_column("cell")
