"""Loyalty v2 card definitions (point wallets): their settings, checked and defaulted.

Pure. A card definition's settings take effect through the v1 ledger: its code config and
points expiration become the backing ``LOYALTY_PROGRAM`` campaign's card template
(:func:`v1_template`), its pending points the pending-points setting of the points an earning
rule gives (:func:`v1_pending`), ``pay_with_points`` the exchange ratio of order payments,
its earning and spending limits what earnings give and spends take (``v2_card_limits``). The
options the ledger cannot honour are refused with 400 ``not_supported`` (listed in
``docs/compat/loyalty-v2.md``), never stored and ignored.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from openvoucher.kernel.errors import InvalidPayload, VoucherifyError
from openvoucher.loyalty.domain.v2_card_limits import limits

ALPHANUMERIC = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
ROUNDINGS = {
    "END_OF_MONTH": "END_OF_MONTH",
    "END_OF_QUARTER": "END_OF_QUARTER",
    "END_OF_HALF_YEAR": "END_OF_HALF_YEAR",
    "END_OF_YEAR": "END_OF_YEAR",
    "END_OF_PARTICULAR_MONTH": "PARTICULAR_MONTH",
}
"""v2 rounding → the v1 expiration rules' ``rounding_type``."""


def not_supported(field: str, why: str) -> VoucherifyError:
    """400 ``not_supported`` naming ``field``."""
    return VoucherifyError("Not supported", f"{field}: {why}", key="not_supported")


def invalid(details: str) -> InvalidPayload:
    """400 ``invalid_payload``."""
    return InvalidPayload("Invalid payload", details)


def _spent_refunds(raw: dict[str, Any]) -> dict[str, Any]:
    """``refunds.spent_points``: NONE, or REFUNDABLE with one ``RETURN_POINTS`` method in
    mode ``REFUND_ALL`` (a canceled order gives back the points paid on it)."""
    kind = raw.get("type", "NONE")
    methods = raw.get("methods") or []
    if kind == "NONE":
        if methods:
            raise invalid("refunds.spent_points.methods must be empty when type is NONE")
        return {"type": "NONE", "methods": []}
    if kind != "REFUNDABLE":
        raise invalid("refunds.spent_points.type must be NONE or REFUNDABLE")
    if len(methods) != 1 or not isinstance(methods[0], dict):
        raise invalid("refunds.spent_points.methods needs exactly one method when REFUNDABLE")
    method = methods[0]
    if method.get("type") != "RETURN_POINTS":
        raise invalid("refunds.spent_points.methods[0].type must be RETURN_POINTS")
    if method.get("mode") != "REFUND_ALL":
        raise not_supported("refunds.spent_points.methods[0].mode", "only REFUND_ALL")
    return {"type": "REFUNDABLE", "methods": [{"type": "RETURN_POINTS", "mode": "REFUND_ALL"}]}


def _refunds(raw: dict[str, Any] | None) -> dict[str, Any]:
    kind = ((raw or {}).get("earned_points") or {}).get("type", "NONE")
    if kind != "NONE":
        raise not_supported("refunds.earned_points.type", "only NONE is implemented")
    return {
        "spent_points": _spent_refunds((raw or {}).get("spent_points") or {}),
        "earned_points": {"type": "NONE", "methods": []},
    }


def returns_spent_points(attrs: dict[str, Any]) -> bool:
    """Whether the wallet gives back the points paid on an order when it is canceled."""
    spent = (attrs.get("refunds") or {}).get("spent_points") or {}
    return spent.get("type") == "REFUNDABLE"


def code_config(raw: dict[str, Any] | None) -> dict[str, Any]:
    """The code config as rendered: a pattern of ``length`` ``#`` between prefix and postfix
    unless a pattern is given."""
    raw = {k: v for k, v in (raw or {}).items() if v is not None}
    length = raw.get("length", 10)
    if not isinstance(length, int) or isinstance(length, bool) or not 4 <= length <= 30:
        raise invalid("code_config.length must be a whole number from 4 to 30")
    charset = raw.get("charset") or ALPHANUMERIC
    pattern = raw.get("pattern") or "#" * length
    if pattern.count("#") < 4:
        raise invalid("code_config.pattern needs at least 4 '#' characters")
    return {
        "pattern": pattern,
        "length": pattern.count("#"),
        "charset": charset,
        "prefix": raw.get("prefix") or "",
        "postfix": raw.get("postfix") or "",
    }


def points_expiration(raw: dict[str, Any] | None) -> dict[str, Any]:
    """The points expiration as rendered; NO_EXPIRATION, ROLLING_EXPIRATION by months or years
    (rounding optional) and CALENDAR_EXPIRATION with one date are what the ledger implements."""
    kind = (raw or {}).get("type") or "NO_EXPIRATION"
    if kind == "NO_EXPIRATION":
        return {"type": kind}
    if kind == "ROLLING_EXPIRATION":
        return {"type": kind, "rolling_expiration": _rolling(raw or {})}
    if kind == "CALENDAR_EXPIRATION":
        dates = ((raw or {}).get("calendar_expiration") or {}).get("expiration_dates") or []
        if len(dates) != 1:
            raise not_supported(
                "points_expiration.calendar_expiration.expiration_dates",
                "exactly one date a year is implemented",
            )
        day, month = dates[0].get("day"), dates[0].get("month")
        if not isinstance(day, int) or not isinstance(month, int):
            raise invalid("calendar_expiration dates need a day and a month")
        return {"type": kind, "calendar_expiration": {"expiration_dates": [dates[0]]}}
    raise not_supported("points_expiration.type", f"{kind} is not implemented")


def _rolling(raw: dict[str, Any]) -> dict[str, Any]:
    rolling = raw.get("rolling_expiration")
    if not isinstance(rolling, dict) or not isinstance(rolling.get("period"), dict):
        raise invalid("points_expiration.rolling_expiration.period is required")
    unit, value = rolling["period"].get("unit"), rolling["period"].get("value")
    if unit not in {"MONTH", "YEAR"}:
        raise not_supported(
            "points_expiration.rolling_expiration.period.unit", "only MONTH and YEAR"
        )
    if not isinstance(value, int) or isinstance(value, bool) or not 1 <= value <= 90:
        raise invalid("rolling_expiration.period.value must be a whole number from 1 to 90")
    rounding = rolling.get("rounding")
    if rounding is not None:
        if rounding.get("type") not in ROUNDINGS:
            raise invalid("rolling_expiration.rounding.type is unknown")
        particular = rounding["type"] == "END_OF_PARTICULAR_MONTH"
        rounding = {
            "type": rounding["type"],
            "value": rounding.get("value") if particular else None,
        }
        if particular and not isinstance(rounding["value"], int):
            raise invalid("END_OF_PARTICULAR_MONTH needs rounding.value, a month 1 to 12")
    return {"period": {"unit": unit, "value": value}, "rounding": rounding}


def pending_points(raw: dict[str, Any] | None) -> dict[str, Any]:
    """IMMEDIATE, or PERIOD_BASED by days (what the pending-points ledger implements)."""
    kind = (raw or {}).get("type") or "IMMEDIATE"
    if kind == "IMMEDIATE":
        return {"type": kind}
    if kind != "PERIOD_BASED":
        raise not_supported("pending_points.type", f"{kind} is not implemented")
    period = ((raw or {}).get("period_based") or {}).get("period") or {}
    if period.get("unit") != "DAY":
        raise not_supported("pending_points.period_based.period.unit", "only DAY")
    value = period.get("value")
    if not isinstance(value, int) or isinstance(value, bool) or not 1 <= value <= 90:
        raise invalid("pending_points.period_based.period.value must be 1 to 90 days")
    return {"type": kind, "period_based": {"period": {"unit": "DAY", "value": value}}}


def pay_with_points(raw: dict[str, Any] | None) -> dict[str, Any]:
    """NO_PAYMENTS, or EXCHANGE_RATIO: how much one point pays (a positive number)."""
    kind = (raw or {}).get("type") or "NO_PAYMENTS"
    if kind == "NO_PAYMENTS":
        return {"type": kind}
    if kind != "EXCHANGE_RATIO":
        raise invalid("pay_with_points.type must be NO_PAYMENTS or EXCHANGE_RATIO")
    formula = ((raw or {}).get("exchange_ratio") or {}).get("formula")
    return {"type": kind, "exchange_ratio": {"formula": str(exchange_ratio(formula))}}


def exchange_ratio(formula: Any) -> Decimal:
    """The amount (in the smallest currency unit) one point pays; a formula that is not a
    positive number is 400 (expressions are not implemented)."""
    try:
        value = Decimal(str(formula))
    except (InvalidOperation, ValueError):
        raise not_supported(
            "pay_with_points.exchange_ratio.formula", "only a plain positive number"
        ) from None
    if not value.is_finite() or value <= 0:
        raise invalid("pay_with_points.exchange_ratio.formula must be a positive number")
    return value.normalize()


def settings(fields: dict[str, Any], current: dict[str, Any] | None = None) -> dict[str, Any]:
    """The stored attrs after applying ``fields`` (absent ones keep ``current`` or defaults)."""
    base = current or {}
    allow_negative = (fields.get("balance_settings") or {}).get("allow_negative", False)
    if allow_negative:
        raise not_supported("balance_settings.allow_negative", "balances never go below zero")

    def pick(name: str) -> Any:
        return fields[name] if name in fields else base.get(name)

    return {
        "type": "INDIVIDUAL",
        "code_config": code_config(pick("code_config")),
        "points_expiration": points_expiration(pick("points_expiration")),
        "pending_points": pending_points(pick("pending_points")),
        "earning_limits": limits(pick("earning_limits"), "earning_limits"),
        "spending_limits": limits(pick("spending_limits"), "spending_limits"),
        "refunds": _refunds(pick("refunds")),
        "balance_settings": {"allow_negative": False},
        "pay_with_points": pay_with_points(pick("pay_with_points")),
        "metadata": pick("metadata") or {},
    }


def v1_expiration_rules(attrs: dict[str, Any]) -> dict[str, Any] | None:
    """The v1 ``expiration_rules`` of the backing campaign's card template."""
    expiry = attrs["points_expiration"]
    if expiry["type"] == "ROLLING_EXPIRATION":
        period = expiry["rolling_expiration"]["period"]
        months = period["value"] * (12 if period["unit"] == "YEAR" else 1)
        rules: dict[str, Any] = {"period_type": "MONTH", "period_value": months}
        rounding = expiry["rolling_expiration"].get("rounding")
        if rounding:
            rules["rounding_type"] = ROUNDINGS[rounding["type"]]
            if rounding.get("value") is not None:
                rules["rounding_value"] = rounding["value"]
        return rules
    if expiry["type"] == "CALENDAR_EXPIRATION":
        (when,) = expiry["calendar_expiration"]["expiration_dates"]
        return {
            "period_type": "FIXED_DAY_OF_YEAR",
            "fixed_month": when["month"],
            "fixed_day": when["day"],
        }
    return None


def v1_pending(attrs: dict[str, Any]) -> dict[str, Any] | None:
    """The v1 pending-points setting of points earned on this card (None: at once)."""
    pending = attrs["pending_points"]
    if pending["type"] != "PERIOD_BASED":
        return None
    return {"period_type": "DAY", "period_value": pending["period_based"]["period"]["value"]}


def v1_code_config(attrs: dict[str, Any]) -> dict[str, Any]:
    """The v1 ``code_config`` of the backing campaign."""
    config = attrs["code_config"]
    return {
        "pattern": config["pattern"],
        "charset": config["charset"],
        "prefix": config["prefix"],
        "postfix": config["postfix"],
    }
