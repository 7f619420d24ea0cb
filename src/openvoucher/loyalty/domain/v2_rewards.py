"""Loyalty v2 rewards: their settings, checked and defaulted.

Pure. What purchases implement: MATERIAL rewards (a product or SKU, handed over outside the
system: the purchase is the record), DIGITAL ``LOYALTY_CARD_POINTS`` rewards (points added
to the member's card of a wallet) and DIGITAL ``DISCOUNT_COUPONS`` / ``GIFT_VOUCHERS`` rewards
(a code of the campaign published to the member's customer, a gift voucher with a balance);
each cost is one spending of points from one wallet (no rules); ``refunds`` says whether a
purchase can be refunded; a ``start_date``/``end_date`` window. Other options are refused
with 400 ``not_supported``.
"""

from __future__ import annotations

from typing import Any

from openvoucher.kernel.ids import hex_id
from openvoucher.loyalty.domain import v2_benefits
from openvoucher.loyalty.domain.v2_card_definitions import invalid, not_supported


def _material(raw: Any) -> dict[str, Any]:
    if not isinstance(raw, dict) or raw.get("type") not in {"PRODUCT", "SKU"}:
        raise invalid("material.type must be PRODUCT or SKU")
    if raw["type"] == "PRODUCT":
        product = raw.get("product") or {}
        if not product.get("id"):
            raise invalid("material.product.id is required")
        return {"type": "PRODUCT", "product": {"id": product["id"]}}
    sku = raw.get("sku") or {}
    if not sku.get("id") or not sku.get("product_id"):
        raise invalid("material.sku needs id and product_id")
    return {"type": "SKU", "sku": {"id": sku["id"], "product_id": sku["product_id"]}}


DIGITAL_NAMES = ("discount_coupons", "gift_vouchers", "loyalty_card_points")


def _digital(raw: Any) -> dict[str, Any]:
    if not isinstance(raw, dict):
        raise invalid("digital must be an object")
    if raw.get("type") in v2_benefits.DIGITAL_CONFIGS:
        return v2_benefits.campaign_config(raw, DIGITAL_NAMES)
    if raw.get("type") != "LOYALTY_CARD_POINTS":
        raise invalid("digital.type must be DISCOUNT_COUPONS, GIFT_VOUCHERS or LOYALTY_CARD_POINTS")
    points = raw.get("loyalty_card_points") or {}
    value, wallet = points.get("points"), points.get("card_definition_id")
    if not isinstance(value, int) or isinstance(value, bool) or value < 1 or not wallet:
        raise invalid("digital.loyalty_card_points needs points (>= 1) and card_definition_id")
    return {
        "type": "LOYALTY_CARD_POINTS",
        "loyalty_card_points": {"points": value, "card_definition_id": wallet},
    }


def _cost(raw: Any, index: int) -> dict[str, Any]:
    where = f"costs[{index}]"
    if not isinstance(raw, dict):
        raise invalid(f"{where} must be an object")
    if raw.get("rules") is not None:
        raise not_supported(f"{where}.rules", "conditions on costs are not implemented")
    spending = raw.get("spending")
    if not isinstance(spending, list) or len(spending) != 1 or not isinstance(spending[0], dict):
        raise invalid(f"{where}.spending needs exactly one spending")
    (spend,) = spending
    points = spend.get("points")
    if not isinstance(points, int) or isinstance(points, bool) or points < 1:
        raise invalid(f"{where}.spending[0].points must be a whole number >= 1")
    if not spend.get("card_definition_id"):
        raise invalid(f"{where}.spending[0].card_definition_id is required")
    return {
        "id": raw.get("id") or hex_id("lrcst_"),
        "spending": [
            {
                "id": spend.get("id") or hex_id("lrspn_"),
                "name": spend.get("name"),
                "points": points,
                "card_definition_id": spend["card_definition_id"],
            }
        ],
    }


def _limits(raw: Any) -> dict[str, Any]:
    cooldown = ((raw or {}).get("cooldown") or {}).get("type") or "NO_COOLDOWN"
    frequency = ((raw or {}).get("frequency") or {}).get("type") or "NO_LIMIT"
    if cooldown != "NO_COOLDOWN" or frequency != "NO_LIMIT":
        raise not_supported("purchase_limits", "cooldowns and frequency limits")
    return {"cooldown": {"type": "NO_COOLDOWN"}, "frequency": {"type": "NO_LIMIT", "limits": []}}


def settings(fields: dict[str, Any], current: dict[str, Any] | None = None) -> dict[str, Any]:
    """The stored attrs after applying ``fields`` (absent ones keep ``current``)."""
    base = current or {}

    def pick(name: str) -> Any:
        return fields[name] if name in fields else base.get(name)

    hours = pick("validity_hours")
    if hours is not None and hours.get("type") != "ANY_TIME":
        raise not_supported("validity_hours.type", "only ANY_TIME")
    kind = pick("type")
    if kind not in {"MATERIAL", "DIGITAL"}:
        raise invalid("type must be MATERIAL or DIGITAL")
    costs = pick("costs")
    if not isinstance(costs, list) or not 1 <= len(costs) <= 10:
        raise invalid("costs needs 1 to 10 costs")
    refunds = (pick("refunds") or {}).get("type") or "NONE"
    if refunds not in {"NONE", "REFUNDABLE"}:
        raise invalid("refunds.type must be NONE or REFUNDABLE")
    body: dict[str, Any] = {
        "type": kind,
        "start_date": pick("start_date"),
        "end_date": pick("end_date"),
        "validity_hours": {"type": "ANY_TIME"},
        "refunds": {"type": refunds},
        "costs": [_cost(c, i) for i, c in enumerate(costs)],
        "purchase_limits": _limits(pick("purchase_limits")),
        "metadata": pick("metadata") or {},
    }
    if kind == "MATERIAL":
        body["material"] = _material(pick("material"))
    else:
        body["digital"] = _digital(pick("digital"))
    return body


def wallets(attrs: dict[str, Any]) -> set[str]:
    """The card definitions the reward's costs and points name."""
    found = {s["card_definition_id"] for c in attrs["costs"] for s in c["spending"]}
    target = points_target(attrs)
    if target is not None:
        found.add(target)
    return found


def points_target(attrs: dict[str, Any]) -> str | None:
    """The wallet a ``LOYALTY_CARD_POINTS`` reward adds its points to, else None."""
    grant = (attrs.get("digital") or {}).get("loyalty_card_points")
    return str(grant["card_definition_id"]) if grant else None
