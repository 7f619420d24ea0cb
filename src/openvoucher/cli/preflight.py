"""Start-up checks that run before anything is created or migrated, each failing as one
clear line: an unsupported database URL, a database file that cannot be read or written, a
port already in use, settings that cannot work together."""

from __future__ import annotations

import errno
import os
import socket
from pathlib import Path

import click
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

from openvoucher.config import Settings

SUPPORTED = "sqlite:///path.db, postgresql://user@host:5432/db (also postgres://)"
SCHEMES = {"sqlite", "postgresql", "postgres", "postgresql+psycopg"}


def check_database(url: str) -> None:
    """The URL names a database we support, and a SQLite file can be opened for writing."""
    scheme = url.split("://", 1)[0] if "://" in url else ""
    if scheme.lower() not in SCHEMES:
        shown = scheme or url
        raise click.ClickException(
            f"unsupported database URL scheme {shown!r}; supported: {SUPPORTED}"
        )
    if scheme.lower() == "sqlite":
        _check_sqlite(url)


def _check_sqlite(url: str) -> None:
    try:
        database = make_url(url).database
    except ArgumentError as exc:
        raise click.ClickException(f"invalid database URL {url!r}: {exc}") from exc
    if not database or database == ":memory:" or database.startswith("file:"):
        return
    path = Path(database).expanduser().resolve()
    if path.is_dir():
        raise click.ClickException(f"database path {path} is a directory, not a file")
    if path.exists():
        if not os.access(path, os.R_OK | os.W_OK):
            raise click.ClickException(f"cannot read and write the database file {path}")
    elif not path.parent.is_dir():
        raise click.ClickException(f"the folder of the database file {path} does not exist")
    if not os.access(path.parent, os.W_OK | os.X_OK):
        raise click.ClickException(
            f"cannot write in {path.parent}, where the database file {path.name} and its "
            "journal (-wal, -shm) live"
        )


def check_port(host: str, port: int) -> None:
    """Nothing else listens on ``host:port`` (as uvicorn binds: with SO_REUSEADDR)."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
    except socket.gaierror as exc:
        raise click.ClickException(f"cannot listen on {host}:{port}: {exc.strerror}") from exc
    family, kind, proto, _name, address = infos[0]
    with socket.socket(family, kind, proto) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind(address)
        except OSError as exc:
            reason = "address already in use" if exc.errno == errno.EADDRINUSE else exc.strerror
            raise click.ClickException(f"cannot listen on {host}:{port}: {reason}") from exc


def check_workers(settings: Settings) -> None:
    """``--workers N`` above 1 needs PostgreSQL and no dev features (docs/adr/0022)."""
    if settings.workers < 1:
        raise click.ClickException("--workers must be 1 or more")
    if settings.workers == 1:
        return
    if settings.database_url.startswith("sqlite"):
        raise click.ClickException(
            "--workers needs PostgreSQL: SQLite takes one writer at a time, so more API "
            "processes add lock waits, not throughput (see README, Scaling out)"
        )
    if settings.dev_features:
        raise click.ClickException(
            "--dev runs in one process (the dev clock and failure injection live in it); "
            "drop --workers or --dev"
        )


def check_metrics(settings: Settings) -> None:
    """``OPENVOUCHER_METRICS`` is ``auto``, ``on`` or ``off`` (a ValueError: one line)."""
    from openvoucher.api.metrics import enabled

    enabled(settings.metrics, settings.host)
