"""Response playbooks and their runs per incident (playbooks helper).

Revision ID: 0014_playbooks
Revises: 0013_context
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from watchfloor.db.base import UTCDateTime

revision = "0014_playbooks"
down_revision = "0013_context"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
