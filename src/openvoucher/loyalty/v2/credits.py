"""What one firing of a v2 earning rule gives a member, written down as it is given.

A credit goes into the shared ledger (``loyalty_cards.apply_points``, or a v1 pending-points
entry when the card's wallet holds points for a period), and an append-only
``loyalty_v2_earnings`` row names the rule, the earning item, the firing and the ledger row
(``vtx_…`` or ``lopp_…``): the v1 ledger row itself cannot name a v2 rule (its events render
v1 ``SimpleEarningRule``\\ s). The earning reports read only these rows.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field
from typing import Any

from openvoucher.kernel.unit_of_work import Tx
from openvoucher.loyalty import loyalty_cards, pending_points
from openvoucher.loyalty.domain import loyalty as points_math
from openvoucher.loyalty.domain.v2_card_definitions import v1_pending
from openvoucher.loyalty.repositories.v2 import ObjectRepository
from openvoucher.loyalty.repositories.v2_earnings import record_earning

POINTS = "POINTS"
PENDING_POINTS = "PENDING_POINTS"
BENEFIT = "BENEFIT"


@dataclass(frozen=True)
class Firing:
    """One rule firing for one member: its cards by wallet, the paid order (rendered), the
    customer event behind it (whose id names the firing), the member's tiers (tier
    structure, tier) as they were before it (an earning's ``tier_rules`` need one) and the
    wallets (card definition rows by id) already read for the firing."""

    member: dict[str, Any]
    rule: dict[str, Any]
    cards: dict[str, dict[str, Any]]
    order: dict[str, Any]
    event: dict[str, Any]
    tiers: Collection[tuple[str, str]] = ()
    wallets: dict[str, dict[str, Any]] = field(default_factory=dict)


def record(tx: Tx, fire: Firing, item: str | None, given: tuple[str, str | None, int, str]) -> None:
    """Append what the firing gave: ``(kind, card definition, points, reference id)``."""
    kind, wallet, points, reference = given
    record_earning(
        tx.conn,
        tx.project_id,
        {
            "program_id": fire.member["program_id"],
            "member_id": fire.member["id"],
            "earning_rule_id": fire.rule["id"],
            "earning_item_id": item,
            "fire_id": fire.event["id"],
            "kind": kind,
            "card_definition_id": wallet,
            "points": points,
            "reference_id": reference,
            "created_at": tx.now,
        },
    )


def accrue(
    tx: Tx,
    card: dict[str, Any],
    rule: dict[str, Any],
    points: int,
    order: dict[str, Any],
    event: dict[str, Any],
    wallet: dict[str, Any] | None = None,
) -> tuple[str, str]:
    """Give ``points`` to the card: pending when its wallet (the card definition row, read
    here unless given) says so, else at once (the v1 events of the card carry no earning
    rule: theirs is a v1 ``SimpleEarningRule``); ``(POINTS or PENDING_POINTS, id of the
    ledger transaction or pending entry)``."""
    if wallet is None:
        wallet = ObjectRepository(tx.conn, tx.project_id).of_kind(
            "card_definition", card["card_definition_id"]
        )
    assert wallet is not None
    voucher = loyalty_cards.lock_card(tx, card["voucher_id"])
    setting = v1_pending(wallet["attrs"])
    if setting is not None:
        # the entry names the v2 rule the way v1 entries name theirs: id and banner
        held = {"id": rule["id"], "attrs": {"banner": rule["name"], "pending_points": setting}}
        entry = pending_points.add(tx, voucher, held, points, order=order, event=event)
        return PENDING_POINTS, str(entry["id"])
    stored = loyalty_cards.apply_points(
        tx,
        voucher,
        points_math.POINTS_ACCRUAL,
        points,
        order=order,
        event=event,
        locked=True,
    )
    return POINTS, str(stored["id"])


def credit(tx: Tx, fire: Firing, wallet: str, items: list[tuple[str, int]]) -> tuple[str, str]:
    """Give the member's card of ``wallet`` the points of ``items`` (earning item, points) in
    one credit, recorded per item; ``(kind, reference id)`` of the credit."""
    total = sum(points for _item, points in items)
    card = fire.cards[wallet]
    known = fire.wallets.get(card["card_definition_id"])
    kind, reference = accrue(tx, card, fire.rule, total, fire.order, fire.event, known)
    for item, points in items:
        record(tx, fire, item, (kind, wallet, points, reference))
    return kind, reference
