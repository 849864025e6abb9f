"""Covering indexes for the context packet: prior incidents near a point, reads per reader in a
window, and readers near a point are answered from indexes alone.

Revision ID: 0019_context_indexes
Revises: 0018_avl
"""

from __future__ import annotations

from alembic import op

revision = "0019_context_indexes"
down_revision = "0018_avl"
branch_labels = None
depends_on = None

NEARBY = [
    "cell",
    "received_at",
    "lat",
    "lon",
    "type_code",
    "type_text",
    "address",
    "priority",
    "id",
]


def upgrade() -> None:
    op.create_index("ix_incident_nearby", "incident", NEARBY)
    op.drop_index("ix_incident_cell", table_name="incident")
    op.drop_index("ix_lpr_read_captured", table_name="lpr_read")
    op.create_index("ix_lpr_read_captured", "lpr_read", ["captured_ms", "reader_id"])
    op.create_index("ix_lpr_reader_position", "lpr_reader", ["lat", "lon"])


def downgrade() -> None:
    op.drop_index("ix_lpr_reader_position", table_name="lpr_reader")
    op.drop_index("ix_lpr_read_captured", table_name="lpr_read")
    op.create_index("ix_lpr_read_captured", "lpr_read", ["captured_ms"])
    op.create_index("ix_incident_cell", "incident", ["cell", "received_at"])
    op.drop_index("ix_incident_nearby", table_name="incident")
