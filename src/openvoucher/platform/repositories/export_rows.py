"""What an export writes: per exported object, one query streamed in pages.

Each source names its filter fields (the ``filters`` of the export, as for list endpoints),
the columns its ``order`` values sort by, and the columns a ``scope`` narrows (the voucher or
campaign an export of ``/v1/vouchers/{code}/…`` or ``/v1/campaigns/{id}/…`` is about).
Rows are fetched ``BATCH`` at a time from one cursor, so an export of any size holds one
page in memory.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, func, select

from openvoucher.adapters.db import filters as listing
from openvoucher.adapters.db.schema.catalog import (
    campaigns,
    categories,
    customers,
    publication_vouchers,
    publications,
    vouchers,
)
from openvoucher.adapters.db.schema.ledger import voucher_transactions as vtx
from openvoucher.adapters.db.schema.loyalty import loyalty_point_buckets as buckets
from openvoucher.adapters.db.schema.redemptions import redemptions
from openvoucher.adapters.db.schema.sales import orders
from openvoucher.catalog.repositories import vouchers as voucher_repo
from openvoucher.checkout.repositories import orders as order_repo
from openvoucher.customers.repositories import customers as customer_repo
from openvoucher.kernel.filters import Filters

BATCH = 500
"""Rows per page read from the cursor (and per part of the file)."""


@dataclass(frozen=True)
class Source:
    """How to read one exported object."""

    columns: tuple[Any, ...]
    joined: Any
    project: Any
    filters: Mapping[str, listing.FieldRef]
    orders: Mapping[str, Any]
    tiebreak: tuple[Any, ...]
    scopes: Mapping[str, Any] = field(default_factory=dict)
    fixed: tuple[Any, ...] = ()


def _vouchers() -> Source:
    joined = (
        vouchers.outerjoin(campaigns, campaigns.c.id == vouchers.c.campaign_id)
        .outerjoin(categories, categories.c.id == vouchers.c.category_id)
        .outerjoin(customers, customers.c.id == vouchers.c.holder_id)
    )
    holder = customers.c.source_id.label("holder_source_id")
    return Source(
        columns=(vouchers, *voucher_repo.JOINED_COLUMNS, holder),
        joined=joined,
        project=vouchers.c.project_id,
        filters={
            **voucher_repo.FILTER_FIELDS,
            "customer_id": listing.column(vouchers.c.holder_id, "string"),
        },
        orders=voucher_repo.ORDER_COLUMNS,
        tiebreak=(vouchers.c.id,),
        scopes={"campaign_id": vouchers.c.campaign_id},
    )


def _redemptions() -> Source:
    r = redemptions.c
    text = {
        name: listing.column(column, "string")
        for name, column in {
            "id": r.id,
            "object": r.object,
            "voucher_code": r.voucher_code,
            "related_object_id": r.related_object_id,
            "related_object_parent_id": r.campaign_id,
            "campaign_id": r.campaign_id,
            "campaign_name": r.campaign_name,
            "parent_redemption_id": r.parent_id,
            "customer_id": r.customer_id,
            "tracking_id": r.tracking_id,
            "order_id": r.order_id,
            "result": r.result,
            "status": r.status,
            "failure_code": r.failure_code,
        }.items()
    }
    return Source(
        columns=(redemptions,),
        joined=redemptions,
        project=r.project_id,
        filters={
            **text,
            "created_at": listing.column(r.created_at, "date"),
            "metadata.*": listing.json_path(r.attrs, "metadata"),
        },
        orders={
            "id": r.id,
            "voucher_code": r.voucher_code,
            "tracking_id": r.tracking_id,
            "customer_id": r.customer_id,
            "created_at": r.seq,
        },
        tiebreak=(r.seq,),
    )


def _customers() -> Source:
    c = customers.c
    return Source(
        columns=(customers,),
        joined=customers,
        project=c.project_id,
        filters=customer_repo.FILTER_FIELDS,
        orders={
            "name": c.name,
            "id": c.id,
            "email": c.email,
            "source_id": c.source_id,
            "created_at": c.created_at,
            "updated_at": c.updated_at,
        },
        tiebreak=(c.id,),
    )


def _publications() -> Source:
    p, pv = publications.c, publication_vouchers.c
    joined = (
        publication_vouchers.join(publications, publications.c.id == pv.publication_id)
        .outerjoin(vouchers, vouchers.c.id == pv.voucher_id)
        .outerjoin(campaigns, campaigns.c.id == vouchers.c.campaign_id)
        .outerjoin(customers, customers.c.id == p.customer_id)
    )
    strings = {
        "id": p.id,
        "voucher_code": pv.code,
        "customer_id": p.customer_id,
        "campaign_id": vouchers.c.campaign_id,
        "campaign_name": campaigns.c.name,
        "channel": p.channel,
        "source_id": p.source_id,
        "result": p.result,
    }
    return Source(
        columns=(
            publications,
            pv.code.label("voucher_code"),
            customers.c.source_id.label("customer_source_id"),
            campaigns.c.name.label("campaign_name"),
        ),
        joined=joined,
        project=p.project_id,
        filters={
            **{name: listing.column(column, "string") for name, column in strings.items()},
            "created_at": listing.column(p.created_at, "date"),
            "metadata.*": listing.json_path(p.attrs, "metadata"),
        },
        orders={
            "id": p.id,
            "voucher_code": pv.code,
            "tracking_id": customers.c.source_id,
            "customer_id": p.customer_id,
            "created_at": p.created_at,
            "channel": p.channel,
        },
        tiebreak=(p.id, pv.position),
    )


def _orders() -> Source:
    return Source(
        columns=(orders,),
        joined=orders,
        project=orders.c.project_id,
        filters=order_repo.FILTER_FIELDS,
        orders={**order_repo.ORDER_COLUMNS, "status": orders.c.status},
        tiebreak=(orders.c.id,),
    )


def _points_expiration() -> Source:
    b = buckets.c
    return Source(
        columns=(buckets,),
        joined=buckets,
        project=b.project_id,
        filters={
            "id": listing.column(b.id, "string"),
            "campaign_id": listing.column(b.campaign_id, "string"),
            "voucher_id": listing.column(b.voucher_id, "string"),
            "status": listing.column(b.status, "string"),
            "points": listing.column(b.points, "number"),
            "expires_at": listing.column(b.expires_at, "date"),
        },
        orders={"expires_at": b.expires_at},
        tiebreak=(b.seq,),
        scopes={"campaign_id": b.campaign_id},
        # Points that expire: spent buckets and points that never expire are left out.
        fixed=(b.expires_at.is_not(None), b.status.in_(("ACTIVE", "EXPIRED"))),
    )


def _transactions() -> Source:
    t = vtx.c
    return Source(
        columns=(vtx,),
        joined=vtx,
        project=t.project_id,
        filters={
            **{
                name: listing.column(t[name], "string")
                for name in ("id", "type", "source_id", "voucher_id", "campaign_id", "source")
            },
            "amount": listing.column(t.amount, "number"),
            "created_at": listing.column(t.created_at, "date"),
        },
        orders={"created_at": t.seq},
        tiebreak=(t.seq,),
        scopes={"voucher_id": t.voucher_id, "campaign_id": t.campaign_id},
    )


SOURCES: dict[str, Source] = {
    "voucher": _vouchers(),
    "redemption": _redemptions(),
    "customer": _customers(),
    "publication": _publications(),
    "order": _orders(),
    "points_expiration": _points_expiration(),
    "voucher_transactions": _transactions(),
}


def filter_kinds(exported_object: str) -> dict[str, str]:
    """The filter fields of an exported object and their kinds (for the parser)."""
    return listing.kinds(SOURCES[exported_object].filters)


def order_names(exported_object: str) -> frozenset[str]:
    """The ``order`` values an exported object sorts by (each also with ``-``)."""
    names = SOURCES[exported_object].orders
    return frozenset(names) | frozenset(f"-{name}" for name in names)


@dataclass(frozen=True)
class Selection:
    """Which rows an export writes: filters, scope (column name → value) and order."""

    exported_object: str
    filters: Filters
    scope: Mapping[str, str]
    order: str
    now: datetime


class ExportRowRepository:
    """Reads the rows of exports, scoped to one project."""

    def __init__(self, conn: Connection, project_id: str) -> None:
        self.conn = conn
        self.project_id = project_id

    def _conditions(self, source: Source, selection: Selection) -> list[Any]:
        conditions = [source.project == self.project_id, *source.fixed]
        for name, value in selection.scope.items():
            conditions.append(source.scopes[name] == value)
        if selection.filters:
            dialect = self.conn.dialect
            clause = listing.where(selection.filters, source.filters, dialect, selection.now)
            conditions.append(clause)
        return conditions

    def count(self, selection: Selection) -> int:
        """How many rows the export writes."""
        source = SOURCES[selection.exported_object]
        query = select(func.count()).select_from(source.joined)
        query = query.where(*self._conditions(source, selection))
        return int(self.conn.execute(query).scalar_one())

    def pages(self, selection: Selection) -> Iterator[list[dict[str, Any]]]:
        """The rows in order, ``BATCH`` at a time, from one cursor."""
        source = SOURCES[selection.exported_object]
        name = selection.order.lstrip("-")
        descending = selection.order.startswith("-")
        keys = (source.orders[name], *source.tiebreak)
        query = (
            select(*source.columns)
            .select_from(source.joined)
            .where(*self._conditions(source, selection))
            .order_by(*(key.desc() if descending else key.asc() for key in keys))
        )
        result = self.conn.execution_options(yield_per=BATCH).execute(query)
        for part in result.mappings().partitions():
            yield [dict(row) for row in part]
