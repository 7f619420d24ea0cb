"""The event names project webhooks may subscribe to and distributions may trigger on."""

from __future__ import annotations

import re

from openvoucher.kernel.events import canonical_event_name

PROJECT_EVENTS = frozenset(
    {
        "business_validation_rule.assignment.created",
        "business_validation_rule.assignment.deleted",
        "business_validation_rule.created",
        "business_validation_rule.deleted",
        "business_validation_rule.updated",
        "campaign.created",
        "campaign.deleted",
        "campaign.disabled",
        "campaign.enabled",
        "campaign.earning_rule.assigned",
        "campaign.earning_rule.deleted",
        "campaign.earning_rule.disabled",
        "campaign.earning_rule.enabled",
        "campaign.earning_rule.updated",
        "campaign.loyalty_tier.created",
        "campaign.loyalty_tier.deleted",
        "campaign.loyalty_tier.updated",
        "campaign.promotion_stack.created",
        "campaign.promotion_stack.updated",
        "campaign.promotion_tier.created",
        "campaign.promotion_tier.deleted",
        "campaign.promotion_tier.disabled",
        "campaign.promotion_tier.enabled",
        "campaign.promotion_tier.updated",
        "campaign.referral_tier.created",
        "campaign.referral_tier.deleted",
        "campaign.referral_tier.updated",
        "campaign.reward.assignment.created",
        "campaign.reward.assignment.deleted",
        "campaign.reward.assignment.updated",
        "campaign.updated",
        "campaign.vouchers.added",
        "campaign.vouchers.generation.completed",
        "campaign.vouchers.generation.failed",
        "campaign.vouchers.generation.started",
        "customer.confirmed",
        "customer.created",
        "customer.updated",
        "customer.deleted",
        "customer.rewarded",
        "customer.rewarded.loyalty_points",
        "publication.succeeded",
        "redemption.failed",
        "redemption.rollback.failed",
        "redemption.rollback.succeeded",
        "redemption.succeeded",
        "voucher.created",
        "voucher.deleted",
        "voucher.disabled",
        "voucher.enabled",
        "voucher.gift.balance_added",
        "voucher.gift.transaction.created",
        "voucher.loyalty_card.pending_points.activated",
        "voucher.loyalty_card.pending_points.added",
        "voucher.loyalty_card.pending_points.canceled",
        "voucher.loyalty_card.pending_points.updated",
        "voucher.loyalty_card.points_added",
        "voucher.loyalty_card.points_expired",
        "voucher.loyalty_card.transaction.created",
        "voucher.published",
        "voucher.updated",
    }
)
"""The spec's list (correctly spelled) plus ``customer.updated``, which openvoucher also sends."""

_TRIGGER = re.compile(r"^customer(\.[a-z_]+)+$")


def project_event(name: str) -> str | None:
    """The correct spelling of a subscribable event name, or None when it is unknown."""
    canonical = canonical_event_name(name)
    return canonical if canonical in PROJECT_EVENTS else None


def distribution_trigger(name: str) -> str | None:
    """The correct spelling of a ``customer.*`` trigger, or None when it is not one."""
    canonical = canonical_event_name(name)
    return canonical if _TRIGGER.match(canonical) else None
