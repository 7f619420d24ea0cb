"""Rewards, reward assignments and reward redemption results in Voucherify's shape."""

from __future__ import annotations

from typing import Any

from openvoucher.catalog.model import Product, Sku
from openvoucher.kernel.clock import iso
from openvoucher.loyalty.model import Reward, RewardAssignment


def reward(row: Reward) -> dict[str, Any]:
    """A ``reward`` object."""
    return {
        "id": row.id,
        "name": row.name,
        "stock": row.stock,
        "redeemed": row.redeemed,
        "attributes": row.attributes or {},
        "metadata": row.metadata,
        "type": row.type,
        "parameters": row.parameters,
        "created_at": iso(row.created_at),
        "updated_at": iso(row.updated_at),
        "object": "reward",
    }


def assignment(row: RewardAssignment) -> dict[str, Any]:
    """A ``reward_assignment`` object (a reward offered by a programme for its points cost)."""
    body: dict[str, Any] = {
        "id": row.id,
        "reward_id": row.reward_id,
        "created_at": iso(row.created_at),
        "updated_at": iso(row.updated_at),
        "object": "reward_assignment",
        "related_object_id": row.campaign_id,
        "related_object_type": "campaign",
    }
    if row.points is not None:
        body["parameters"] = {"loyalty": {"points": row.points, "auto_redeem": row.auto_redeem}}
    else:
        body["parameters"] = None
    return body


def loyalty_reward(reward_row: Reward, assignment_row: RewardAssignment) -> dict[str, Any]:
    """An item of ``GET /v1/loyalties/members/{id}/rewards``."""
    return {
        "reward": reward(reward_row),
        "assignment": assignment(assignment_row),
        "object": "loyalty_reward",
    }


def reward_result(
    reward_row: Reward,
    assignment_row: RewardAssignment,
    customer: dict[str, Any] | None,
    delivered: dict[str, Any],
) -> dict[str, Any]:
    """The ``reward`` of a reward redemption (``RedemptionRewardResult``): the reward, who got
    it, and what was delivered (``voucher``, ``product``, ``sku``)."""
    body: dict[str, Any] = {
        "customer": customer,
        "assignment_id": assignment_row.id,
        "voucher": delivered.get("voucher"),
        "product": delivered.get("product"),
        "sku": delivered.get("sku"),
        "loyalty_tier_id": None,
        "id": reward_row.id,
        "name": reward_row.name,
        "object": "reward",
        "created_at": iso(reward_row.created_at),
        "updated_at": iso(reward_row.updated_at),
        "parameters": reward_row.parameters,
        "metadata": reward_row.metadata,
        "type": reward_row.type,
    }
    return body


def simple_product(row: Product | None) -> dict[str, Any] | None:
    """A material reward's product, short (``SimpleProduct``)."""
    if row is None:
        return None
    return {"id": row.id, "source_id": row.source_id, "name": row.name}


def simple_sku(row: Sku | None) -> dict[str, Any] | None:
    """A material reward's SKU, short (``SimpleSku``)."""
    if row is None:
        return None
    return {"id": row.id, "source_id": row.source_id, "sku": row.sku}


SIMPLE_REDEMPTION_FIELDS = (
    "id",
    "customer_id",
    "tracking_id",
    "date",
    "amount",
    "reward",
    "customer",
    "result",
    "status",
    "redemption",
    "metadata",
    "failure_code",
    "failure_message",
    "reason",
    "channel",
    "object",
)


def simple_redemption(body: dict[str, Any]) -> dict[str, Any]:
    """A rendered redemption cut to ``SimpleRedemption`` (unset fields left out)."""
    found = {key: body.get(key) for key in SIMPLE_REDEMPTION_FIELDS}
    return {k: v for k, v in found.items() if v is not None or k == "customer_id"}
