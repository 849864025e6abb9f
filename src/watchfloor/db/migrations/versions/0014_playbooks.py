"""Response playbooks and their runs per incident.

Revision ID: 0014_playbooks
Revises: 0013_context
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from watchfloor.db.base import JSONDocument, UTCDateTime

revision = "0014_playbooks"
down_revision = "0013_context"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "playbook",
        sa.Column("code", sa.String(64), primary_key=True),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("type_codes", JSONDocument, nullable=False),
        sa.Column("priorities", JSONDocument, nullable=False),
        sa.Column("steps", JSONDocument, nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.Column("updated_by", sa.String(200), nullable=False),
    )
    op.create_table(
        "playbook_run",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column(
            "incident_id",
            sa.String(36),
            sa.ForeignKey(
                "incident.id", ondelete="CASCADE", name="fk_playbook_run_incident_id_incident"
            ),
            nullable=False,
        ),
        sa.Column("playbook_code", sa.String(64), nullable=False),
        sa.Column("playbook_version", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("started_at", UTCDateTime(), nullable=False),
        sa.UniqueConstraint("incident_id", name="uq_playbook_run_incident_id"),
    )
    op.create_table(
        "playbook_step",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column(
            "run_id",
            sa.String(36),
            sa.ForeignKey(
                "playbook_run.id", ondelete="CASCADE", name="fk_playbook_step_run_id_playbook_run"
            ),
            nullable=False,
        ),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(40), nullable=False),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("detail", sa.Text(), nullable=True),
        sa.Column("due_at", UTCDateTime(), nullable=True),
        sa.Column("state", sa.String(10), nullable=False),
        sa.Column("done_at", UTCDateTime(), nullable=True),
        sa.Column("done_by", sa.String(200), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("lapsed_at", UTCDateTime(), nullable=True),
        sa.UniqueConstraint("run_id", "key", name="uq_playbook_step_run_id"),
    )
    op.create_index("ix_playbook_step_due", "playbook_step", ["state", "due_at"])


def downgrade() -> None:
    op.drop_index("ix_playbook_step_due", table_name="playbook_step")
    op.drop_table("playbook_step")
    op.drop_table("playbook_run")
    op.drop_table("playbook")
