"""``POST /v1/vouchers/{code}/balance``: manual gift-credit (and loyalty-point) adjustments."""

from __future__ import annotations

from typing import Any

from openvoucher.api.routing import ApiRequest, Routes
from openvoucher.api.schemas.balances import BalanceUpdate
from openvoucher.gift_cards import credits as gift_cards
from openvoucher.gift_cards.model import BalanceChange
from openvoucher.kernel.idempotency import IdempotencyKey

routes = Routes()


@routes.post("/v1/vouchers/{code}/balance")
def update_balance(request: ApiRequest) -> dict[str, Any]:
    """Add (positive ``amount``) or remove (negative) credits; ``Idempotency-Key`` honoured."""
    body = request.json(BalanceUpdate)
    change = BalanceChange(body.amount, body.source_id, body.reason)
    code = request.path["code"]
    key = IdempotencyKey.of(
        request.headers.get("idempotency-key"), f"POST /v1/vouchers/{code}/balance", request.raw
    )
    return gift_cards.update_balance(request.uow, request.project_id, code, change, key)
