"""AVL sources: which NMEA sender is which unit.

Revision ID: 0018_avl
Revises: 0017_fieldlink
"""

from __future__ import annotations

revision = "0018_avl"
down_revision = "0017_fieldlink"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
