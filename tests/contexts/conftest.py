"""Service-level tests: each context's use cases called directly on a real unit of work
(SQLite and PostgreSQL), without an HTTP server."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path

import pytest

from openvoucher.bootstrap import build
from openvoucher.config import Settings
from tests.support.contexts import Context
from tests.support.databases import database


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def ctx(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Context]:
    """``bootstrap.build()`` on a fresh database (relay not running), and its default project."""
    with ExitStack() as stack:
        url = database(stack, request.param, tmp_path)
        built = build(Settings(database_url=url, run_relay=False))
        yield Context(built, str(built.default_project["id"]))
        built.engine.dispose()
