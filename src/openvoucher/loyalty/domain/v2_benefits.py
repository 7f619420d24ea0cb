"""Loyalty v2 benefits: their settings, checked and defaulted.

Pure. A benefit is a reusable definition: ``POINTS`` (a fixed value for a wallet),
``POINTS_PROPORTIONAL`` (points for every step of the order amount before or after
discounts, for a wallet) and ``MATERIAL`` (a product or SKU), with a stock (``UNLIMITED`` or
``LIMITED`` to a quantity, what is left of it) and ``DIGITAL`` (a code of a ``DISCOUNT_COUPONS``
campaign, or of a ``GIFT_VOUCHERS`` campaign with a ``balance`` in cents added to it). Earning
rules' ``BENEFIT`` effects grant them (``loyalty.v2.benefit_grants``). Proportional calculations
on items or metadata are refused with 400 ``not_supported``.
"""

from __future__ import annotations

from typing import Any

from openvoucher.loyalty.domain import v2_earning_rules
from openvoucher.loyalty.domain.v2_card_definitions import invalid, not_supported

TYPES = ("POINTS", "POINTS_PROPORTIONAL", "MATERIAL", "DIGITAL")
CONFIGS = {
    "POINTS": "points",
    "POINTS_PROPORTIONAL": "points_proportional",
    "MATERIAL": "material",
    "DIGITAL": "digital",
}
ACTIVE_CHANGES = frozenset({"name", "stock"})
"""What an ACTIVE benefit lets an update change."""


def _whole(value: Any, field: str, low: int = 0) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or value < low:
        raise invalid(f"{field} must be a whole number >= {low}")
    return value


def _wallet(raw: dict[str, Any], where: str) -> str:
    found = raw.get("card_definition_id")
    if not isinstance(found, str) or not found:
        raise invalid(f"{where}.card_definition_id is required")
    return found


def _points(raw: dict[str, Any]) -> dict[str, Any]:
    extra = set(raw) - {"value", "card_definition_id"}
    if extra:
        raise invalid(f"points has unknown fields: {', '.join(sorted(extra))}")
    return {
        "value": _whole(raw.get("value"), "points.value"),
        "card_definition_id": _wallet(raw, "points"),
    }


def _proportional(raw: dict[str, Any]) -> dict[str, Any]:
    for name in ("customer", "custom_event", "order_items"):
        if raw.get(name) is not None:
            raise not_supported(f"points_proportional.{name}", "only order amounts")
    checked = v2_earning_rules.proportional(raw, "points_proportional")
    return {k: v for k, v in checked.items() if k != "points_expiration"}


def _material(raw: dict[str, Any]) -> dict[str, Any]:
    kind = raw.get("type")
    if kind == "PRODUCT" and raw.get("sku") is None:
        product = raw.get("product") or {}
        if not isinstance(product, dict) or not isinstance(product.get("id"), str):
            raise invalid("material.product.id is required for PRODUCT")
        return {"type": "PRODUCT", "product": {"id": product["id"]}}
    if kind == "SKU" and raw.get("product") is None:
        sku = raw.get("sku") or {}
        if not isinstance(sku, dict) or not sku.get("id") or not sku.get("product_id"):
            raise invalid("material.sku needs id and product_id for SKU")
        return {"type": "SKU", "sku": {"id": sku["id"], "product_id": sku["product_id"]}}
    raise invalid("material: type PRODUCT needs product, SKU needs sku (and not the other)")


DIGITAL_CONFIGS = {"DISCOUNT_COUPONS": "discount_coupons", "GIFT_VOUCHERS": "gift_vouchers"}
"""A digital benefit's type: the campaign type it publishes from, and its config field."""


def _digital(raw: dict[str, Any]) -> dict[str, Any]:
    kind = raw.get("type")
    if kind not in DIGITAL_CONFIGS:
        raise invalid("digital.type must be DISCOUNT_COUPONS or GIFT_VOUCHERS")
    checked = campaign_config(raw, tuple(DIGITAL_CONFIGS.values()))
    other = next(n for n in DIGITAL_CONFIGS.values() if n != DIGITAL_CONFIGS[kind])
    return {**checked, other: None}


def campaign_config(raw: dict[str, Any], names: tuple[str, ...]) -> dict[str, Any]:
    """A ``DISCOUNT_COUPONS`` / ``GIFT_VOUCHERS`` digital config (of a benefit or a reward:
    ``names`` are its config fields, all but the type's null): ``{type, <config>}``."""
    kind = raw["type"]
    wanted = DIGITAL_CONFIGS[kind]
    extra = set(raw) - {"type", *names}
    if extra:
        raise invalid(f"digital has unknown fields: {', '.join(sorted(extra))}")
    for name in names:
        if name != wanted and raw.get(name) is not None:
            raise invalid(f"digital.{name} must be null for {kind}")
    config = raw.get(wanted)
    if not isinstance(config, dict):
        raise invalid(f"digital.{wanted} is required for {kind}")
    allowed = {"campaign_id", "balance"} if kind == "GIFT_VOUCHERS" else {"campaign_id"}
    if set(config) - allowed:
        raise invalid(f"digital.{wanted} has unknown fields: {sorted(set(config) - allowed)}")
    campaign_id = config.get("campaign_id")
    if not isinstance(campaign_id, str) or not campaign_id.startswith("camp_"):
        raise invalid(f"digital.{wanted}.campaign_id must be a campaign id (camp_…)")
    checked: dict[str, Any] = {"campaign_id": campaign_id}
    if kind == "GIFT_VOUCHERS":
        checked["balance"] = _whole(config.get("balance"), f"digital.{wanted}.balance")
    return {"type": kind, wanted: checked}


def campaign(attrs: dict[str, Any]) -> tuple[str, str] | None:
    """A digital benefit's or reward's (campaign id, campaign type it must have), else None."""
    digital = attrs.get("digital")
    if attrs.get("type") != "DIGITAL" or not digital or digital["type"] not in DIGITAL_CONFIGS:
        return None
    return digital[DIGITAL_CONFIGS[digital["type"]]]["campaign_id"], digital["type"]


def _stock(raw: Any) -> dict[str, Any]:
    if raw is None:
        return {"type": "UNLIMITED"}
    if not isinstance(raw, dict):
        raise invalid("stock must be an object")
    if raw.get("type") == "UNLIMITED" and raw.get("limited") is None:
        return {"type": "UNLIMITED"}
    if raw.get("type") == "LIMITED" and isinstance(raw.get("limited"), dict):
        quantity = _whole(raw["limited"].get("quantity"), "stock.limited.quantity")
        return {"type": "LIMITED", "limited": {"quantity": quantity}}
    raise invalid("stock: type UNLIMITED (no limited) or LIMITED with limited.quantity")


def settings(fields: dict[str, Any], current: dict[str, Any] | None = None) -> dict[str, Any]:
    """The stored attrs after applying ``fields`` (absent ones keep ``current``)."""
    base = current or {}

    def pick(name: str) -> Any:
        return fields[name] if name in fields else base.get(name)

    kind = pick("type")
    if kind not in TYPES:
        raise invalid(f"type must be one of {', '.join(TYPES)}")
    wanted = CONFIGS[kind]
    for name in CONFIGS.values():
        if name != wanted and fields.get(name) is not None:
            raise invalid(f"{name} must be null for a {kind} benefit")
    config = pick(wanted)
    if not isinstance(config, dict):
        raise invalid(f"{wanted} is required for a {kind} benefit")
    checks = {
        "POINTS": _points,
        "POINTS_PROPORTIONAL": _proportional,
        "MATERIAL": _material,
        "DIGITAL": _digital,
    }
    return {"type": kind, wanted: checks[kind](config), "stock": _stock(pick("stock"))}


def wallets(attrs: dict[str, Any]) -> set[str]:
    """The card definitions the benefit adds points to."""
    config = attrs.get("points") or attrs.get("points_proportional")
    return {config["card_definition_id"]} if config else set()
