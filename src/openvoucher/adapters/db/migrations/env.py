"""Alembic environment: runs against the engine handed in by ``migrate.upgrade``."""

from __future__ import annotations

from alembic import context
from sqlalchemy import Engine

from openvoucher.adapters.db.schema import metadata


def run_migrations_online() -> None:
    """Run migrations on the engine in the config attributes (no URL parsing here)."""
    engine: Engine = context.config.attributes["engine"]
    with engine.connect() as connection:
        context.configure(
            connection=connection,
            target_metadata=metadata,
            render_as_batch=engine.dialect.name == "sqlite",
            compare_type=True,
        )
        with context.begin_transaction():
            context.run_migrations()
        connection.commit()


run_migrations_online()
