"""Digital rewards that are codes: a purchase of a ``DISCOUNT_COUPONS`` / ``GIFT_VOUCHERS``
reward publishes one code of its campaign to the member's customer through the catalog's
publication use case (the publication events in the purchase's transaction) and loads a gift
voucher with the reward's ``balance``; a refund takes that balance back (as far as it is still
there) and leaves a coupon with its holder.
"""

from __future__ import annotations

from typing import Any

from openvoucher.catalog import publications, vouchers
from openvoucher.catalog.model import CampaignPick, Publish
from openvoucher.gift_cards import credits as gift_cards
from openvoucher.kernel import ledger
from openvoucher.kernel.errors import VoucherifyError
from openvoucher.kernel.unit_of_work import Tx
from openvoucher.loyalty.domain import v2_benefits

ENTRIES = {"DISCOUNT_COUPONS": "discount_coupons", "GIFT_VOUCHERS": "gift_vouchers"}


def check(tx: Tx, reward: dict[str, Any], dry_run: bool) -> None:
    """400 ``reward_not_available`` when the reward's campaign cannot publish a code now."""
    source = v2_benefits.campaign(reward["attrs"])
    if source is None:
        return
    refused = publications.refusal(tx, source[0], not dry_run)
    if refused is not None:
        raise VoucherifyError("Reward cannot be purchased", refused[1], key="reward_not_available")


def give(tx: Tx, reward: dict[str, Any], customer_id: str) -> dict[str, Any] | None:
    """Publish the reward's code to the customer (a gift voucher loaded); what was given
    (``voucher_id``, ``code``, ``amount``), or None for another reward."""
    digital = reward["attrs"].get("digital") or {}
    if digital.get("type") not in ENTRIES:
        return None
    config = digital[ENTRIES[digital["type"]]]
    spec = Publish(customer={"id": customer_id}, campaign=CampaignPick(config["campaign_id"]))
    published = publications.publish_in(tx, spec, False)
    row = vouchers.require(tx, published["voucher"]["id"])
    given = {"voucher_id": row["id"], "code": row["code"], "amount": 0, "balance": None}
    amount = int(config.get("balance") or 0)
    if digital["type"] == "GIFT_VOUCHERS":
        if amount > 0:
            gift_cards.apply_credits(tx, row, ledger.CREDITS_ADDITION, amount, source="Automation")
        after = vouchers.require(tx, row["id"])
        given = {**given, "amount": amount, "balance": _balance(after)}
    return given


def _balance(row: dict[str, Any]) -> int:
    return int(row.get("gift_balance") or 0)


def entries(digital: dict[str, Any], given: dict[str, Any] | None) -> dict[str, Any]:
    """The purchase result's ``digital`` for a code reward: the config and the code given
    (none yet in a dry run)."""
    name = ENTRIES[digital["type"]]
    found: list[dict[str, Any]] = []
    if given is not None:
        entry: dict[str, Any] = {"id": given["voucher_id"], "code": given["code"]}
        if name == "gift_vouchers":
            entry = {**entry, "amount": given["amount"], "balance": given["balance"]}
        found.append(entry)
    return {"type": digital["type"], name: found}


def take_back(tx: Tx, given: dict[str, Any]) -> None:
    """Refund: subtract a gift voucher's loaded amount (what is left of it, when some was
    spent); a coupon stays with its holder."""
    amount = int(given.get("amount") or 0)
    if amount <= 0:
        return
    row = vouchers.require(tx, given["voucher_id"])
    left = min(amount, _balance(row))
    if left > 0:
        gift_cards.apply_credits(tx, row, ledger.CREDITS_REMOVAL, left, source="Automation")
