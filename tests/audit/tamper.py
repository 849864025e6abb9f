"""Direct, trigger-bypassing writes to the audit table: what an attacker with store access does."""

from __future__ import annotations

from typing import Any

from sqlalchemy import create_engine, text
from sqlalchemy import insert as sa_insert

from watchfloor.audit.models import AuditRecord
from watchfloor.db.engine import sync_url


def tamper(url: str, *statements: str, insert: dict[str, Any] | None = None) -> None:
    """Run raw SQL (and optionally insert a row) with the append-only triggers out of the way."""
    engine = create_engine(sync_url(url))
    try:
        with engine.begin() as conn:
            if conn.dialect.name == "postgresql":
                conn.execute(text("SET LOCAL session_replication_role = replica"))
            else:
                conn.execute(text("DROP TRIGGER IF EXISTS audit_record_no_update"))
                conn.execute(text("DROP TRIGGER IF EXISTS audit_record_no_delete"))
            for statement in statements:
                conn.execute(text(statement))
            if insert is not None:
                conn.execute(sa_insert(AuditRecord).values(**insert))
    finally:
        engine.dispose()


def plain_sql(url: str, statement: str) -> None:
    """Run one statement the ordinary way (triggers in force)."""
    engine = create_engine(sync_url(url))
    try:
        with engine.begin() as conn:
            conn.execute(text(statement))
    finally:
        engine.dispose()
