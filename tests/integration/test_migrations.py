"""The Alembic migrations build exactly the schema the code declares, on both databases."""

from __future__ import annotations

import warnings

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Index, inspect

from openvoucher.adapters.db.schema import metadata
from tests.support.server import RunningServer

EXPRESSION_INDEXES = sorted(
    index.name
    for table in metadata.tables.values()
    for index in table.indexes
    if isinstance(index, Index) and index.name and index.expressions != list(index.columns)
)
"""Indexes on expressions (``lower(name)``): Alembic cannot compare them (it warns and skips
them), so ``test_expression_indexes_exist`` checks them by name."""


def test_migrated_schema_matches_the_tables_in_code(server: RunningServer) -> None:
    """After `upgrade head` there is no difference between the database and the metadata."""
    with server.container.engine.connect() as conn, warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=".*expression-based index")
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        differences = compare_metadata(context, metadata)
    assert differences == []


def test_expression_indexes_exist(server: RunningServer) -> None:
    """Every index on an expression the code declares was created by the migrations."""
    assert EXPRESSION_INDEXES, "no expression index declared (drop this test then)"
    tables = {index.table.name for t in metadata.tables.values() for index in t.indexes}
    found: set[str] = set()
    with server.container.engine.connect() as conn, warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=".*expression-based index")
        inspector = inspect(conn)
        for table in tables:
            found |= {str(index["name"]) for index in inspector.get_indexes(table)}
    if server.backend == "sqlite":
        with server.container.engine.connect() as conn:
            rows = conn.exec_driver_sql("SELECT name FROM sqlite_master WHERE type = 'index'")
            found |= {str(row[0]) for row in rows}
    assert set(EXPRESSION_INDEXES) <= found


def test_database_is_at_the_newest_revision(server: RunningServer) -> None:
    """The server's start-up migration leaves the database at the head revision."""
    with server.container.engine.connect() as conn:
        current = MigrationContext.configure(conn).get_current_revision()
    from alembic.script import ScriptDirectory

    from openvoucher.adapters.db.migrate import alembic_config

    head = ScriptDirectory.from_config(alembic_config(server.container.engine)).get_current_head()
    assert current == head
