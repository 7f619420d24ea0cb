"""Fixtures of the integration tests."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path
from typing import Any

import pytest

from openvoucher.bootstrap import build
from openvoucher.config import Settings
from tests.support.databases import database
from tests.support.server import RunningServer, start_server


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def container(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Any]:
    """A container on a database of its own, relay not running (the test drives cycles)."""
    with ExitStack() as stack:
        url = database(stack, request.param, tmp_path)
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
        url = database(stack, request.param, tmp_path_factory.mktemp("dev-server"))
        running = start_server(url, request.param, dev_features=True)
        yield running
        running.stop()
