"""Fixtures of the integration tests."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path
from typing import Any

import pytest

from openvoucher.bootstrap import build
from openvoucher.config import Settings
from tests.support.databases import postgres_base_url, postgres_database, sqlite_database
from tests.support.server import RunningServer, start_server


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def container(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Any]:
    """A container on a database of its own, relay not running (the test drives cycles)."""
    with ExitStack() as stack:
        if request.param == "sqlite":
            url = stack.enter_context(sqlite_database(tmp_path))
        else:
            base = postgres_base_url()
            if base is None:
                pytest.skip("needs OPENVOUCHER_TEST_POSTGRES_URL")
            url = stack.enter_context(postgres_database(base))
        built = build(Settings(database_url=url, run_relay=False))
        yield built
        built.engine.dispose()


@pytest.fixture(
    scope="module", params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]
)
def dev_server(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[RunningServer]:
    """A ``--dev`` server (time travel) on a database of its own, one per test module."""
    with ExitStack() as stack:
        if request.param == "sqlite":
            url = stack.enter_context(sqlite_database(tmp_path_factory.mktemp("dev-server")))
        else:
            base = postgres_base_url()
            if base is None:
                if os.environ.get("OPENVOUCHER_TEST_REQUIRE_POSTGRES"):
                    pytest.fail("OPENVOUCHER_TEST_REQUIRE_POSTGRES is set but no PostgreSQL URL")
                pytest.skip("PostgreSQL tests need OPENVOUCHER_TEST_POSTGRES_URL")
            url = stack.enter_context(postgres_database(base))
        running = start_server(url, request.param, dev_features=True)
        yield running
        running.stop()
