"""Paying an order with a v2 card's points (``…/members/{id}/orders/payments``).

The card's v1 loyalty card is locked first (``lock_card``: ``FOR UPDATE``, or the SQLite write
lock), so concurrent payments on one card run one after the other and each sees the balance
(and the spends) the previous one left: a card is never overdrawn, and its wallet's spending
limits cap the points one payment takes (400 ``spending_limit_exceeded`` when they leave
none). The points leave the card as a ``POINTS_REDEMPTION`` of the ledger (soonest-expiring
buckets first) and the payment is kept as the member's order transaction. ``DRY_RUN`` computes
the same and writes nothing.
"""

from __future__ import annotations

from typing import Any

from openvoucher.checkout import orders
from openvoucher.kernel.clock import iso
from openvoucher.kernel.errors import NotFound, VoucherifyError
from openvoucher.kernel.ids import hex_id
from openvoucher.kernel.unit_of_work import Tx, UnitOfWork
from openvoucher.loyalty import loyalty_cards
from openvoucher.loyalty.domain import loyalty as points_math
from openvoucher.loyalty.domain import v2_card_limits as rules
from openvoucher.loyalty.domain import v2_payments
from openvoucher.loyalty.domain.v2_card_definitions import exchange_ratio, invalid
from openvoucher.loyalty.presenters import v2 as present
from openvoucher.loyalty.repositories.v2 import ObjectRepository
from openvoucher.loyalty.repositories.v2_members import CardRepository, TransactionRepository
from openvoucher.loyalty.v2 import card_limits, members
from openvoucher.loyalty.v2.components import conflict, require
from openvoucher.loyalty.v2.members import require_member

REASON = "Points spent on order payment"
CURSOR = "lcrsotx_"


def _order_ident(fields: dict[str, Any]) -> str:
    named = fields.get("order") or {}
    ident = named.get("id") or named.get("source_id")
    if not ident:
        raise invalid("order needs an id or a source_id")
    return str(ident)


def _card(tx: Tx, member: dict[str, Any], card_id: str) -> dict[str, Any]:
    card = CardRepository(tx.conn, tx.project_id).get(card_id)
    if card is None or card["member_id"] != member["id"]:
        raise NotFound("card", card_id)
    return card


def _ratio(tx: Tx, card: dict[str, Any]) -> Any:
    wallet = ObjectRepository(tx.conn, tx.project_id).of_kind(
        "card_definition", card["card_definition_id"]
    )
    assert wallet is not None
    setting = wallet["attrs"]["pay_with_points"]
    if setting["type"] != "EXCHANGE_RATIO":
        raise VoucherifyError(
            "Payments with points are disabled",
            f"Card definition {wallet['id']} does not allow paying with points",
            key="pay_with_points_disabled",
        )
    return exchange_ratio(setting["exchange_ratio"]["formula"])


def _body(card: dict[str, Any], order_id: str, details: dict[str, Any]) -> dict[str, Any]:
    return {
        "program_id": card["program_id"],
        "member_id": card["member_id"],
        "card_id": card["id"],
        "card_definition_id": card["card_definition_id"],
        "card_transaction_id": None,
        "order_id": order_id,
        "status": "SIMULATED",
        "type": "PAY_WITH_POINTS",
        "details": details,
        "updated_at": None,
        "object": "order_transaction",
    }


def _prepare(tx: Tx, program_id: str, member_id: str, fields: dict[str, Any]) -> dict[str, Any]:
    """Check the request; lock the card; the card, order and the payment's details."""
    limit = v2_payments.limit_of(fields.get("payment_limit"))
    ident = _order_ident(fields)
    require(tx, "program", program_id)
    member = require_member(tx, program_id, member_id)
    if member["status"] != "ACTIVE":
        raise conflict(f"Member {member_id} is {member['status']}")
    card = _card(tx, member, str(fields.get("card_id") or ""))
    ratio = _ratio(tx, card)
    order = orders.require(tx, ident)
    if order["customer_id"] != member["customer_id"]:
        raise invalid(f"Order {ident} is not an order of the member's customer")
    voucher = loyalty_cards.lock_card(tx, card["voucher_id"])
    rendered = orders.rendered(order)
    due = int(rendered.get("total_amount") or rendered.get("amount") or 0)
    due -= TransactionRepository(tx.conn, tx.project_id).paid_for(order["id"])
    payment = v2_payments.plan(int(voucher["loyalty_balance"] or 0), due, ratio, limit)
    allowed = card_limits.spendable(tx, card)
    if allowed is not None and payment.points > allowed:
        if allowed <= 0:
            raise rules.refused(card["id"], payment.points, allowed)
        payment = v2_payments.plan(allowed, due, ratio, limit)
    if payment.points <= 0:
        raise VoucherifyError(
            "Not enough points",
            f"Card {card['id']} cannot pay any of order {order['id']} ({due} due)",
            key="not_enough_points",
        )
    details = {
        "reason": REASON,
        "rejection": None,
        "metadata": {limit[0].lower(): limit[1]} if limit[1] is not None else {},
        "payment": {
            "amount": payment.amount,
            "points_spent": payment.points,
            "exchange_ratio": float(ratio),
        },
    }
    return {"card": card, "voucher": voucher, "order": rendered, "details": details}


def pay(
    uow: UnitOfWork, project_id: str, program_id: str, member_id: str, fields: dict[str, Any]
) -> tuple[dict[str, Any], int]:
    """Pay the order with the card's points: ``(body, 200)`` for a dry run, ``(body, 202)``
    for a transaction; 400 ``not_enough_points`` when no point can pay anything."""
    with uow.write(project_id) as tx:
        found = _prepare(tx, program_id, member_id, fields)
        card, order, details = found["card"], found["order"], found["details"]
        if fields.get("mode") == "DRY_RUN":
            body = _body(card, order["id"], details)
            return {"transaction": body, "status": "DRY_RUN", "message": "Dry run mode"}, 200
        points = details["payment"]["points_spent"]
        stored = loyalty_cards.apply_points(
            tx,
            found["voucher"],
            points_math.POINTS_REDEMPTION,
            points,
            reason=REASON,
            order=order,
            locked=True,
        )
        row = {
            "id": hex_id("lotx_"),
            "kind": "order_payment",
            "member_id": member_id,
            "card_id": card["id"],
            "order_id": order["id"],
            "points": points,
            "attrs": {
                **details,
                "card_transaction_id": stored["id"],
                "card": _ids(card),
                "buckets": [[str(b), int(p)] for b, p in stored["buckets_taken"]],
            },
            "created_at": tx.now,
        }
        TransactionRepository(tx.conn, tx.project_id).insert(row)
        message = "Pay with points transaction created"
        return {
            "transaction": _rendered(row),
            "status": "TRANSACTION_CREATED",
            "message": message,
        }, 202


def _ids(card: dict[str, Any]) -> dict[str, Any]:
    return {k: card[k] for k in ("id", "program_id", "member_id", "card_definition_id")}


def _rendered(row: dict[str, Any]) -> dict[str, Any]:
    attrs = row["attrs"]
    details = {k: attrs[k] for k in ("reason", "rejection", "metadata", "payment")}
    body = _body(attrs["card"], row["order_id"], details)
    return {
        "id": row["id"],
        **body,
        "card_transaction_id": attrs["card_transaction_id"],
        "status": "APPROVED",
        "created_at": iso(row["created_at"]),
    }


def payments(
    uow: UnitOfWork,
    project_id: str,
    program_id: str,
    member_id: str,
    cursor: str | None,
    limit: int,
) -> dict[str, Any]:
    """A page of the member's order payments, newest first."""
    page, next_cursor = members.transactions_page(
        uow,
        project_id,
        program_id,
        member_id,
        kind="order_payment",
        prefix=CURSOR,
        cursor=cursor,
        limit=limit,
    )
    return present.page([_rendered(r) for r in page], next_cursor)
