"""Granting v2 benefits when an earning rule's ``BENEFIT`` effect fires, and a member's
benefit transactions (``…/members/{memberId}/benefits/transactions``).

Each grant is one append-only benefit transaction (``lbtx_…``, type ``FULFILLMENT``), written
in the transaction that paid the order. The benefit is locked first: a ``LIMITED`` stock is
decremented by each approved grant and never goes below zero (a grant finding none left is
``REJECTED``, ``out_of_stock``). ``POINTS`` / ``POINTS_PROPORTIONAL`` benefits add their points
to the member's card of their wallet through the ledger (pending when the wallet says so);
``MATERIAL`` benefits are recorded as granted (the product or SKU is handed over outside
openvoucher); ``DIGITAL`` benefits publish a code of their campaign to the member's customer
through the catalog's publication use case (its publication events in this transaction; a gift
voucher then gets the benefit's ``balance`` as a credits addition). A benefit that is not
ACTIVE, a wallet the member holds no card of, a proportional benefit worth no points, or a
campaign that cannot publish a code now (gone, disabled, no code left, expired) gives a
``REJECTED`` transaction, nothing else.
"""

from __future__ import annotations

from typing import Any

from openvoucher.catalog import publications, vouchers
from openvoucher.catalog.model import CampaignPick, Publish
from openvoucher.gift_cards import credits as gift_cards
from openvoucher.kernel import ledger
from openvoucher.kernel.filters import Filters
from openvoucher.kernel.ids import hex_id
from openvoucher.kernel.unit_of_work import Tx, UnitOfWork
from openvoucher.loyalty.domain import v2_benefits, v2_earning_rules
from openvoucher.loyalty.presenters import v2 as present
from openvoucher.loyalty.repositories.v2 import ObjectRepository
from openvoucher.loyalty.repositories.v2_earnings import BenefitTransactionRepository
from openvoucher.loyalty.v2 import credits
from openvoucher.loyalty.v2.components import decode_cursor, require, windowed
from openvoucher.loyalty.v2.credits import Firing
from openvoucher.loyalty.v2.members import require_member

CURSOR = "lcrsbtx_"
POINT_TYPES = ("POINTS", "POINTS_PROPORTIONAL")


def rejection(
    tx: Tx, benefit: dict[str, Any] | None, benefit_id: str, fire: Firing, lock: bool = True
) -> tuple[str, str] | None:
    """Why the benefit cannot be granted now (``reason``, ``details``), or None (a digital
    benefit's free code locked for the grant unless not ``lock``)."""
    if benefit is None or benefit["status"] != "ACTIVE":
        status = benefit["status"] if benefit is not None else "DELETED"
        return "benefit_not_active", f"Benefit {benefit_id} is {status}"
    attrs = benefit["attrs"]
    stock = attrs.get("stock") or {"type": "UNLIMITED"}
    if stock["type"] == "LIMITED" and int(stock["limited"]["quantity"]) <= 0:
        return "out_of_stock", f"Benefit {benefit_id} has no stock left"
    source = v2_benefits.campaign(attrs)
    if source is not None:
        return publications.refusal(tx, source[0], lock)
    if attrs["type"] in POINT_TYPES:
        wallet, points = v2_earning_rules.effect_points(attrs, fire.order)
        if wallet not in fire.cards:
            return "no_target_card", f"Member {fire.member['id']} holds no card of {wallet}"
        if points <= 0:
            return "no_points", f"Benefit {benefit_id} gives no points for this order"
    return None


def _take_stock(tx: Tx, benefit: dict[str, Any]) -> None:
    stock = benefit["attrs"].get("stock") or {"type": "UNLIMITED"}
    if stock["type"] != "LIMITED":
        return
    left = int(stock["limited"]["quantity"]) - 1
    attrs = {**benefit["attrs"], "stock": {"type": "LIMITED", "limited": {"quantity": left}}}
    ObjectRepository(tx.conn, tx.project_id).update(benefit["id"], {"attrs": attrs})


def _publish(tx: Tx, fire: Firing, digital: dict[str, Any]) -> dict[str, Any]:
    """Publish a code of the digital benefit's campaign to the member's customer (a gift
    voucher then gets the balance); what the result names."""
    config = digital[v2_benefits.DIGITAL_CONFIGS[digital["type"]]]
    spec = Publish(
        customer={"id": fire.member["customer_id"]}, campaign=CampaignPick(config["campaign_id"])
    )
    published = publications.publish_in(tx, spec, False)
    voucher = published["voucher"]
    row = vouchers.require(tx, voucher["id"])
    found: dict[str, Any] = {
        "digital": digital,
        "campaign_id": config["campaign_id"],
        "publication_id": published["id"],
        "voucher": {"id": voucher["id"], "code": voucher["code"]},
    }
    balance = int(config.get("balance") or 0)
    if digital["type"] == "GIFT_VOUCHERS" and balance > 0:
        moved = gift_cards.apply_credits(
            tx, row, ledger.CREDITS_ADDITION, balance, source="Automation"
        )
        found["balance"] = {"amount": balance, "voucher_transaction_id": moved["id"]}
    return found


def _fulfil(tx: Tx, fire: Firing, item: str, benefit: dict[str, Any]) -> dict[str, Any]:
    """Hand the benefit over; the transaction's ``result``."""
    attrs = benefit["attrs"]
    _take_stock(tx, benefit)
    result: dict[str, Any] = {"benefit": {"id": benefit["id"], "type": attrs["type"]}}
    if attrs["type"] == "DIGITAL":
        return {**result, **_publish(tx, fire, attrs["digital"]), "quantity": 1}
    if attrs["type"] not in POINT_TYPES:
        return {**result, "material": attrs.get("material"), "quantity": 1}
    wallet, points = v2_earning_rules.effect_points(attrs, fire.order)
    card = fire.cards[wallet]
    kind, reference = credits.accrue(tx, card, fire.rule, points, fire.order, fire.event)
    credits.record(tx, fire, item, (kind, wallet, points, reference))
    pending = kind == credits.PENDING_POINTS
    return {
        **result,
        "points": points,
        "card_id": card["id"],
        "card_transaction_id": None if pending else reference,
        "pending_points_id": reference if pending else None,
    }


def grant(tx: Tx, fire: Firing, item: str, benefit_id: str) -> dict[str, Any]:
    """Grant the benefit for the firing (or record why not); the benefit transaction row."""
    benefit = ObjectRepository(tx.conn, tx.project_id).of_kind("benefit", benefit_id, lock=True)
    refused = rejection(tx, benefit, benefit_id, fire)
    result = None
    if refused is None:
        assert benefit is not None
        result = _fulfil(tx, fire, item, benefit)
    row = {
        "id": hex_id("lbtx_"),
        "program_id": fire.member["program_id"],
        "member_id": fire.member["id"],
        "benefit_id": benefit_id,
        "earning_rule_id": fire.rule["id"],
        "status": "REJECTED" if refused else "APPROVED",
        "attrs": {
            "reason": f"Earning rule {fire.rule['id']} fired on order {fire.order['id']}",
            "rejection": {"reason": refused[0], "details": refused[1]} if refused else None,
            "metadata": {},
            "result": result,
        },
        "created_at": tx.now,
    }
    BenefitTransactionRepository(tx.conn, tx.project_id).insert(row)
    credits.record(tx, fire, item, (credits.BENEFIT, None, 0, row["id"]))
    return row


def transactions(
    uow: UnitOfWork,
    project_id: str,
    path: tuple[str, str],
    window: tuple[str | None, int, bool],
    filters: Filters | None,
) -> dict[str, Any]:
    """A page of the member's benefit transactions (``window``: cursor, limit, newest
    first), filtered by benefit and creation time."""
    cursor, limit, newest = window
    offset = decode_cursor(CURSOR, cursor)
    with uow.read(project_id) as tx:
        require(tx, "program", path[0])
        require_member(tx, *path)
        rows = BenefitTransactionRepository(tx.conn, tx.project_id).page(
            path[1], (offset, limit, newest), filters, tx.now
        )
    page, next_cursor = windowed(rows, CURSOR, offset, limit)
    return present.page([present.benefit_transaction(r) for r in page], next_cursor)
