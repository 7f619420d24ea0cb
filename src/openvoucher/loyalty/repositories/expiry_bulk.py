"""Bulk SQL of the points expiration job: each statement sent once per batch.

A batch appends thousands of ledger and outbox rows and updates as many cards and buckets.
SQLAlchemy's compiled executemany runs every parameter of every row through its bind
processors (a datetime becomes SQLite's text, per row); here the JSON is encoded once with
orjson, the batch's one timestamp is converted once, and the values go to the driver as they
are. On SQLite: one ``executemany`` per statement (no round trips to save). On PostgreSQL:
one statement per batch that reads its rows from arrays (``unnest``), instead of one
execution per row.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from datetime import datetime
from operator import itemgetter
from typing import Any

import orjson
from sqlalchemy import Connection

from openvoucher.adapters.db.types import UTCDateTime

TRANSACTION_COLUMNS = {
    "id": "text",
    "project_id": "text",
    "voucher_id": "text",
    "campaign_id": "text",
    "kind": "text",
    "type": "text",
    "amount": "bigint",
    "balance_after": "bigint",
    "source_id": "text",
    "source": "text",
    "reason": "text",
    "related_transaction_id": "text",
    "details": "jsonb",
    "created_at": "timestamptz",
}
"""The ledger columns the job writes, with their PostgreSQL array element types."""
OUTBOX_COLUMNS = {
    "id": "text",
    "project_id": "text",
    "type": "text",
    "entity_id": "text",
    "group_id": "text",
    "customer_id": "text",
    "data": "jsonb",
    "parts": "jsonb",
    "created_at": "timestamptz",
}


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


def _sqlite(conn: Connection) -> bool:
    return conn.dialect.name == "sqlite"


def _unnest(types: Sequence[str]) -> str:
    """``unnest`` of one array parameter per type (JSON travels as text, cast per row)."""
    arrays = ", ".join(f"%b::{'text' if kind == 'jsonb' else kind}[]" for kind in types)
    return f"unnest({arrays})"


def _insert(
    conn: Connection, table: str, columns: dict[str, str], json_keys: str, rows: Sequence[Any]
) -> None:
    """Insert ``rows`` (dicts with ``columns`` keys), ``json_keys`` encoded (None stays SQL
    NULL for all but the first), each distinct ``created_at`` converted once."""
    if not rows:
        return
    names = list(columns)
    take = itemgetter(*names)
    json_at, *nullable_at = (names.index(key) for key in json_keys.split())
    time_at = names.index("created_at")
    times: dict[datetime, Any] = {}
    tuples = []
    for row in rows:
        values = list(take(row))
        values[json_at] = encode_json(values[json_at])
        for at in nullable_at:
            if values[at] is not None:
                values[at] = encode_json(values[at])
        moment = values[time_at]
        if moment not in times:
            times[moment] = db_time(conn, moment)
        values[time_at] = times[moment]
        tuples.append(tuple(values))
    listed = ", ".join(names)
    if _sqlite(conn):
        marks = ", ".join("?" for _ in names)
        conn.exec_driver_sql(f"INSERT INTO {table} ({listed}) VALUES ({marks})", tuples)
        return
    picked = ", ".join(f"d.{n}::jsonb" if columns[n] == "jsonb" else f"d.{n}" for n in names)
    sql = (
        f"INSERT INTO {table} ({listed}) SELECT {picked} FROM {_unnest(list(columns.values()))}"
        f" WITH ORDINALITY AS d({listed}, n) ORDER BY d.n"
    )
    conn.exec_driver_sql(sql, tuple(list(column) for column in zip(*tuples, strict=True)))


def insert_transactions(conn: Connection, rows: Sequence[dict[str, Any]]) -> None:
    """Append ledger rows (``TRANSACTION_COLUMNS`` keys; ``details`` a dict), in order."""
    _insert(conn, "voucher_transactions", TRANSACTION_COLUMNS, "details", rows)


def insert_events(conn: Connection, rows: Sequence[dict[str, Any]]) -> None:
    """Append outbox rows (``OUTBOX_COLUMNS`` keys, as ``unit_of_work.outbox_rows`` makes), in
    order."""
    _insert(conn, "outbox_events", OUTBOX_COLUMNS, "data parts", rows)


def update_cards(
    conn: Connection, project_id: str, cards: Sequence[dict[str, Any]], now: datetime
) -> None:
    """Set the cards' ``loyalty_balance`` and ``attrs`` (a dict) and ``updated_at`` = ``now``."""
    if not cards:
        return
    moment = db_time(conn, now)
    ids = [card["id"] for card in cards]
    balances = [card["loyalty_balance"] for card in cards]
    attrs = [encode_json(card["attrs"]) for card in cards]
    if _sqlite(conn):
        sql = (
            "UPDATE vouchers SET loyalty_balance = ?, attrs = ?, updated_at = ? "
            "WHERE project_id = ? AND id = ?"
        )
        rows = [(b, a, moment, project_id, i) for b, a, i in zip(balances, attrs, ids, strict=True)]
        conn.exec_driver_sql(sql, rows)
        return
    sql = (
        "UPDATE vouchers AS v SET loyalty_balance = d.balance, attrs = d.attrs::jsonb, "
        f"updated_at = %s FROM {_unnest(['text', 'bigint', 'jsonb'])} AS d(id, balance, attrs) "
        "WHERE v.project_id = %s AND v.id = d.id"
    )
    conn.exec_driver_sql(sql, (moment, ids, balances, attrs, project_id))


def expire_buckets(conn: Connection, bucket_seqs: Sequence[int], now: datetime) -> None:
    """Set buckets (by ``seq``) to EXPIRED with no points left, updated at ``now``."""
    if not bucket_seqs:
        return
    moment = db_time(conn, now)
    done = "UPDATE loyalty_point_buckets SET points = 0, status = 'EXPIRED'"
    if _sqlite(conn):
        sql = f"{done}, updated_at = ? WHERE seq = ?"
        conn.exec_driver_sql(sql, [(moment, seq) for seq in bucket_seqs])
        return
    sql = f"{done}, updated_at = %s WHERE seq = ANY(%b::bigint[])"
    conn.exec_driver_sql(sql, (moment, list(bucket_seqs)))
