"""Test databases: a SQLite file per session, a fresh PostgreSQL database per session."""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path

import psycopg
import pytest
from sqlalchemy.engine import make_url

POSTGRES_ENV = "OPENVOUCHER_TEST_POSTGRES_URL"


def postgres_base_url() -> str | None:
    """The PostgreSQL server URL tests may use, or None."""
    return os.environ.get(POSTGRES_ENV) or None


@contextmanager
def sqlite_database(directory: Path) -> Iterator[str]:
    """A SQLite database file in ``directory``."""
    yield f"sqlite:///{directory / 'openvoucher-test.db'}"


@contextmanager
def postgres_database(base_url: str) -> Iterator[str]:
    """A brand-new PostgreSQL database, dropped afterwards."""
    url = make_url(base_url.replace("postgresql+psycopg://", "postgresql://"))
    name = "ov_test_" + secrets.token_hex(6)
    admin = url.set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield url.set(database=name).render_as_string(hide_password=False)
    finally:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def database(stack: ExitStack, backend: str, directory: Path) -> str:
    """A fresh database of ``backend`` ("sqlite": a file in ``directory``), dropped when
    ``stack`` closes; PostgreSQL skips without a URL, and fails when CI requires it."""
    if backend == "sqlite":
        return stack.enter_context(sqlite_database(directory))
    base = postgres_base_url()
    if base is None:
        if os.environ.get("OPENVOUCHER_TEST_REQUIRE_POSTGRES"):
            pytest.fail("OPENVOUCHER_TEST_REQUIRE_POSTGRES is set but no PostgreSQL URL is")
        pytest.skip("PostgreSQL tests need OPENVOUCHER_TEST_POSTGRES_URL (see README)")
    return stack.enter_context(postgres_database(base))
