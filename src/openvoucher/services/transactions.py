"""Reading a card's ledger: ``GET /v1/vouchers/{code}/transactions`` and drift checks."""

from __future__ import annotations

from typing import Any

from openvoucher.adapters.db.repositories.voucher_transactions import (
    VoucherTransactionRepository,
)
from openvoucher.services import vouchers
from openvoucher.services.unit_of_work import UnitOfWork


def page(
    uow: UnitOfWork,
    project_id: str,
    code: str,
    *,
    limit: int,
    newest_first: bool,
    after_id: str | None,
) -> tuple[list[dict[str, Any]], bool]:
    """A page of a card's transactions (gift or loyalty) and whether more follow."""
    with uow.read(project_id) as tx:
        voucher = vouchers.require(tx, code)
        repo = VoucherTransactionRepository(tx.conn, tx.project_id)
        return repo.page(voucher["id"], limit=limit, newest_first=newest_first, after_id=after_id)
