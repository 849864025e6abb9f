"""Reads per reader in a time window from that reader's own index range, on PostgreSQL: the
context packet counts the last 30 minutes' reads of the few readers near an incident, which the
time index answers only by walking every reader's reads in the window.

SQLite has no such index: its plate-read intake is below its goal already and pays for every
index, and its context packet meets its goal without one.

Revision ID: 0021_reads_per_reader
Revises: 0020_community
"""

from __future__ import annotations

from alembic import op

revision = "0021_reads_per_reader"
down_revision = "0020_community"
branch_labels = None
depends_on = None

NAME = "ix_lpr_read_reader_captured"


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.create_index(NAME, "lpr_read", ["reader_id", "captured_ms"])


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.drop_index(NAME, table_name="lpr_read")
