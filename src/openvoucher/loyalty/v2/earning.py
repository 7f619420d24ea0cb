"""v2 earning rules at run time: a paid order earns points on its customer's v2 cards.

Called from the same ``OrderPaid`` reaction as the v1 rules (``bootstrap.reaction_table``),
inside the transaction that paid the order. For each active membership of the customer in an
active programme, each active ``customer.order.paid`` rule of the programme (within its dates)
adds its points to the member's card of each wallet it names: as pending points when the wallet
holds points for a period (the v1 pending-points entries, activated by the same job), else at
once (``POINTS_ACCRUAL``, into a bucket expiring as the wallet says).
"""

from __future__ import annotations

from typing import Any

from openvoucher.checkout import orders
from openvoucher.checkout.events import OrderPaid
from openvoucher.kernel.clock import parse_datetime
from openvoucher.kernel.unit_of_work import Tx
from openvoucher.loyalty import loyalty_cards, pending_points
from openvoucher.loyalty.domain import loyalty as points_math
from openvoucher.loyalty.domain import v2_earning_rules, v2_tier_rules
from openvoucher.loyalty.domain.v2_card_definitions import v1_pending
from openvoucher.loyalty.earning_rules import customer_event
from openvoucher.loyalty.repositories.v2 import ObjectRepository
from openvoucher.loyalty.repositories.v2_members import CardRepository, MemberRepository
from openvoucher.loyalty.v2 import member_tiers


def _live(tx: Tx, kind: str, ident: str) -> dict[str, Any] | None:
    row = ObjectRepository(tx.conn, tx.project_id).of_kind(kind, ident)
    return row if row is not None and row["status"] == "ACTIVE" else None


def rules_of(tx: Tx, program_id: str) -> list[dict[str, Any]]:
    """The programme's active order-paid rules valid now."""
    return [
        rule
        for rule in ObjectRepository(tx.conn, tx.project_id).assigned(program_id, "earning_rule")
        if rule["attrs"]["trigger"]["event"] == v2_earning_rules.ORDER_PAID
        and v2_earning_rules.in_window(rule["attrs"], tx.now, parse_datetime)
    ]


def earnings(
    tx: Tx, memberships: list[dict[str, Any]], order: dict[str, Any]
) -> list[tuple[dict[str, Any], dict[str, Any], int]]:
    """``(v2 card, rule, points)`` the paid ``order`` (rendered) earns the customer's
    ``memberships``."""
    found = []
    for member in memberships:
        if member["status"] != "ACTIVE" or _live(tx, "program", member["program_id"]) is None:
            continue
        cards = {
            c["card_definition_id"]: c
            for c in CardRepository(tx.conn, tx.project_id).of_member(member["id"])
        }
        rules = rules_of(tx, member["program_id"])
        limited = any(v2_tier_rules.tier_refs(rule["attrs"]) for rule in rules)
        tiers = member_tiers.held_tiers(tx, member["id"]) if limited else set()
        for rule in rules:
            for wallet_id, points in v2_earning_rules.earned(rule["attrs"], order, tiers).items():
                if wallet_id in cards:
                    found.append((cards[wallet_id], rule, points))
    return found


def on_order_paid(tx: Tx, paid: OrderPaid) -> None:
    """``OrderPaid``: the v2 rules of the customer's programmes."""
    if paid.customer is None:
        return
    customer_id = paid.customer["id"]
    memberships = MemberRepository(tx.conn, tx.project_id).of_customer(customer_id)
    if not memberships:
        return
    rendered = orders.rendered(paid.order)
    found = earnings(tx, memberships, rendered)
    if not found:
        return
    event = customer_event(tx, "customer.order.paid", customer_id)
    for card, rule, points in found:
        accrue(tx, card, rule, points, rendered, event)


def accrue(
    tx: Tx,
    card: dict[str, Any],
    rule: dict[str, Any],
    points: int,
    order: dict[str, Any],
    event: dict[str, Any],
) -> None:
    """Give ``points`` to the card: pending when its wallet says so, else at once (the v1
    events of the card carry no earning rule: theirs is a v1 ``SimpleEarningRule``)."""
    wallet = ObjectRepository(tx.conn, tx.project_id).of_kind(
        "card_definition", card["card_definition_id"]
    )
    assert wallet is not None
    voucher = loyalty_cards.lock_card(tx, card["voucher_id"])
    setting = v1_pending(wallet["attrs"])
    if setting is not None:
        # the entry names the v2 rule the way v1 entries name theirs: id and banner
        held = {"id": rule["id"], "attrs": {"banner": rule["name"], "pending_points": setting}}
        pending_points.add(tx, voucher, held, points, order=order, event=event)
        return
    loyalty_cards.apply_points(
        tx,
        voucher,
        points_math.POINTS_ACCRUAL,
        points,
        order=order,
        event=event,
        locked=True,
    )
