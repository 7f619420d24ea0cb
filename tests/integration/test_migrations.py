"""The Alembic migrations build exactly the schema the code declares, on both databases."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from openvoucher.adapters.db.schema import metadata
from tests.support.server import RunningServer


def test_migrated_schema_matches_the_tables_in_code(server: RunningServer) -> None:
    """After `upgrade head` there is no difference between the database and the metadata."""
    with server.container.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        differences = compare_metadata(context, metadata)
    assert differences == []


def test_database_is_at_the_newest_revision(server: RunningServer) -> None:
    """The server's start-up migration leaves the database at the head revision."""
    with server.container.engine.connect() as conn:
        current = MigrationContext.configure(conn).get_current_revision()
    from alembic.script import ScriptDirectory

    from openvoucher.adapters.db.migrate import alembic_config

    head = ScriptDirectory.from_config(alembic_config(server.container.engine)).get_current_head()
    assert current == head
