"""Video evidence: items, custody log and packages (filled in by the evidence work).

Revision ID: 0009_evidence
Revises: 0008_camera_health
"""

from __future__ import annotations

revision = "0009_evidence"
down_revision = "0008_camera_health"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
