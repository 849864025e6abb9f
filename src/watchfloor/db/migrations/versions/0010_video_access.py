"""Audited camera viewing and the biometric-analytics policy switch.

Revision ID: 0010_video_access
Revises: 0009_evidence
"""

from __future__ import annotations

revision = "0010_video_access"
down_revision = "0009_evidence"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
