"""v2 earning rules at run time: a paid order earns points on its customer's v2 cards.

Called from the same ``OrderPaid`` reaction as the v1 rules (``bootstrap.reaction_table``),
inside the transaction that paid the order. For each active membership of the customer in an
active programme, each active ``customer.order.paid`` rule of the programme (within its dates)
fires: its points effects add to the member's card of each wallet they name (one credit per
card: as pending points when the wallet holds points for a period — the v1 pending-points
entries, activated by the same job — else at once, ``POINTS_ACCRUAL``, into a bucket expiring
as the wallet says), and its ``BENEFIT`` effects grant their benefits
(``benefit_grants``). What each firing gave is recorded per earning item (``credits``).
"""

from __future__ import annotations

from typing import Any

from openvoucher.checkout import orders
from openvoucher.checkout.events import OrderPaid
from openvoucher.kernel.clock import parse_datetime
from openvoucher.kernel.unit_of_work import Tx
from openvoucher.loyalty.domain import v2_earning_rules, v2_tier_rules
from openvoucher.loyalty.earning_rules import customer_event
from openvoucher.loyalty.repositories.v2 import ObjectRepository
from openvoucher.loyalty.repositories.v2_members import CardRepository, MemberRepository
from openvoucher.loyalty.v2 import benefit_grants, credits, member_tiers
from openvoucher.loyalty.v2.credits import Firing

Found = tuple[
    dict[str, Any], dict[str, Any], dict[str, dict[str, Any]], frozenset[Any], dict[str, Any]
]
"""What :func:`firings` finds per firing."""


def rules_of(tx: Tx, program_id: str) -> list[dict[str, Any]]:
    """The programme's active order-paid rules valid now."""
    return [
        rule
        for rule in ObjectRepository(tx.conn, tx.project_id).assigned(program_id, "earning_rule")
        if rule["attrs"]["trigger"]["event"] == v2_earning_rules.ORDER_PAID
        and v2_earning_rules.in_window(rule["attrs"], tx.now, parse_datetime)
    ]


def _with_objects(
    tx: Tx, member: dict[str, Any]
) -> tuple[dict[str, dict[str, Any]], dict[str, dict[str, Any]]] | None:
    """The member's cards by wallet and its wallet rows by id, read with the programme in one
    statement; None when the programme is not active."""
    cards = {
        c["card_definition_id"]: c
        for c in CardRepository(tx.conn, tx.project_id).of_member(member["id"])
    }
    program_id = member["program_id"]
    rows = ObjectRepository(tx.conn, tx.project_id).by_ids([program_id, *cards])
    program = rows.get(program_id)
    if program is None or program["kind"] != "program" or program["status"] != "ACTIVE":
        return None
    wallets = {k: v for k, v in rows.items() if v["kind"] == "card_definition"}
    return cards, wallets


def firings(tx: Tx, memberships: list[dict[str, Any]], order: dict[str, Any]) -> list[Found]:
    """``(member, rule, member's cards by wallet, member's tiers, wallet rows by id)`` for
    each rule the paid ``order`` (rendered) fires for the customer's ``memberships``: it gives
    points to one of the member's cards, or grants a benefit (the tiers are read before
    anything is given, so a tier reached by this order does not change what it earns)."""
    found = []
    for member in memberships:
        if member["status"] != "ACTIVE":
            continue
        read = _with_objects(tx, member)
        if read is None:
            continue
        cards, wallets = read
        rules = rules_of(tx, member["program_id"])
        limited = any(v2_tier_rules.tier_refs(rule["attrs"]) for rule in rules)
        tiers = frozenset(member_tiers.held_tiers(tx, member["id"]) if limited else ())
        for rule in rules:
            items = v2_earning_rules.earned_items(rule["attrs"], order, tiers)
            if any(wallet in cards for _item, wallet, _points in items) or (
                v2_earning_rules.granted(rule["attrs"], tiers)
            ):
                found.append((member, rule, cards, tiers, wallets))
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
    found = firings(tx, memberships, rendered)
    if not found:
        return
    event = customer_event(tx, "customer.order.paid", customer_id)
    for member, rule, cards, tiers, wallets in found:
        fire(tx, Firing(member, rule, cards, rendered, event, tiers, wallets))


def fire(tx: Tx, firing: Firing) -> None:
    """Give what the rule's effects give: points per wallet in one credit each (recorded per
    earning item), then each benefit."""
    per_wallet: dict[str, list[tuple[str, int]]] = {}
    attrs = firing.rule["attrs"]
    for item, wallet, points in v2_earning_rules.earned_items(attrs, firing.order, firing.tiers):
        if wallet in firing.cards:
            per_wallet.setdefault(wallet, []).append((item, points))
    for wallet, items in per_wallet.items():
        credits.credit(tx, firing, wallet, items)
    for item, benefit_id in v2_earning_rules.granted(attrs, firing.tiers):
        benefit_grants.grant(tx, firing, item, benefit_id)
