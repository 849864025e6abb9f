"""Units: kinds, crew, capabilities and the position trail.

Revision ID: 0016_units
Revises: 0015_geofences
"""

from __future__ import annotations

revision = "0016_units"
down_revision = "0015_geofences"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
