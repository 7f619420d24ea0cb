"""Giving back the points paid on an order when the order is canceled (``OrderCanceled``).

A card definition whose ``refunds.spent_points`` is ``REFUNDABLE`` (``RETURN_POINTS``,
``REFUND_ALL``) returns every order payment made with its cards' points, inside the
transaction that canceled the order: the card is locked, the points go back through the
ledger as a ``POINTS_REFUND`` into the buckets the payment took them from (keeping their
expiry), and the payment is marked ``refunded_at`` with the ledger row, so a payment is given
back once only (an order canceled again, after being reopened, returns nothing more). A wallet
with ``NONE`` keeps the points spent, as before.
"""

from __future__ import annotations

from typing import Any

from openvoucher.checkout import orders
from openvoucher.checkout.events import OrderCanceled
from openvoucher.kernel.clock import iso
from openvoucher.kernel.unit_of_work import Tx
from openvoucher.loyalty import loyalty_cards
from openvoucher.loyalty.domain import loyalty as points_math
from openvoucher.loyalty.domain.v2_card_definitions import returns_spent_points
from openvoucher.loyalty.repositories.v2 import ObjectRepository
from openvoucher.loyalty.repositories.v2_members import CardRepository, TransactionRepository

REASON = "Points returned: order canceled"


def on_order_canceled(tx: Tx, canceled: OrderCanceled) -> None:
    """``OrderCanceled``: return the order's payments of refundable wallets."""
    repo = TransactionRepository(tx.conn, tx.project_id)
    payments = repo.payments_of_order(canceled.order["id"])
    open_payments = [p for p in payments if not p["attrs"].get("refunded_at")]
    if not open_payments:
        return
    rendered = orders.rendered(canceled.order)
    wallets: dict[str, bool] = {}
    for payment in open_payments:
        wallet_id = payment["attrs"]["card"]["card_definition_id"]
        if wallet_id not in wallets:
            wallets[wallet_id] = _refundable(tx, wallet_id)
        if wallets[wallet_id]:
            _give_back(tx, repo, payment, rendered)


def _refundable(tx: Tx, wallet_id: str) -> bool:
    wallet = ObjectRepository(tx.conn, tx.project_id).of_kind("card_definition", wallet_id)
    return wallet is not None and returns_spent_points(wallet["attrs"])


def _give_back(
    tx: Tx, repo: TransactionRepository, payment: dict[str, Any], order: dict[str, Any]
) -> None:
    """Put the payment's points back on its card and mark the payment refunded."""
    card = CardRepository(tx.conn, tx.project_id).get(payment["card_id"])
    if card is None:
        return
    voucher = loyalty_cards.lock_card(tx, card["voucher_id"])
    attrs = payment["attrs"]
    stored = loyalty_cards.apply_points(
        tx,
        voucher,
        points_math.POINTS_REFUND,
        int(payment["points"]),
        reason=REASON,
        order=order,
        related_transaction_id=attrs.get("card_transaction_id"),
        refill=[(str(b), int(p)) for b, p in attrs.get("buckets") or []],
        locked=True,
    )
    marked = {**attrs, "refunded_at": iso(tx.now), "refund_transaction_id": stored["id"]}
    repo.update(payment["id"], {"attrs": marked})
