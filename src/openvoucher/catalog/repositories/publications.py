"""Publications of one project, with their vouchers, customers and the vouchers they pick."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Connection,
    and_,
    func,
    insert,
    not_,
    or_,
    select,
    true,
)

from openvoucher.adapters.db.schema.catalog import (
    campaigns,
    customers,
    publication_vouchers,
    publications,
    vouchers,
)
from openvoucher.catalog.domain.campaigns import REFERRAL

ORDER_COLUMNS = {
    "id": publications.c.id,
    "voucher_code": vouchers.c.code,
    "tracking_id": customers.c.source_id,
    "customer_id": publications.c.customer_id,
    "created_at": publications.c.created_at,
    "channel": publications.c.channel,
}

FILTER_COLUMNS = {
    "customer_id": publications.c.customer_id,
    "campaign_name": campaigns.c.name,
    "parent_object_id": publications.c.campaign_id,
    "related_object_id": publications.c.voucher_id,
    "source_id": publications.c.source_id,
    "result": publications.c.result,
    "voucher_type": vouchers.c.type,
}
"""Fields of the ``filters`` query the list understands (plus ``is_referral_code``)."""

CUSTOMER_COLUMNS = ("id", "source_id", "name", "email", "attrs", "created_at", "updated_at")


@dataclass(frozen=True)
class Condition:
    """One ``filters[field][conditions][$op]`` clause; ``values`` are already typed."""

    field: str
    op: str
    values: tuple[Any, ...] = ()


@dataclass(frozen=True)
class PublicationFilter:
    """Filters of ``GET /v1/publications`` (references already resolved to ids)."""

    campaign_id: str | None = None
    customer_id: str | None = None
    voucher_code: str | None = None
    voucher_types: tuple[str, ...] = ()
    is_referral_code: bool | None = None
    source_id: str | None = None
    result: str | None = None
    conditions: tuple[Condition, ...] = ()
    junction: str = "and"


def _referral(wanted: bool) -> ColumnElement[bool]:
    """Publications whose campaign is (``wanted``) or is not a referral program."""
    programs = campaigns.alias("referral_programs")
    referral = select(programs.c.id).where(
        programs.c.project_id == publications.c.project_id,
        programs.c.campaign_type == REFERRAL,
    )
    inside = publications.c.campaign_id.in_(referral)
    return inside if wanted else or_(publications.c.campaign_id.is_(None), not_(inside))


def _clause(condition: Condition) -> ColumnElement[bool]:
    if condition.field == "is_referral_code":
        wanted = condition.values[0] if condition.values else True
        positive = condition.op in {"$is", "$in"}
        return _referral(wanted is positive)
    column = FILTER_COLUMNS[condition.field]
    if condition.op in {"$is", "$in"}:
        return column.in_(condition.values)
    if condition.op in {"$is_not", "$not_in"}:
        return or_(column.is_(None), not_(column.in_(condition.values)))
    if condition.op == "$has_value":
        return column.is_not(None)
    return column.is_(None)  # $is_unknown


class PublicationRepository:
    """SQL for publications, scoped to one project."""

    def __init__(self, conn: Connection, project_id: str) -> None:
        self.conn = conn
        self.project_id = project_id

    def _first(self, query: Any) -> dict[str, Any] | None:
        found = self.conn.execute(query).mappings().first()
        return dict(found) if found else None

    def _scoped(self) -> Any:
        return select(publications).where(publications.c.project_id == self.project_id)

    def get(self, publication_id: str) -> dict[str, Any] | None:
        """By id."""
        return self._first(self._scoped().where(publications.c.id == publication_id))

    def get_by_source_id(self, source_id: str) -> dict[str, Any] | None:
        """The publication with this (unique) source_id."""
        return self._first(self._scoped().where(publications.c.source_id == source_id))

    def latest_of_voucher_for(
        self, voucher_id: str, customer_id: str | None
    ) -> dict[str, Any] | None:
        """The newest publication of ``voucher_id`` to ``customer_id`` (None: to anyone)."""
        query = self._scoped().where(
            publications.c.customer_id == customer_id if customer_id else true(),
            publications.c.id.in_(
                select(publication_vouchers.c.publication_id).where(
                    publication_vouchers.c.project_id == self.project_id,
                    publication_vouchers.c.voucher_id == voucher_id,
                )
            ),
        )
        return self._first(query.order_by(publications.c.created_at.desc()).limit(1))

    def insert(self, row: dict[str, Any], voucher_refs: Sequence[tuple[str, str]]) -> None:
        """Store a publication and its ``(voucher_id, code)`` list."""
        self.conn.execute(insert(publications).values(project_id=self.project_id, **row))
        links = [
            {
                "project_id": self.project_id,
                "publication_id": row["id"],
                "position": position,
                "voucher_id": voucher_id,
                "code": code,
            }
            for position, (voucher_id, code) in enumerate(voucher_refs)
        ]
        self.conn.execute(insert(publication_vouchers), links)

    def voucher_refs(self, publication_ids: Sequence[str]) -> dict[str, list[tuple[str, str]]]:
        """``(voucher_id, code)`` of each publication, in publishing order."""
        found: dict[str, list[tuple[str, str]]] = {pid: [] for pid in publication_ids}
        if not publication_ids:
            return found
        link = publication_vouchers.c
        query = (
            select(link.publication_id, link.voucher_id, link.code)
            .where(link.project_id == self.project_id, link.publication_id.in_(publication_ids))
            .order_by(link.publication_id, link.position)
        )
        for publication_id, voucher_id, code in self.conn.execute(query):
            found[publication_id].append((voucher_id, code))
        return found

    def lock_voucher(self, voucher_id: str) -> None:
        """Serialise publishers of one voucher (SQLite's writes are serial already)."""
        query = select(vouchers.c.id).where(
            vouchers.c.project_id == self.project_id, vouchers.c.id == voucher_id
        )
        self.conn.execute(query.with_for_update())

    def free_voucher_ids(
        self, campaign_id: str, now: datetime, count: int, lock: bool = True
    ) -> list[str]:
        """Up to ``count`` vouchers of the campaign fit to publish (active, unexpired, never
        published, without holder), oldest first, locked for this transaction (unless not
        ``lock``: a look that writes nothing)."""
        c = vouchers.c
        query = (
            select(c.id)
            .where(
                c.project_id == self.project_id,
                c.campaign_id == campaign_id,
                c.holder_id.is_(None),
                c.publish_count == 0,
                c.active.is_(True),
                or_(c.expiration_date.is_(None), c.expiration_date > now),
            )
            .order_by(c.created_at, c.id)
            .limit(count)
        )
        if lock:
            query = query.with_for_update(skip_locked=True)
        return list(self.conn.execute(query).scalars())

    def held_voucher_id(self, campaign_id: str, customer_id: str) -> str | None:
        """The oldest voucher of the campaign that ``customer_id`` holds."""
        c = vouchers.c
        query = (
            select(c.id)
            .where(
                c.project_id == self.project_id,
                c.campaign_id == campaign_id,
                c.holder_id == customer_id,
            )
            .order_by(c.created_at, c.id)
            .limit(1)
        )
        found = self.conn.execute(query).scalar()
        return str(found) if found is not None else None

    def page(
        self, filters: PublicationFilter, *, order: str, limit: int, offset: int
    ) -> tuple[list[dict[str, Any]], int]:
        """One page of publications (each with its ``customer`` row or None) and the total."""
        joined = (
            publications.outerjoin(customers, customers.c.id == publications.c.customer_id)
            .outerjoin(vouchers, vouchers.c.id == publications.c.voucher_id)
            .outerjoin(campaigns, campaigns.c.id == publications.c.campaign_id)
        )
        conditions = [publications.c.project_id == self.project_id, *self._conditions(filters)]
        column = ORDER_COLUMNS[order.lstrip("-")]
        ordering = column.desc() if order.startswith("-") else column.asc()
        labeled = [customers.c[name].label(f"cust__{name}") for name in CUSTOMER_COLUMNS]
        query = (
            select(publications, *labeled)
            .select_from(joined)
            .where(*conditions)
            .order_by(ordering, publications.c.id)
            .limit(limit)
            .offset(offset)
        )
        rows = [_with_customer(dict(r)) for r in self.conn.execute(query).mappings()]
        count = select(func.count()).select_from(joined).where(*conditions)
        return rows, int(self.conn.execute(count).scalar_one())

    def _conditions(self, f: PublicationFilter) -> list[ColumnElement[bool]]:
        p = publications.c
        conditions: list[ColumnElement[bool]] = []
        for value, column in (
            (f.campaign_id, p.campaign_id),
            (f.customer_id, p.customer_id),
            (f.source_id, p.source_id),
            (f.result, p.result),
        ):
            if value is not None:
                conditions.append(column == value)
        if f.voucher_code is not None:
            link = publication_vouchers.c
            conditions.append(
                p.id.in_(
                    select(link.publication_id).where(
                        link.project_id == self.project_id, link.code == f.voucher_code
                    )
                )
            )
        if f.voucher_types:
            conditions.append(vouchers.c.type.in_(f.voucher_types))
        if f.is_referral_code is not None:
            conditions.append(_referral(f.is_referral_code))
        if f.conditions:
            clauses = [_clause(condition) for condition in f.conditions]
            conditions.append(or_(*clauses) if f.junction == "or" else and_(*clauses))
        return conditions


def _with_customer(row: dict[str, Any]) -> dict[str, Any]:
    customer = {name: row.pop(f"cust__{name}") for name in CUSTOMER_COLUMNS}
    row["customer"] = customer if customer["id"] is not None else None
    return row
