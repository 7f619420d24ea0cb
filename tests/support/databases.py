"""Test databases: a SQLite file per session, a fresh PostgreSQL database per session."""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import psycopg
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
