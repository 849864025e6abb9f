"""Audit log: append-only, hash-chained records.

Revision ID: 0002_audit
Revises: 0001_base
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

revision = "0002_audit"
down_revision = "0001_base"
branch_labels = None
depends_on = None

PG_REFUSE = """
CREATE FUNCTION audit_record_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit records are append-only (% refused)', TG_OP;
END
$$
"""


def upgrade() -> None:
    details = sa.JSON().with_variant(JSONB(), "postgresql")
    op.create_table(
        "audit_record",
        sa.Column("seq", sa.BigInteger(), primary_key=True, autoincrement=False),
        sa.Column("id", sa.String(36), nullable=False),
        sa.Column("occurred_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor_user_id", sa.String(36)),
        sa.Column("actor_username", sa.String(200), nullable=False),
        sa.Column("actor_role", sa.String(20)),
        sa.Column("actor_designator", sa.String(20)),
        sa.Column("action", sa.String(100), nullable=False),
        sa.Column("object_type", sa.String(100)),
        sa.Column("object_id", sa.String(200)),
        sa.Column("outcome", sa.String(10), nullable=False),
        sa.Column("reason", sa.Text()),
        sa.Column("case_number", sa.String(100)),
        sa.Column("address", sa.String(100)),
        sa.Column("user_agent", sa.String(300)),
        sa.Column("request_id", sa.String(64)),
        sa.Column("details", details, nullable=False),
        sa.Column("prev_hash", sa.String(64), nullable=False),
        sa.Column("hash", sa.String(64), nullable=False),
        sa.PrimaryKeyConstraint("seq", name="pk_audit_record"),
        sa.UniqueConstraint("id", name="uq_audit_record_id"),
    )
    op.create_index("ix_audit_record_occurred_at", "audit_record", ["occurred_at"])
    op.create_index("ix_audit_record_actor_username", "audit_record", ["actor_username"])
    op.create_index("ix_audit_record_action", "audit_record", ["action"])
    op.create_index("ix_audit_record_object", "audit_record", ["object_type", "object_id"])
    op.create_table(
        "audit_chain_head",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=False),
        sa.Column("seq", sa.BigInteger(), nullable=False),
        sa.Column("hash", sa.String(64), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_audit_chain_head"),
    )
    _protect()


def _protect() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(PG_REFUSE)
        # Ordinary triggers do not fire under session_replication_role=replica (test cleanup).
        op.execute(
            "CREATE TRIGGER audit_record_append_only BEFORE UPDATE OR DELETE ON audit_record "
            "FOR EACH ROW EXECUTE FUNCTION audit_record_refuse_change()"
        )
        op.execute(
            "CREATE TRIGGER audit_record_no_truncate BEFORE TRUNCATE ON audit_record "
            "FOR EACH STATEMENT EXECUTE FUNCTION audit_record_refuse_change()"
        )
        return
    for operation in ("UPDATE", "DELETE"):
        op.execute(
            f"CREATE TRIGGER audit_record_no_{operation.lower()} "
            f"BEFORE {operation} ON audit_record BEGIN SELECT RAISE(ABORT, "
            f"'audit records are append-only ({operation} refused)'); END"
        )


def downgrade() -> None:
    op.drop_table("audit_chain_head")
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TABLE audit_record")
        op.execute("DROP FUNCTION audit_record_refuse_change()")
        return
    op.drop_table("audit_record")
