"""Bulk SQL of the points expiration job: one driver-level executemany per statement.

A batch appends thousands of ledger and outbox rows and updates as many cards and buckets.
SQLAlchemy's compiled executemany runs every parameter of every row through its bind
processors (a datetime becomes SQLite's text twice over, per row); here the JSON is encoded
once with orjson, the batch's one timestamp is converted once, and the rows go to the
driver as tuples. The SQL is plain: the same on both databases but for the placeholders
(``?`` for sqlite3, ``%s`` for psycopg, with a ``::jsonb`` cast for JSON columns).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Sequence
from datetime import datetime
from operator import itemgetter
from typing import Any

import orjson
from sqlalchemy import Connection

from openvoucher.adapters.db.types import UTCDateTime

TRANSACTION_COLUMNS = (
    "id",
    "project_id",
    "voucher_id",
    "campaign_id",
    "kind",
    "type",
    "amount",
    "balance_after",
    "source_id",
    "source",
    "reason",
    "related_transaction_id",
    "details",
    "created_at",
)
OUTBOX_COLUMNS = (
    "id",
    "project_id",
    "type",
    "entity_id",
    "group_id",
    "customer_id",
    "data",
    "created_at",
)
JSON_COLUMNS = frozenset({"details", "data", "attrs"})


def encode_json(value: Any) -> str:
    """JSON text for a JSON column, encoded with orjson (json for what orjson refuses)."""
    try:
        return orjson.dumps(value).decode()
    except TypeError:
        return json.dumps(value)


def db_time(conn: Connection, value: datetime) -> Any:
    """``value`` as the driver takes it for a ``UTCDateTime`` column (SQLite: naive UTC text)."""
    column_type = UTCDateTime().dialect_impl(conn.dialect)
    process: Callable[[Any], Any] | None = column_type.bind_processor(conn.dialect)
    return process(value) if process is not None else value


def _placeholders(conn: Connection, columns: Iterable[str]) -> str:
    if conn.dialect.name == "sqlite":
        return ", ".join("?" for _ in columns)
    return ", ".join("%s::jsonb" if c in JSON_COLUMNS else "%s" for c in columns)


def _insert_sql(conn: Connection, table: str, columns: Sequence[str]) -> str:
    values = _placeholders(conn, columns)
    return f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({values})"


def _many(conn: Connection, sql: str, rows: list[tuple[Any, ...]]) -> None:
    if rows:
        conn.exec_driver_sql(sql, rows)


def _insert(
    conn: Connection, table: str, columns: Sequence[str], json_key: str, rows: Sequence[Any]
) -> None:
    """Insert ``rows`` (dicts) as tuples in ``columns`` order, ``json_key`` encoded and each
    distinct ``created_at`` converted once."""
    take = itemgetter(*columns)
    json_at, time_at = columns.index(json_key), columns.index("created_at")
    times: dict[datetime, Any] = {}
    tuples = []
    for row in rows:
        values = list(take(row))
        values[json_at] = encode_json(values[json_at])
        moment = values[time_at]
        if moment not in times:
            times[moment] = db_time(conn, moment)
        values[time_at] = times[moment]
        tuples.append(tuple(values))
    _many(conn, _insert_sql(conn, table, columns), tuples)


def insert_transactions(conn: Connection, rows: Sequence[dict[str, Any]]) -> None:
    """Append ledger rows (``TRANSACTION_COLUMNS`` keys; ``details`` a dict)."""
    _insert(conn, "voucher_transactions", TRANSACTION_COLUMNS, "details", rows)


def insert_events(conn: Connection, rows: Sequence[dict[str, Any]]) -> None:
    """Append outbox rows (``OUTBOX_COLUMNS`` keys, as ``unit_of_work.outbox_row`` makes)."""
    _insert(conn, "outbox_events", OUTBOX_COLUMNS, "data", rows)


def update_cards(
    conn: Connection, project_id: str, cards: Sequence[dict[str, Any]], now: datetime
) -> None:
    """Set the cards' ``loyalty_balance`` and ``attrs`` (a dict) and ``updated_at`` = ``now``."""
    moment = db_time(conn, now)
    rows = [
        (card["loyalty_balance"], encode_json(card["attrs"]), moment, project_id, card["id"])
        for card in cards
    ]
    attrs = "?" if conn.dialect.name == "sqlite" else "%s::jsonb"
    mark = "?" if conn.dialect.name == "sqlite" else "%s"
    sql = (
        f"UPDATE vouchers SET loyalty_balance = {mark}, attrs = {attrs}, updated_at = {mark} "
        f"WHERE project_id = {mark} AND id = {mark}"
    )
    _many(conn, sql, rows)


def expire_buckets(conn: Connection, bucket_seqs: Sequence[int], now: datetime) -> None:
    """Set buckets (by ``seq``) to EXPIRED with no points left, updated at ``now``."""
    moment = db_time(conn, now)
    mark = "?" if conn.dialect.name == "sqlite" else "%s"
    sql = (
        f"UPDATE loyalty_point_buckets SET points = 0, status = 'EXPIRED', "
        f"updated_at = {mark} WHERE seq = {mark}"
    )
    _many(conn, sql, [(moment, seq) for seq in bucket_seqs])
