"""CAD incidents, their units, notes, cautions, persons, vehicles and EIDO documents.

Revision ID: 0004_incidents
Revises: 0003_auth
"""

from __future__ import annotations

revision = "0004_incidents"
down_revision = "0003_auth"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
