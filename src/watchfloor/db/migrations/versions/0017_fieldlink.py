"""The field link: TAK devices mapped to units and intel notes sent to the field.

Revision ID: 0017_fieldlink
Revises: 0016_units
"""

from __future__ import annotations

revision = "0017_fieldlink"
down_revision = "0016_units"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
