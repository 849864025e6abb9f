"""CAD incidents, their units, notes, cautions, persons, vehicles and EIDO documents.

Revision ID: 0004_incidents
Revises: 0003_auth
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from watchfloor.db.base import JSONDocument, UTCDateTime

revision = "0004_incidents"
down_revision = "0003_auth"
branch_labels = None
depends_on = None

_CHILDREN = (
    "incident_unit",
    "incident_note",
    "incident_caution",
    "incident_person",
    "incident_vehicle",
    "incident_agency",
)


def _child_columns(table: str) -> list[sa.Column[object]]:
    return [
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column(
            "incident_id",
            sa.String(36),
            sa.ForeignKey(
                "incident.id", ondelete="CASCADE", name=f"fk_{table}_incident_id_incident"
            ),
            nullable=False,
        ),
        sa.Column("eido_id", sa.String(500), nullable=True),
    ]


def _child_extras() -> dict[str, list[sa.Column[object]]]:
    return {
        "incident_unit": [
            sa.Column("name", sa.String(200), nullable=False),
            sa.Column("kind", sa.String(200), nullable=False),
            sa.Column("status", sa.String(30), nullable=False),
            sa.Column("status_text", sa.String(200), nullable=False),
            sa.Column("agency_ref", sa.String(500), nullable=True),
            sa.Column("lat", sa.Float(), nullable=True),
            sa.Column("lon", sa.Float(), nullable=True),
            sa.Column("updated_at", UTCDateTime(), nullable=False),
        ],
        "incident_note": [
            sa.Column("origin", sa.String(10), nullable=False),
            sa.Column("author", sa.String(200), nullable=True),
            sa.Column("author_user_id", sa.String(36), nullable=True),
            sa.Column("designator", sa.String(50), nullable=True),
            sa.Column("text", sa.Text(), nullable=False),
            sa.Column("written_at", UTCDateTime(), nullable=False),
        ],
        "incident_caution": [
            sa.Column("kind", sa.String(200), nullable=False),
            sa.Column("kind_text", sa.String(500), nullable=False),
            sa.Column("severity", sa.String(100), nullable=False),
            sa.Column("source", sa.String(200), nullable=True),
            sa.Column("starts_at", UTCDateTime(), nullable=True),
        ],
        "incident_person": [
            sa.Column("roles", JSONDocument, nullable=False),
            sa.Column("name", sa.String(500), nullable=True),
            sa.Column("description", sa.Text(), nullable=True),
        ],
        "incident_vehicle": [
            sa.Column("relationships", JSONDocument, nullable=False),
            sa.Column("plate", sa.String(20), nullable=True),
            sa.Column("plate_state", sa.String(10), nullable=True),
            sa.Column("make", sa.String(100), nullable=True),
            sa.Column("model", sa.String(100), nullable=True),
            sa.Column("color", sa.String(100), nullable=True),
            sa.Column("year", sa.Integer(), nullable=True),
            sa.Column("description", sa.Text(), nullable=True),
        ],
        "incident_agency": [
            sa.Column("name", sa.String(500), nullable=True),
            sa.Column("roles", JSONDocument, nullable=False),
            sa.Column("types", JSONDocument, nullable=False),
            sa.Column("owning", sa.Boolean(), nullable=False),
        ],
    }


def _incident() -> None:
    op.create_table(
        "incident",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("eido_id", sa.String(500), nullable=False),
        sa.Column("type_code", sa.String(200), nullable=False),
        sa.Column("type_internal_code", sa.String(200), nullable=True),
        sa.Column("type_text", sa.String(500), nullable=True),
        sa.Column("priority", sa.Integer(), nullable=True),
        sa.Column("priority_text", sa.String(200), nullable=True),
        sa.Column("status", sa.String(20), nullable=False),
        *[
            sa.Column(name, UTCDateTime(), nullable=True)
            for name in (
                "dispatched_at",
                "en_route_at",
                "on_scene_at",
                "cleared_at",
                "closed_at",
            )
        ],
        sa.Column("received_at", UTCDateTime(), nullable=False),
        sa.Column("last_updated_at", UTCDateTime(), nullable=False),
        sa.Column("first_received_at", UTCDateTime(), nullable=False),
        sa.Column("lat", sa.Float(), nullable=True),
        sa.Column("lon", sa.Float(), nullable=True),
        sa.Column("address", sa.String(500), nullable=True),
        sa.Column("cross_streets", JSONDocument, nullable=False),
        sa.Column("location_description", sa.Text(), nullable=True),
        sa.Column("beat", sa.String(100), nullable=True),
        sa.Column("cad_incident_number", sa.String(100), nullable=True),
        sa.Column("issuing_element", sa.String(200), nullable=False),
        sa.Column("claimed_by_user_id", sa.String(36), nullable=True),
        sa.Column("claimed_by_username", sa.String(200), nullable=True),
        sa.Column("claimed_by_designator", sa.String(50), nullable=True),
        sa.Column("claimed_at", UTCDateTime(), nullable=True),
        sa.Column("document", JSONDocument, nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.UniqueConstraint("eido_id", name="uq_incident_eido_id"),
    )
    op.create_index("ix_incident_queue", "incident", ["status", "received_at"])
    op.create_index("ix_incident_cad_incident_number", "incident", ["cad_incident_number"])
    if op.get_bind().dialect.name == "postgresql":
        # Spatial queries (cameras near the call, prior calls nearby) use this column.
        op.execute(
            "ALTER TABLE incident ADD COLUMN geog geography(Point, 4326) GENERATED ALWAYS AS "
            "(CASE WHEN lat IS NULL OR lon IS NULL THEN NULL "
            "ELSE ST_SetSRID(ST_MakePoint(lon, lat), 4326)::geography END) STORED"
        )
        op.execute("CREATE INDEX ix_incident_geog ON incident USING gist (geog)")


def upgrade() -> None:
    _incident()
    extras = _child_extras()
    for table in _CHILDREN:
        op.create_table(
            table,
            *_child_columns(table),
            *extras[table],
            sa.UniqueConstraint("incident_id", "eido_id", name=f"uq_{table}_incident_id"),
        )
        op.create_index(f"ix_{table}_incident_id", table, ["incident_id"])
    op.create_table(
        "incident_timeline",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column(
            "incident_id",
            sa.String(36),
            sa.ForeignKey(
                "incident.id", ondelete="CASCADE", name="fk_incident_timeline_incident_id_incident"
            ),
            nullable=False,
        ),
        sa.Column("at", UTCDateTime(), nullable=False),
        sa.Column("kind", sa.String(50), nullable=False),
        sa.Column("actor", sa.String(200), nullable=False),
        sa.Column("details", JSONDocument, nullable=False),
    )
    op.create_index("ix_incident_timeline_incident_id", "incident_timeline", ["incident_id"])
    _eido_document()


def _eido_document() -> None:
    op.create_table(
        "eido_document",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column(
            "incident_id",
            sa.String(36),
            sa.ForeignKey(
                "incident.id", ondelete="CASCADE", name="fk_eido_document_incident_id_incident"
            ),
            nullable=False,
        ),
        sa.Column("eido_id", sa.String(500), nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("last_updated_at", UTCDateTime(), nullable=False),
        sa.Column("received_at", UTCDateTime(), nullable=False),
        sa.Column("source", sa.String(100), nullable=False),
        sa.Column("outcome", sa.String(20), nullable=False),
        sa.Column("document", JSONDocument, nullable=False),
    )
    op.create_index("ix_eido_document_incident_id", "eido_document", ["incident_id"])
    op.create_index("ix_eido_document_match", "eido_document", ["eido_id", "sha256"])


def downgrade() -> None:
    op.drop_table("eido_document")
    op.drop_table("incident_timeline")
    for table in reversed(_CHILDREN):
        op.drop_table(table)
    op.drop_table("incident")
