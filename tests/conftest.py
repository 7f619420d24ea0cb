"""Fixtures: every database test runs on SQLite and on PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import ExitStack

import httpx
import pytest
import voucherify

from tests.support.databases import database
from tests.support.emitted import check_emitted_events
from tests.support.responses import check_responses
from tests.support.sdk import sdk_client
from tests.support.server import Project, RunningServer, new_project, start_server

BACKENDS = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]


@pytest.fixture(scope="session", params=BACKENDS)
def database_url(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    """A fresh database URL for the session, one per backend."""
    with ExitStack() as stack:
        yield database(stack, request.param, tmp_path_factory.mktemp("sqlite"))


@pytest.fixture(scope="session")
def server(database_url: str) -> Iterator[RunningServer]:
    """A real server on a loopback port, for the whole session, per backend."""
    backend = "sqlite" if database_url.startswith("sqlite") else "postgresql"
    running = start_server(database_url, backend)
    yield running
    try:
        check_emitted_events(running)
        check_responses(running.recorded)
    finally:
        running.stop()


@pytest.fixture
def project(server: RunningServer) -> Project:
    """A fresh project with its own keys: tests never see each other's data."""
    return new_project(server)


@pytest.fixture
def http(project: Project) -> Iterator[httpx.Client]:
    """An HTTP client authenticated as the test's project."""
    with project.client() as client:
        yield client


@pytest.fixture
def sdk(project: Project) -> Iterator[voucherify.ApiClient]:
    """The official Python SDK, authenticated as the test's project."""
    with sdk_client(project) as client:
        yield client
