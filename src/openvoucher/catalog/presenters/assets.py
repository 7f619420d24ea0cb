"""URLs of a voucher's QR code and barcode images, served by ``/v1/assets/...`` on this server."""

from __future__ import annotations

from typing import Any


def voucher_assets(base_url: str, voucher_id: str) -> dict[str, Any]:
    """The ``assets`` object of a voucher: real PNG URLs on this server.

    The voucher id is random and unguessable, so it doubles as the asset token, as
    Voucherify's public asset links do.
    """
    return {
        "qr": {"id": f"qr_{voucher_id}", "url": f"{base_url}/v1/assets/qr/{voucher_id}.png"},
        "barcode": {
            "id": f"barcode_{voucher_id}",
            "url": f"{base_url}/v1/assets/barcode/{voucher_id}.png",
        },
    }
