"""``GET /v1/customers/{customerId}/redeemables``: what a customer holds, a page at a time."""

from __future__ import annotations

from typing import Any

from openvoucher.customers import customers
from openvoucher.customers.presenters.customer_redeemables import holding, holdings_list
from openvoucher.customers.repositories.customer_redeemables import (
    HOLDING_PREFIX,
    CustomerRedeemableRepository,
)
from openvoucher.kernel.filters import Filters
from openvoucher.kernel.unit_of_work import UnitOfWork


def page(
    uow: UnitOfWork,
    project_id: str,
    ident: str,
    filters: Filters,
    *,
    limit: int,
    descending: bool,
    after_id: str | None,
) -> dict[str, Any]:
    """The customer's (by id or source id) holdings in ``id`` order after ``after_id``."""
    after = after_id.removeprefix(HOLDING_PREFIX) if after_id else None
    with uow.read(project_id) as tx:
        customer = customers.require(tx, ident)
        rows, more, total = CustomerRedeemableRepository(tx.conn, tx.project_id).page(
            customer["id"], filters, tx.now, limit=limit, descending=descending, after_voucher=after
        )
        items = [holding(row, customer["id"], uow.base_url, tx.now) for row in rows]
    return holdings_list(items, total, more)
