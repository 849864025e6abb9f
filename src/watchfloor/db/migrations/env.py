"""Alembic environment: migrations run on a sync connection (sqlite3 or psycopg)."""

from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine, pool

from watchfloor.db.base import Base
from watchfloor.db.models import import_all_models

import_all_models()
config = context.config
url = config.attributes.get("database_url") or config.get_main_option("sqlalchemy.url")
if not url:
    raise RuntimeError("no database URL given to the migrations")

engine = create_engine(url, poolclass=pool.NullPool)
with engine.connect() as connection:
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()
engine.dispose()
