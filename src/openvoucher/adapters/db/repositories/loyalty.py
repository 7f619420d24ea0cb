"""SQL for loyalty point buckets (scoped to one project)."""

from __future__ import annotations

import json
from collections.abc import Collection, Sequence
from datetime import datetime
from typing import Any

import orjson
from sqlalchemy import Connection, Text, bindparam, case, cast, func, insert, select, text, update
from sqlalchemy.dialects.postgresql import JSONB

from openvoucher.adapters.db import prepared
from openvoucher.adapters.db.prepared import PROJECT
from openvoucher.adapters.db.schema.loyalty import loyalty_point_buckets as buckets

ACTIVE = "ACTIVE"
USED = "USED"
EXPIRED = "EXPIRED"


class BucketRepository:
    """Expiry buckets of loyalty cards."""

    def __init__(self, conn: Connection, project_id: str) -> None:
        self.conn = conn
        self.project_id = project_id

    def insert(self, row: dict[str, Any]) -> None:
        """Store one new bucket."""
        self.conn.execute(INSERT, {"project_id": self.project_id, **row})

    def active(self, voucher_id: str) -> list[dict[str, Any]]:
        """A card's buckets with points left, oldest first."""
        params = {PROJECT: self.project_id, "_voucher": voucher_id, "_status": ACTIVE}
        return prepared.all_rows(self.conn, ACTIVE_OF_CARD, params)

    def dated(self, voucher_id: str) -> list[dict[str, Any]]:
        """A card's buckets with points left that expire, oldest first (what the next
        expiration is computed from; a card's never-expiring buckets are not read)."""
        params = {PROJECT: self.project_id, "_voucher": voucher_id, "_status": ACTIVE}
        return prepared.all_rows(self.conn, DATED_OF_CARD, params)

    def take(self, taken: Sequence[tuple[str, int]], now: datetime, status: str = USED) -> None:
        """Take points out of buckets; an emptied bucket gets ``status``."""
        for bucket_id, points in taken:
            if not bucket_id:
                continue
            left = buckets.c.points - points
            self.conn.execute(
                update(buckets)
                .where(buckets.c.project_id == self.project_id, buckets.c.id == bucket_id)
                .values(
                    points=left,
                    status=case((left <= 0, status), else_=ACTIVE),
                    updated_at=now,
                )
            )

    def give_back(self, parts: Sequence[tuple[str, int]], now: datetime) -> None:
        """Return points to buckets (a refund): each becomes ACTIVE again with its expiry."""
        for bucket_id, points in parts:
            self.conn.execute(
                update(buckets)
                .where(buckets.c.project_id == self.project_id, buckets.c.id == bucket_id)
                .values(points=buckets.c.points + points, status=ACTIVE, updated_at=now)
            )

    def expiring_page(
        self, voucher_id: str, *, limit: int, offset: int
    ) -> tuple[list[dict[str, Any]], int]:
        """A card's active buckets that expire, soonest first, and how many there are."""
        conditions = (
            buckets.c.project_id == self.project_id,
            buckets.c.voucher_id == voucher_id,
            buckets.c.status == ACTIVE,
            buckets.c.expires_at.is_not(None),
        )
        query = select(buckets).where(*conditions).order_by(buckets.c.expires_at, buckets.c.seq)
        rows = [dict(r) for r in self.conn.execute(query.limit(limit).offset(offset)).mappings()]
        total = self.conn.execute(select(func.count()).select_from(buckets).where(*conditions))
        return rows, int(total.scalar_one())


def due_buckets(
    conn: Connection, project_id: str | None, now: datetime, limit: int
) -> list[dict[str, Any]]:
    """Up to ``limit`` active buckets due at ``now`` (any project, or one), soonest first."""
    query = select(buckets).where(buckets.c.status == ACTIVE, buckets.c.expires_at <= now)
    if project_id is not None:
        query = query.where(buckets.c.project_id == project_id)
    query = query.order_by(buckets.c.expires_at, buckets.c.seq).limit(limit)
    return [dict(r) for r in conn.execute(query).mappings()]


def mark_expired(conn: Connection, bucket_seqs: Sequence[int], now: datetime) -> None:
    """Set buckets (by ``seq``) to EXPIRED with no points left, in one executemany."""
    if not bucket_seqs:
        return
    statement = (
        update(buckets)
        .where(buckets.c.seq == bindparam("b_seq"))
        .values(points=0, status=EXPIRED, updated_at=now)
    )
    conn.execute(statement, [{"b_seq": seq} for seq in bucket_seqs])


def active_of_vouchers(
    conn: Connection, project_id: str, voucher_ids: Sequence[str]
) -> list[dict[str, Any]]:
    """Active buckets of several cards (for their next expirations)."""
    if not voucher_ids:
        return []
    query = select(
        buckets.c.voucher_id, buckets.c.points, buckets.c.expires_at, buckets.c.id, buckets.c.seq
    ).where(
        buckets.c.project_id == project_id,
        buckets.c.voucher_id.in_(list(voucher_ids)),
        buckets.c.status == ACTIVE,
    )
    return [dict(r) for r in conn.execute(query).mappings()]


def widen_cache(conn: Connection) -> None:
    """On SQLite, a 64 MB page cache for this connection: bulk inserts into indexes keyed by
    random ids touch pages all over the b-trees, and the default 2 MB cache thrashes."""
    if conn.dialect.name == "sqlite":
        conn.exec_driver_sql("PRAGMA cache_size=-65536")


def try_lead(conn: Connection) -> bool:
    """On PostgreSQL, whether this transaction won the expiration job's advisory lock (held
    until it ends); SQLite's single writer needs none."""
    if conn.dialect.name != "postgresql":
        return True
    return bool(conn.execute(text("SELECT pg_try_advisory_xact_lock(727315001)")).scalar_one())


def customers_by_ids(
    conn: Connection, project_id: str, ids: Sequence[str]
) -> dict[str, dict[str, Any]]:
    """Customers by id (for rendering many holders at once)."""
    from openvoucher.adapters.db.schema.catalog import customers

    if not ids:
        return {}
    query = select(customers).where(
        customers.c.project_id == project_id, customers.c.id.in_(list(ids))
    )
    return {row["id"]: dict(row) for row in conn.execute(query).mappings()}


def insert_transactions(conn: Connection, project_id: str, rows: Sequence[dict[str, Any]]) -> None:
    """Append many ledger rows in one executemany."""
    from openvoucher.adapters.db.schema.ledger import voucher_transactions

    if rows:
        conn.execute(
            insert(voucher_transactions), [{"project_id": project_id, **row} for row in rows]
        )


def update_cards(conn: Connection, project_id: str, rows: Sequence[dict[str, Any]]) -> None:
    """Set many cards' balance, attrs and updated_at in one executemany (``c_id`` keys)."""
    from openvoucher.adapters.db.schema.catalog import vouchers

    if not rows:
        return
    statement = (
        update(vouchers)
        .where(vouchers.c.project_id == project_id, vouchers.c.id == bindparam("c_id"))
        .values(
            loyalty_balance=bindparam("c_balance"),
            attrs=bindparam("c_attrs"),
            updated_at=bindparam("c_updated_at"),
        )
    )
    conn.execute(statement, list(rows))


def next_due_project(conn: Connection, now: datetime, exclude: Collection[str] = ()) -> str | None:
    """A project (not in ``exclude``) with points due at ``now``, or None."""
    query = (
        select(buckets.c.project_id)
        .where(buckets.c.status == ACTIVE, buckets.c.expires_at <= now)
        .order_by(buckets.c.expires_at)
        .limit(1)
    )
    if exclude:
        query = query.where(buckets.c.project_id.not_in(list(exclude)))
    found = conn.execute(query).scalar()
    return str(found) if found is not None else None


def holder_events(
    conn: Connection, project_id: str, holder_id: str, types: Sequence[str], *, newest_first: bool
) -> Any:
    """The event log rows (``id, type, data, created_at``) about a customer, of ``types``
    (by the indexed ``customer_id``, as customer activity reads them)."""
    from openvoucher.adapters.db.schema.outbox import outbox_events

    o = outbox_events.c
    query = select(o.id, o.type, o.data, o.created_at).where(
        o.project_id == project_id, o.customer_id == holder_id, o.type.in_(list(types))
    )
    return conn.execute(query.order_by(o.seq.desc() if newest_first else o.seq.asc())).mappings()


def encode_json(value: Any) -> str:
    """JSON text for a JSON column, encoded with orjson (json for what orjson refuses)."""
    try:
        return orjson.dumps(value).decode()
    except TypeError:
        return json.dumps(value)


def _json_bind(dialect: str, name: str) -> Any:
    """A bind taking pre-encoded JSON text (``encode_json``) for a JSON/JSONB column."""
    if dialect == "postgresql":
        return cast(bindparam(name, type_=Text), JSONB)
    return bindparam(name, type_=Text)


_BULK: dict[tuple[str, str], Any] = {}


def _bulk_statement(conn: Connection, name: str) -> Any:
    """The bulk statements of the expiration job, built once per dialect."""
    key = (conn.dialect.name, name)
    if key not in _BULK:
        _BULK[key] = _build(conn.dialect.name, name)
    return _BULK[key]


def _build(dialect: str, name: str) -> Any:
    from openvoucher.adapters.db.schema.catalog import vouchers
    from openvoucher.adapters.db.schema.ledger import voucher_transactions
    from openvoucher.adapters.db.schema.outbox import outbox_events

    if name == "transactions":
        return insert(voucher_transactions).values(details=_json_bind(dialect, "j_details"))
    if name == "outbox":
        return insert(outbox_events).values(data=_json_bind(dialect, "j_data"))
    if name == "buckets":
        return (
            update(buckets)
            .where(buckets.c.seq == bindparam("b_seq"))
            .values(points=0, status=EXPIRED, updated_at=bindparam("b_now"))
        )
    return (
        update(vouchers)
        .where(vouchers.c.project_id == bindparam("c_project"), vouchers.c.id == bindparam("c_id"))
        .values(
            loyalty_balance=bindparam("c_balance"),
            attrs=_json_bind(dialect, "c_attrs"),
            updated_at=bindparam("c_updated_at"),
        )
    )


def insert_transactions_encoded(conn: Connection, rows: Sequence[dict[str, Any]]) -> None:
    """Append ledger rows whose ``details`` is already JSON text (``j_details``)."""
    if rows:
        conn.execute(_bulk_statement(conn, "transactions"), list(rows))


def update_cards_encoded(conn: Connection, rows: Sequence[dict[str, Any]]) -> None:
    """Set cards' balance, attrs (JSON text) and updated_at (``c_*`` keys), one executemany."""
    if rows:
        conn.execute(_bulk_statement(conn, "cards"), list(rows))


def expire_buckets(conn: Connection, bucket_seqs: Sequence[int], now: datetime) -> None:
    """Set buckets (by ``seq``) to EXPIRED with no points left, one executemany."""
    if bucket_seqs:
        params = [{"b_seq": seq, "b_now": now} for seq in bucket_seqs]
        conn.execute(_bulk_statement(conn, "buckets"), params)


def insert_events_encoded(conn: Connection, rows: Sequence[dict[str, Any]]) -> None:
    """Append outbox rows whose ``data`` is already JSON text (``j_data``), one executemany."""
    if rows:
        conn.execute(_bulk_statement(conn, "outbox"), list(rows))


def cards_for_expiry(conn: Connection, project_id: str, ids: Sequence[str]) -> list[dict[str, Any]]:
    """Cards by id (ordered by id) with their campaign name and category joined, as the voucher
    presenter reads them — but without the campaign's attrs (the caller adds them once per
    campaign instead of decoding the same JSON for every card)."""
    from openvoucher.adapters.db.repositories.vouchers import JOINED_COLUMNS
    from openvoucher.adapters.db.schema.catalog import campaigns, categories, vouchers

    columns = [c for c in JOINED_COLUMNS if c.name != "campaign_attrs"]
    joined = vouchers.outerjoin(campaigns, campaigns.c.id == vouchers.c.campaign_id).outerjoin(
        categories, categories.c.id == vouchers.c.category_id
    )
    query = (
        select(vouchers, *columns)
        .select_from(joined)
        .where(vouchers.c.project_id == project_id, vouchers.c.id.in_(list(ids)))
        .order_by(vouchers.c.id)
    )
    return [r._asdict() for r in conn.execute(query)]


# Hot statements, built once (see ``adapters.db.prepared``).
INSERT = insert(buckets)
ACTIVE_OF_CARD = (
    select(buckets)
    .where(
        buckets.c.project_id == bindparam(PROJECT),
        buckets.c.voucher_id == bindparam("_voucher"),
        buckets.c.status == bindparam("_status"),
    )
    .order_by(buckets.c.seq)
)
DATED_OF_CARD = ACTIVE_OF_CARD.where(buckets.c.expires_at.is_not(None), buckets.c.points > 0)
