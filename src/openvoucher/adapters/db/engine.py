"""Engine creation: SQLite (WAL, foreign keys, IMMEDIATE writes) or PostgreSQL (psycopg 3)."""

from __future__ import annotations

import json
import math
import os
from typing import Any

import orjson
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.pool import QueuePool

SQLITE_CACHE_KIB = int(os.environ.get("OPENVOUCHER_SQLITE_CACHE_KIB") or 2048)
"""Page cache of each SQLite connection in KiB (default SQLite's own ~2 MB, made explicit;
``OPENVOUCHER_SQLITE_CACHE_KIB`` sets it): the
server's memory for SQLite pages is at most this times its connections: the pool's 8 + 16
overflow and one hot reader per thread that reads hot (docs/adr/0029-sqlite-memory.md)."""

WRITE = {"sqlite_begin": "IMMEDIATE"}
"""Execution options for a connection that will write: SQLite takes the write lock up front."""


def normalise_url(url: str) -> str:
    """Map ``postgresql://`` and ``postgres://`` to the psycopg 3 driver."""
    for plain in ("postgresql://", "postgres://"):
        if url.startswith(plain):
            return "postgresql+psycopg://" + url[len(plain) :]
    return url


def json_loads(value: str | bytes) -> Any:
    """Decode a JSON column with orjson (several times faster than ``json.loads``).

    Falls back to ``json.loads`` for what orjson refuses but ``json.dumps`` may have written:
    integers beyond 64 bits, ``NaN`` and ``Infinity``; and for a value nested deeper than both
    decode (~1 000 levels: never written by the API, whose limit is 32, but possible by other
    means), to the value with its containers below :data:`STORED_DEPTH` levels read as ``null``,
    so a read or a list never fails on it (docs/compat/limits.md).
    """
    try:
        return orjson.loads(value)
    except orjson.JSONDecodeError:
        try:
            return json.loads(value)
        except RecursionError:
            text = value.decode() if isinstance(value, bytes) else value
            return json.loads(cut_deep(text, STORED_DEPTH))


STORED_DEPTH = 64
"""Levels of a stored JSON value read when it is nested deeper than the decoders go."""


def cut_deep(text: str, depth: int) -> str:
    """JSON ``text`` with every container below ``depth`` levels replaced by ``null`` (a scan,
    no recursion; strings and their escapes are skipped as they are)."""
    out: list[str] = []
    level, start, in_string, escaped = 0, 0, False, False
    for at, char in enumerate(text):
        if in_string:
            escaped, in_string = (False, True) if escaped else (char == "\\", char != '"')
        elif char == '"':
            in_string = True
        elif char in "[{":
            level += 1
            if level == depth + 1:
                out.append(text[start:at] + "null")
        elif char in "]}":
            if level == depth + 1:
                start = at + 1
            level -= 1
    out.append(text[start:])
    return "".join(out)


_ORJSON_OPTIONS = (
    orjson.OPT_NON_STR_KEYS
    | orjson.OPT_PASSTHROUGH_DATETIME
    | orjson.OPT_PASSTHROUGH_DATACLASS
    | orjson.OPT_PASSTHROUGH_SUBCLASS
)
"""What ``json.dumps`` cannot encode (datetimes, dataclasses) goes to it, and fails there."""


def json_dumps(value: Any) -> str:
    """Encode a JSON column with orjson (several times faster than ``json.dumps``).

    Falls back to ``json.dumps`` for what orjson refuses (integers beyond 64 bits, types
    passed through) and for floats it would not write as ``json.dumps`` does (``NaN``,
    ``Infinity``), so what is stored reads back exactly as before.
    """
    try:
        text = orjson.dumps(value, option=_ORJSON_OPTIONS).decode()
    except TypeError:
        return json.dumps(value)
    if "null" in text and _non_finite(value):
        return json.dumps(value)
    return text


_LEAVES = frozenset({str, int, bool, type(None)})


def _non_finite(value: Any) -> bool:
    """Whether a NaN or an infinity is anywhere in ``value`` (a loop with a stack: several
    times faster than recursing through generators on event payloads)."""
    stack = [value]
    while stack:
        item = stack.pop()
        kind = type(item)
        if kind in _LEAVES:
            continue
        if isinstance(item, float):
            if not math.isfinite(item):
                return True
        elif isinstance(item, dict):
            stack.extend(item.values())
        elif isinstance(item, list | tuple):
            stack.extend(item)
    return False


def make_engine(url: str, *, pool_size: int = 10) -> Engine:
    """Create an engine configured for the database behind ``url``."""
    url = normalise_url(url)
    if make_url(url).get_backend_name() == "sqlite":
        return _sqlite_engine(url)
    return create_engine(
        url,
        pool_size=pool_size,
        max_overflow=20,
        pool_pre_ping=True,
        json_serializer=json_dumps,
        json_deserializer=json_loads,
    )


def _sqlite_engine(url: str) -> Engine:
    engine = create_engine(
        url,
        json_serializer=json_dumps,
        json_deserializer=json_loads,
        connect_args={"check_same_thread": False, "timeout": 30},
        poolclass=QueuePool,
        pool_size=8,
        max_overflow=16,
    )
    event.listen(engine, "connect", _sqlite_on_connect)
    event.listen(engine, "begin", _sqlite_on_begin)
    return engine


def _sqlite_on_connect(dbapi_conn: Any, _record: Any) -> None:
    # Let SQLAlchemy's "begin" event emit BEGIN itself, so writes can use BEGIN IMMEDIATE.
    dbapi_conn.isolation_level = None
    cursor = dbapi_conn.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.execute(f"PRAGMA cache_size=-{SQLITE_CACHE_KIB}")
    cursor.close()


def _sqlite_on_begin(conn: Any) -> None:
    mode = conn.get_execution_options().get("sqlite_begin", "DEFERRED")
    conn.exec_driver_sql(f"BEGIN {mode}")


def is_sqlite(engine: Engine) -> bool:
    """Whether the engine talks to SQLite."""
    return engine.dialect.name == "sqlite"
