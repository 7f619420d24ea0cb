"""SQL for loyalty point buckets (scoped to one project)."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, bindparam, case, func, insert, select, text, update

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

    def one(self, voucher_id: str, bucket_id: str) -> dict[str, Any] | None:
        """The card's bucket ``bucket_id`` (locked for update), if there is one."""
        query = select(buckets).where(
            buckets.c.project_id == self.project_id,
            buckets.c.voucher_id == voucher_id,
            buckets.c.id == bucket_id,
        )
        found = self.conn.execute(query.with_for_update()).mappings().first()
        return dict(found) if found else None

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
    return _dicts(conn.execute(query))


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
    return _dicts(conn.execute(query))


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
    """Customers by id, the columns ``customers.presenters.customers.customer_ref`` reads (for
    rendering many holders at once)."""
    from openvoucher.adapters.db.schema.catalog import customers

    if not ids:
        return {}
    c = customers.c
    # ``project_id || ''`` keeps the project check off the index: SQLite (no statistics)
    # otherwise reads the project's customers by (project_id, created_at) and tests each
    # against the list, a scan of every customer per batch, instead of the primary key.
    query = select(c.id, c.source_id, c.name, c.email, c.attrs).where(
        c.project_id.op("||")("") == project_id, c.id.in_(list(ids))
    )
    return {row["id"]: row for row in _dicts(conn.execute(query))}


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
    (by the indexed ``customer_id``, as customer activity reads them), read in chunks."""
    from openvoucher.adapters.db import outbox_parts
    from openvoucher.adapters.db.schema.outbox import outbox_events

    o = outbox_events.c
    query = select(o.id, o.type, o.data, o.parts, o.created_at).where(
        o.project_id == project_id, o.customer_id == holder_id, o.type.in_(list(types))
    )
    result = conn.execute(query.order_by(o.seq.desc() if newest_first else o.seq.asc()))
    for chunk in result.mappings().partitions(100):
        rows = [dict(row) for row in chunk]
        outbox_parts.expand(conn, rows)
        for row in rows:
            del row["parts"]
            yield row


def cards_for_expiry(conn: Connection, project_id: str, ids: Sequence[str]) -> list[dict[str, Any]]:
    """Cards by id (ordered by id) with their campaign name and category joined, as the voucher
    presenter reads them — but without the campaign's attrs (the caller adds them once per
    campaign instead of decoding the same JSON for every card)."""
    from openvoucher.adapters.db.schema.catalog import campaigns, categories, vouchers
    from openvoucher.catalog.repositories.vouchers import JOINED_COLUMNS

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
    return _dicts(conn.execute(query))


def _dicts(result: Any) -> list[dict[str, Any]]:
    """Every row of ``result`` as a dict, fetched at once (bulk reads: cheaper per row than
    iterating ``mappings()``)."""
    keys = list(result.keys())
    return [dict(zip(keys, row, strict=True)) for row in result.all()]


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
