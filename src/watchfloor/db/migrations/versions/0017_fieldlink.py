"""The field link: TAK devices mapped to units and intel notes sent to the field.

Revision ID: 0017_fieldlink
Revises: 0016_units
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from watchfloor.db.base import JSONDocument, UTCDateTime

revision = "0017_fieldlink"
down_revision = "0016_units"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "field_device",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("uid", sa.String(200)),
        sa.Column("callsign", sa.String(100)),
        sa.Column("unit_code", sa.String(64), nullable=False),
        sa.Column("team", sa.String(100)),
        sa.Column("added_by", sa.String(200), nullable=False),
        sa.Column("added_at", UTCDateTime(), nullable=False),
        sa.UniqueConstraint("uid", name="uq_field_device_uid"),
        sa.UniqueConstraint("callsign", name="uq_field_device_callsign"),
    )
    op.create_index("ix_field_device_unit_code", "field_device", ["unit_code"])
    op.create_index("ix_field_device_team", "field_device", ["team"])
    op.create_table(
        "field_note",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("incident_id", sa.String(36)),
        sa.Column("group_name", sa.String(100)),
        sa.Column("units", JSONDocument, nullable=False),
        sa.Column("recipients", JSONDocument, nullable=False),
        sa.Column("reached", JSONDocument, nullable=False),
        sa.Column("cot_uid", sa.String(300), nullable=False),
        sa.Column("author", sa.String(200), nullable=False),
        sa.Column("designator", sa.String(50)),
        sa.Column("written_at", UTCDateTime(), nullable=False),
    )
    op.create_index("ix_field_note_incident_id", "field_note", ["incident_id"])


def downgrade() -> None:
    op.drop_table("field_note")
    op.drop_table("field_device")
