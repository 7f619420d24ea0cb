"""What redeeming a promotion tier, and rolling it back, does besides what every redemption
does: the tier's counters (``summary``), the redemption row's tier columns and snapshot, and
the ``redemption.*`` event data with ``promotion_tier`` instead of a voucher."""

from __future__ import annotations

from typing import Any

from openvoucher.catalog import tx_cache
from openvoucher.checkout import redemption_effects as effects
from openvoucher.checkout.domain.redeemables import Outcome
from openvoucher.checkout.presenters.promotions import promotion_tier, simple_promotion_tier
from openvoucher.checkout.presenters.redemptions import event_redemption
from openvoucher.checkout.repositories.promotions import PromotionTierRepository
from openvoucher.checkout.repositories.redemptions import RedemptionRepository
from openvoucher.customers.presenters.customers import customer_ref
from openvoucher.kernel.unit_of_work import Tx

Tier = tuple[dict[str, Any], str | None]
"""A tier rendered, and its campaign's name."""


def _tier(tx: Tx, tier_id: str) -> Tier:
    """The tier as it is now (the evaluation read it in this transaction)."""
    row = PromotionTierRepository(tx.conn, tx.project_id).get(tier_id)
    assert row is not None
    return promotion_tier(row), row["campaign_name"]


def _tier_of(tx: Tx, child: dict[str, Any]) -> Tier:
    """The tier of a redemption: as it is now, or as the redemption saw it when the tier has
    been deleted since."""
    row = PromotionTierRepository(tx.conn, tx.project_id).get(child["promotion_tier_id"])
    if row is None:
        return child["attrs"]["promotion_tier"], child["campaign_name"]
    return promotion_tier(row), row["campaign_name"]


def mark(row: dict[str, Any], found: Tier) -> dict[str, Any]:
    """Make ``row`` (a redemption or rollback) one of the tier: its columns and snapshot;
    the rendered tier."""
    tier, campaign_name = found
    row.update(
        promotion_tier_id=tier["id"],
        campaign_id=tier["campaign_id"],
        campaign_name=campaign_name,
        related_object_type="promotion_tier",
        related_object_id=tier["id"],
    )
    row["attrs"]["promotion_tier"] = tier
    return tier


def event_data(
    tx: Tx,
    tier: dict[str, Any],
    customer: dict[str, Any] | None,
    order: dict[str, Any] | None,
    **redemptions: dict[str, Any],
) -> dict[str, Any]:
    """The data of a ``redemption.*`` event of a tier (no voucher, no holder)."""
    data: dict[str, Any] = {
        "voucher": None,
        "campaign": tx_cache.campaign_view(tx, tier["campaign_id"]),
        "promotion_tier": simple_promotion_tier(tier),
        "customer": customer_ref(customer),
        "order": order,
        "holder": None,
    }
    for name, row in redemptions.items():
        data[name] = event_redemption(row)
    return data


def redeemed(
    tx: Tx,
    outcome: Outcome,
    row: dict[str, Any],
    order_body: dict[str, Any],
    customer: dict[str, Any] | None,
) -> dict[str, Any]:
    """Count the tier's use and store ``row`` (a successful redemption without its tier
    columns); emits ``redemption.succeeded``."""
    assert outcome.facts is not None
    assert outcome.order is not None
    items = sum(outcome.order.item_applied)
    discount = items if items else outcome.discount
    amount = int(order_body.get("amount") or 0)
    PromotionTierRepository(tx.conn, tx.project_id).count_redemption(
        outcome.facts.id, 1, amount, discount
    )
    tier = mark(row, _tier(tx, outcome.facts.id))
    row["attrs"].update(discount=0 if items else discount, credits=0, counted=[amount, discount])
    RedemptionRepository(tx.conn, tx.project_id).insert([row])
    data = event_data(tx, tier, customer, order_body, redemption=row)
    effects.emit(tx, "redemption.succeeded", data, customer)
    return row


def failed(tx: Tx, outcome: Outcome, row: dict[str, Any], customer: dict[str, Any] | None) -> None:
    """Store ``row`` (a failed redemption) as the tier's; emits ``redemption.failed``."""
    assert outcome.facts is not None
    tier = mark(row, _tier(tx, outcome.facts.id))
    RedemptionRepository(tx.conn, tx.project_id).insert([row])
    effects.emit(
        tx, "redemption.failed", event_data(tx, tier, customer, None, redemption=row), customer
    )


def uncounted(tx: Tx, child: dict[str, Any], row: dict[str, Any]) -> dict[str, Any]:
    """Give back what ``child`` (a tier's redemption) counted (nothing when the tier is gone),
    make ``row`` (its rollback) the tier's; the tier, rendered."""
    amount, discount = child["attrs"].get("counted") or [0, 0]
    repo = PromotionTierRepository(tx.conn, tx.project_id)
    repo.count_redemption(child["promotion_tier_id"], -1, -int(amount), -int(discount))
    return mark(row, _tier_of(tx, child))


def failed_rollback(tx: Tx, child: dict[str, Any], row: dict[str, Any]) -> dict[str, Any]:
    """Make ``row`` (a failed rollback) the tier's; the tier, rendered."""
    return mark(row, _tier_of(tx, child))
