"""Reading redemptions: one by id, a filtered page, and a voucher's redemptions and rollbacks."""

from __future__ import annotations

from typing import Any

from openvoucher.catalog import vouchers
from openvoucher.checkout.presenters.redemptions import (
    redemption,
    redemptions_list,
    voucher_redemptions,
)
from openvoucher.checkout.redemptions import require
from openvoucher.checkout.repositories.redemptions import (
    RedemptionFilter,
    RedemptionRepository,
)
from openvoucher.customers.repositories.customers import CustomerRepository
from openvoucher.kernel.unit_of_work import UnitOfWork


def get(uow: UnitOfWork, project_id: str, redemption_id: str) -> dict[str, Any]:
    """``GET /v1/redemptions/{id}``."""
    with uow.read(project_id) as tx:
        return redemption(require(tx, redemption_id))


def list_redemptions(
    uow: UnitOfWork,
    project_id: str,
    filters: RedemptionFilter,
    customer: str | None,
    *,
    order: str,
    limit: int,
    offset: int,
) -> dict[str, Any]:
    """``GET /v1/redemptions``: ``customer`` is an id or source_id."""
    with uow.read(project_id) as tx:
        if customer:
            found = CustomerRepository(tx.conn, tx.project_id).get_by_id_or_source_id(customer)
            filters = RedemptionFilter(
                **{**filters.__dict__, "customer_id": (found or {}).get("id", "-")}
            )
        repo = RedemptionRepository(tx.conn, tx.project_id)
        rows, total = repo.page(filters, order=order, limit=limit, offset=offset)
        return redemptions_list(rows, total)


def of_voucher(
    uow: UnitOfWork, project_id: str, code: str, *, limit: int, offset: int
) -> dict[str, Any]:
    """``GET /v1/vouchers/{code}/redemption``: the voucher's redemptions and rollbacks."""
    with uow.read(project_id) as tx:
        row = vouchers.require(tx, code)
        repo = RedemptionRepository(tx.conn, tx.project_id)
        rows, total = repo.of_voucher(row["id"], limit, offset)
        return voucher_redemptions(vouchers.render(tx, row), rows, total)
