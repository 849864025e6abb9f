"""Plate readers, reads, the plate dictionary, hotlists, plate alerts and legal holds.

Revision ID: 0006_lpr
Revises: 0005_quarantine
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from watchfloor.db.base import JSONDocument, UTCDateTime

revision = "0006_lpr"
down_revision = "0005_quarantine"
branch_labels = None
depends_on = None

_BIG_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    _readers_and_reads()
    _plate_dictionary()
    _hotlists()
    _alerts_and_holds()


def _readers_and_reads() -> None:
    op.create_table(
        "lpr_reader",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("code", sa.String(64), nullable=False, unique=True),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("agency", sa.String(100)),
        sa.Column("lat", sa.Float()),
        sa.Column("lon", sa.Float()),
        sa.Column("heading", sa.Float()),
        sa.Column("direction", sa.String(40)),
        sa.Column("lanes", sa.Integer()),
        sa.Column("camera_ref", sa.String(100)),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
    )
    op.create_table(
        "lpr_read",
        sa.Column("id", _BIG_ID, primary_key=True, autoincrement=True),
        sa.Column("reader_id", sa.Integer(), nullable=False),
        sa.Column("captured_ms", sa.BigInteger(), nullable=False),
        sa.Column("received_ms", sa.BigInteger(), nullable=False),
        sa.Column("plate", sa.String(16), nullable=False),
        sa.Column("plate_raw", sa.String(32), nullable=False),
        sa.Column("region", sa.String(16)),
        sa.Column("confidence", sa.Float()),
        sa.Column("lat", sa.Float()),
        sa.Column("lon", sa.Float()),
        sa.Column("heading", sa.Float()),
        sa.Column("direction", sa.String(40)),
        sa.Column("lane", sa.SmallInteger()),
        sa.Column("speed_kmh", sa.Float()),
        sa.Column("plate_image", sa.String(64)),
        sa.Column("vehicle_image", sa.String(64)),
        sa.Column("make", sa.String(64)),
        sa.Column("model", sa.String(64)),
        sa.Column("colour", sa.String(64)),
        sa.Column("vehicle_kind", sa.String(64)),
        sa.Column("hit", sa.Boolean(), nullable=False),
    )
    op.create_index("ix_lpr_read_plate_captured", "lpr_read", ["plate", "captured_ms"])
    op.create_index("ix_lpr_read_captured", "lpr_read", ["captured_ms"])


def _plate_dictionary() -> None:
    op.create_table("lpr_plate", sa.Column("plate", sa.String(16), primary_key=True))
    if op.get_bind().dialect.name == "postgresql":
        op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        op.execute("CREATE INDEX ix_lpr_plate_trgm ON lpr_plate USING gin (plate gin_trgm_ops)")
        return
    # SQLite: an FTS5 trigram index over the dictionary, kept by a trigger; it serves LIKE and
    # GLOB patterns with a literal run of three or more characters.
    op.execute(
        "CREATE VIRTUAL TABLE lpr_plate_fts USING fts5("
        "plate, content='lpr_plate', content_rowid='rowid', tokenize='trigram')"
    )
    op.execute(
        "CREATE TRIGGER lpr_plate_fts_insert AFTER INSERT ON lpr_plate BEGIN "
        "INSERT INTO lpr_plate_fts(rowid, plate) VALUES (new.rowid, new.plate); END"
    )
    op.execute(
        "CREATE TRIGGER lpr_plate_fts_delete AFTER DELETE ON lpr_plate BEGIN "
        "INSERT INTO lpr_plate_fts(lpr_plate_fts, rowid, plate) "
        "VALUES ('delete', old.rowid, old.plate); END"
    )


def _hotlists() -> None:
    op.create_table(
        "hotlist",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("name", sa.String(200), nullable=False, unique=True),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("source_format", sa.String(20), nullable=False),
        sa.Column("source_uri", sa.String(1000)),
        sa.Column("refresh_every_minutes", sa.Integer()),
        sa.Column("max_age_minutes", sa.Integer(), nullable=False),
        sa.Column("default_reason", sa.String(40)),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("last_refreshed_at", UTCDateTime()),
        sa.Column("last_import_id", sa.String(36)),
        sa.Column("entry_count", sa.Integer(), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("created_by", sa.String(200), nullable=False),
    )
    op.create_table(
        "hotlist_entry",
        sa.Column("id", _BIG_ID, primary_key=True, autoincrement=True),
        sa.Column(
            "hotlist_id",
            sa.Integer(),
            sa.ForeignKey("hotlist.id", ondelete="CASCADE", name="fk_hotlist_entry_hotlist_id"),
            nullable=False,
        ),
        sa.Column("plate", sa.String(16), nullable=False),
        sa.Column("plate_raw", sa.String(32), nullable=False),
        sa.Column("state", sa.String(8)),
        sa.Column("plate_type", sa.String(8)),
        sa.Column("reason_code", sa.String(40), nullable=False),
        sa.Column("list_code", sa.String(8)),
        sa.Column("nic", sa.String(20)),
        sa.Column("ori", sa.String(20)),
        sa.Column("oca", sa.String(40)),
        sa.Column("vehicle_year", sa.Integer()),
        sa.Column("make", sa.String(40)),
        sa.Column("model", sa.String(40)),
        sa.Column("style", sa.String(20)),
        sa.Column("colour", sa.String(40)),
        sa.Column("description", sa.Text()),
        sa.Column("entered_at", UTCDateTime()),
        sa.Column("expires_at", UTCDateTime()),
        sa.Column("entered_by", sa.String(200)),
        sa.Column("manual_reason", sa.Text()),
        sa.Column("case_number", sa.String(100)),
        sa.Column("removed_at", UTCDateTime()),
        sa.Column("removed_by", sa.String(200)),
    )
    op.create_index("ix_hotlist_entry_list_plate", "hotlist_entry", ["hotlist_id", "plate"])
    op.create_table(
        "hotlist_import",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column(
            "hotlist_id",
            sa.Integer(),
            sa.ForeignKey("hotlist.id", ondelete="CASCADE", name="fk_hotlist_import_hotlist_id"),
            nullable=False,
        ),
        sa.Column("started_at", UTCDateTime(), nullable=False),
        sa.Column("finished_at", UTCDateTime()),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("trigger", sa.String(20), nullable=False),
        sa.Column("triggered_by", sa.String(200), nullable=False),
        sa.Column("total_lines", sa.Integer()),
        sa.Column("processed", sa.Integer(), nullable=False),
        sa.Column("accepted", sa.Integer(), nullable=False),
        sa.Column("rejected", sa.Integer(), nullable=False),
        sa.Column("problems", JSONDocument, nullable=False),
        sa.Column("source_sha256", sa.String(64)),
        sa.Column("message", sa.Text()),
    )
    op.create_index(
        "ix_hotlist_import_list_started", "hotlist_import", ["hotlist_id", "started_at"]
    )


def _alerts_and_holds() -> None:
    op.create_table(
        "lpr_alert",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("raised_at", UTCDateTime(), nullable=False),
        sa.Column("last_seen_at", UTCDateTime(), nullable=False),
        sa.Column("repeat_count", sa.Integer(), nullable=False),
        sa.Column("reader_id", sa.Integer(), nullable=False),
        sa.Column("reader_code", sa.String(64), nullable=False),
        sa.Column("hotlist_id", sa.Integer(), nullable=False),
        sa.Column("hotlist_name", sa.String(200), nullable=False),
        sa.Column("entry_id", sa.BigInteger(), nullable=False),
        sa.Column("entry", JSONDocument, nullable=False),
        sa.Column("read", JSONDocument, nullable=False),
        sa.Column("read_captured_at", UTCDateTime(), nullable=False),
        sa.Column("plate_read", sa.String(16), nullable=False),
        sa.Column("plate_entry", sa.String(16), nullable=False),
        sa.Column("lat", sa.Float()),
        sa.Column("lon", sa.Float()),
        sa.Column("heading", sa.Float()),
        sa.Column("plate_image", sa.String(64)),
        sa.Column("vehicle_image", sa.String(64)),
        sa.Column("reason_code", sa.String(40), nullable=False),
        sa.Column("severity", sa.String(10), nullable=False),
        sa.Column("match_kind", sa.String(20), nullable=False),
        sa.Column("substitutions", sa.Integer(), nullable=False),
        sa.Column("state_match", sa.String(20), nullable=False),
        sa.Column("corroboration", sa.Float()),
        sa.Column("corroboration_detail", JSONDocument, nullable=False),
        sa.Column("score", sa.Float(), nullable=False),
        sa.Column("explanation", sa.Text(), nullable=False),
        sa.Column("stale", sa.Boolean(), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("plate_matches_image", sa.Boolean()),
        sa.Column("entry_confirmed_active", sa.Boolean()),
        sa.Column("confirmed_with", sa.String(200)),
        sa.Column("verification_note", sa.Text()),
        sa.Column("verified_by", sa.String(200)),
        sa.Column("verified_at", UTCDateTime()),
        sa.Column("disposition", sa.String(30)),
        sa.Column("disposition_by", sa.String(200)),
        sa.Column("disposition_at", UTCDateTime()),
        sa.Column("outcome", sa.String(30)),
        sa.Column("outcome_note", sa.Text()),
        sa.Column("outcome_by", sa.String(200)),
        sa.Column("outcome_at", UTCDateTime()),
        sa.Column("case_number", sa.String(100)),
        sa.Column("incident_id", sa.String(36)),
    )
    op.create_index("ix_lpr_alert_status_raised", "lpr_alert", ["status", "raised_at"])
    op.create_index("ix_lpr_alert_plate", "lpr_alert", ["plate_read"])
    op.create_index("ix_lpr_alert_reader_id", "lpr_alert", ["reader_id"])
    op.create_index("ix_lpr_alert_hotlist_id", "lpr_alert", ["hotlist_id"])
    op.create_table(
        "lpr_legal_hold",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("case_number", sa.String(100), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("plate", sa.String(16)),
        sa.Column("reader_id", sa.Integer()),
        sa.Column("since", UTCDateTime()),
        sa.Column("until", UTCDateTime()),
        sa.Column("created_by", sa.String(200), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("released_by", sa.String(200)),
        sa.Column("released_at", UTCDateTime()),
        sa.Column("release_reason", sa.Text()),
    )


def downgrade() -> None:
    for table in ("lpr_legal_hold", "lpr_alert", "hotlist_import", "hotlist_entry", "hotlist"):
        op.drop_table(table)
    if op.get_bind().dialect.name == "sqlite":
        op.execute("DROP TRIGGER IF EXISTS lpr_plate_fts_insert")
        op.execute("DROP TRIGGER IF EXISTS lpr_plate_fts_delete")
        op.execute("DROP TABLE IF EXISTS lpr_plate_fts")
    op.drop_table("lpr_plate")
    op.drop_table("lpr_read")
    op.drop_table("lpr_reader")
