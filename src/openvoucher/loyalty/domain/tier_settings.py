"""A loyalty programme's ``loyalty_tiers_expiration``: how members qualify for tiers. Pure.

Two ways are applied (build/loyalty-tiers.mdx):

- the card's balance: ``BALANCE`` qualification, ``IMMEDIATE`` start, ``BALANCE_DROP``
  expiration, or ``CUSTOM`` expiration: the tier holds for ``extend`` (months, days) from
  reaching it (``loyalty.custom_tiers``);
- points collected in a period: ``POINTS_IN_PERIOD`` over a ``MONTH`` / ``QUARTER`` /
  ``HALF_YEAR`` / ``YEAR``, ``IMMEDIATE`` or ``NEXT_PERIOD`` start, ``END_OF_PERIOD`` or
  ``END_OF_NEXT_PERIOD`` expiration with an optional ``extend`` (``loyalty.period_tiers``).

An expiring tier (both ways but ``BALANCE_DROP``) takes an optional ``rounding``
(``domain.tier_rounding``). Anything else (a mix of the two ways, rounding of ``BALANCE_DROP``)
is refused with 400 naming the field, never stored unused.
"""

from __future__ import annotations

from typing import Any

from openvoucher.kernel.errors import InvalidPayload, VoucherifyError
from openvoucher.loyalty.domain.tier_periods import PERIOD_MONTHS, parse_extend
from openvoucher.loyalty.domain.tier_rounding import CALENDAR, STRATEGIES

FIELD = "loyalty_tiers_expiration"
BALANCE = "BALANCE"
POINTS_IN_PERIOD = "POINTS_IN_PERIOD"
SUPPORTED = {
    BALANCE: {
        "start_date.type": {"IMMEDIATE"},
        "expiration_date.type": {"BALANCE_DROP", "CUSTOM"},
    },
    POINTS_IN_PERIOD: {
        "start_date.type": {"IMMEDIATE", "NEXT_PERIOD"},
        "expiration_date.type": {"END_OF_PERIOD", "END_OF_NEXT_PERIOD"},
    },
}
DEFAULTS = {
    BALANCE: {"start_date.type": "IMMEDIATE", "expiration_date.type": "BALANCE_DROP"},
    POINTS_IN_PERIOD: {"start_date.type": "IMMEDIATE", "expiration_date.type": "END_OF_PERIOD"},
}
MAX_EXTEND_MONTHS = 36


def _not_supported(path: str, value: Any, kind: str) -> VoucherifyError:
    return VoucherifyError(
        "Not supported",
        f"{FIELD}.{path} {value} is not supported with qualification_type {kind}: "
        f"supported are {', '.join(sorted(SUPPORTED[kind].get(path, set()))) or 'none'}",
        key="not_supported",
    )


def _invalid(details: str) -> InvalidPayload:
    return InvalidPayload("Invalid payload", f"{FIELD}.{details}")


def _given(raw: dict[str, Any], path: str) -> Any:
    head, _, leaf = path.partition(".")
    value = raw.get(head)
    if leaf:
        return (value or {}).get(leaf) if isinstance(value, dict) or value is None else value
    return value


def _kind(raw: dict[str, Any]) -> str:
    kind = raw.get("qualification_type") or BALANCE
    if kind not in SUPPORTED:
        raise _invalid(f"qualification_type must be {BALANCE} or {POINTS_IN_PERIOD}")
    return str(kind)


def _period(raw: dict[str, Any], kind: str) -> str | None:
    period = raw.get("qualification_period")
    if kind == BALANCE:
        if period is not None:
            raise _not_supported("qualification_period", period, kind)
        return None
    if period not in PERIOD_MONTHS:
        raise _invalid(f"qualification_period must be one of {', '.join(PERIOD_MONTHS)}")
    return str(period)


def _extend(raw: dict[str, Any], kind: str, expires: str) -> str | None:
    extend = _given(raw, "expiration_date.extend")
    if expires == "CUSTOM" and parse_extend(extend) in (None, (0, 0)):
        raise _invalid("expiration_date.extend (months, days: P3M) is required for CUSTOM")
    if extend is None:
        return None
    if kind == BALANCE and expires != "CUSTOM":
        raise _not_supported("expiration_date.extend", extend, kind)
    parsed = parse_extend(extend) if isinstance(extend, str) else None
    if parsed is None or parsed[0] > MAX_EXTEND_MONTHS:
        raise _invalid(
            "expiration_date.extend must be an ISO 8601 duration of months and days "
            f"(P3M, P7D, P1M7D), at most {MAX_EXTEND_MONTHS} months"
        )
    return str(extend)


def _settled(raw: dict[str, Any], kind: str) -> dict[str, str]:
    chosen = {}
    for path, allowed in SUPPORTED[kind].items():
        value = _given(raw, path)
        if value is not None and value not in allowed:
            raise _not_supported(path, value, kind)
        chosen[path] = value or DEFAULTS[kind][path]
    return chosen


def _rounding(raw: dict[str, Any], expires: str) -> dict[str, Any] | None:
    """``rounding`` of an expiring tier (CUSTOM balance or period tiers): a calendar period or
    one calendar month (``CUSTOM``, ``unit`` MONTH, ``value`` 0-11), strategy START or END."""
    rounding = _given(raw, "expiration_date.rounding")
    if rounding is None:
        return None
    if expires == "BALANCE_DROP":
        raise VoucherifyError(
            "Not supported",
            f"{FIELD}.expiration_date.rounding does not apply to BALANCE_DROP expiration",
            key="not_supported",
        )
    if not isinstance(rounding, dict):
        raise _invalid("expiration_date.rounding must be an object")
    kind, strategy = rounding.get("type"), rounding.get("strategy") or "END"
    if kind not in (*CALENDAR, "CUSTOM"):
        raise _invalid(
            f"expiration_date.rounding.type must be one of {', '.join(CALENDAR)}, CUSTOM"
        )
    if strategy not in STRATEGIES:
        raise _invalid("expiration_date.rounding.strategy must be START or END")
    unit, value = rounding.get("unit"), rounding.get("value")
    if kind != "CUSTOM":
        if unit is not None or value is not None:
            raise _invalid("expiration_date.rounding.unit and value apply to type CUSTOM only")
        return {"type": str(kind), "strategy": str(strategy)}
    if unit not in (None, "MONTH"):
        raise _invalid("expiration_date.rounding.unit must be MONTH")
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 11:
        raise _invalid("expiration_date.rounding.value must be a month, 0 (January) to 11")
    return {"type": "CUSTOM", "strategy": str(strategy), "unit": "MONTH", "value": value}


def check(raw: Any, campaign_type: str) -> dict[str, Any] | None:
    """The settings to store (None when not given); 400 for a non-loyalty campaign or a
    setting the engine does not apply."""
    if raw is None:
        return None
    if campaign_type != "LOYALTY_PROGRAM":
        raise InvalidPayload("Invalid payload", f"{FIELD} applies to loyalty programmes only")
    if not isinstance(raw, dict):
        raise InvalidPayload("Invalid payload", f"{FIELD} must be an object")
    kind = _kind(raw)
    chosen = _settled(raw, kind)
    expires = chosen["expiration_date.type"]
    period, extend = _period(raw, kind), _extend(raw, kind, expires)
    expiration: dict[str, Any] = {"type": expires}
    if extend is not None:
        expiration["extend"] = extend
    rounding = _rounding(raw, expires)
    if rounding is not None:
        expiration["rounding"] = rounding
    setting: dict[str, Any] = {"qualification_type": kind}
    if period is not None:
        setting["qualification_period"] = period
    setting["start_date"] = {"type": chosen["start_date.type"]}
    setting["expiration_date"] = expiration
    return setting


def applied(attrs: dict[str, Any], raw: Any, campaign_type: str) -> dict[str, Any]:
    """A campaign's attrs with the checked settings (unchanged when none are given)."""
    setting = check(raw, campaign_type)
    return attrs if setting is None else {**attrs, FIELD: setting}


def is_period_based(campaign: dict[str, Any] | None) -> bool:
    """Whether the programme's tiers follow points collected in a period."""
    setting = (campaign or {}).get("attrs", {}).get(FIELD) or {}
    return bool(setting.get("qualification_type") == POINTS_IN_PERIOD)


def custom_expiration(campaign: dict[str, Any] | None) -> dict[str, Any] | None:
    """The ``expiration_date`` of a balance programme whose tiers expire (``CUSTOM``)."""
    setting = (campaign or {}).get("attrs", {}).get(FIELD) or {}
    expiration = setting.get("expiration_date") or {}
    if setting.get("qualification_type") != BALANCE or expiration.get("type") != "CUSTOM":
        return None
    return dict(expiration)


def has_expiring_tiers(attrs: dict[str, Any]) -> bool:
    """Whether members' tiers carry an expiry (period tiers or CUSTOM balance tiers)."""
    campaign = {"attrs": attrs}
    return is_period_based(campaign) or custom_expiration(campaign) is not None
