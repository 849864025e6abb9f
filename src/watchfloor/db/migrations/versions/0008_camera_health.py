"""Camera health: probe results and maintenance tickets (filled in by the health work).

Revision ID: 0008_camera_health
Revises: 0007_cameras
"""

from __future__ import annotations

revision = "0008_camera_health"
down_revision = "0007_cameras"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
