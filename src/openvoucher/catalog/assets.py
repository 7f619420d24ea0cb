"""Public voucher assets: which code a QR or barcode link draws."""

from __future__ import annotations

from openvoucher.catalog.repositories.assets import find_voucher_code
from openvoucher.kernel.errors import NotFound
from openvoucher.kernel.unit_of_work import UnitOfWork


def voucher_code(uow: UnitOfWork, voucher_id: str) -> str:
    """The code of the voucher behind an asset link, or 404."""
    with uow.read("") as tx:
        code = find_voucher_code(tx.conn, voucher_id)
    if code is None:
        raise NotFound("voucher", voucher_id)
    return code
