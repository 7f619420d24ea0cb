"""A loyalty programme's ``loyalty_tiers_expiration``: how members qualify for tiers. Pure.

Tiers here follow the card's balance: a member is in the tier whose range holds the balance,
from the moment it does until it no longer does (``BALANCE`` qualification, ``IMMEDIATE``
start, ``BALANCE_DROP`` expiration). Those settings are stored and shown; any other
(``POINTS_IN_PERIOD``, ``NEXT_PERIOD``, ``END_OF_PERIOD``, ``CUSTOM``, ``extend``,
``rounding``) is refused with 400 ``not_supported`` naming the field, never stored unused.
"""

from __future__ import annotations

from typing import Any

from openvoucher.kernel.errors import InvalidPayload, VoucherifyError

FIELD = "loyalty_tiers_expiration"
SUPPORTED = {
    "qualification_type": {"BALANCE"},
    "start_date.type": {"IMMEDIATE"},
    "expiration_date.type": {"BALANCE_DROP"},
}


def _not_supported(path: str, value: Any) -> VoucherifyError:
    return VoucherifyError(
        "Not supported",
        f"{FIELD}.{path} {value} is not supported: tiers follow the card's balance "
        "(BALANCE qualification, IMMEDIATE start, BALANCE_DROP expiration)",
        key="not_supported",
    )


def _given(raw: dict[str, Any], path: str) -> Any:
    head, _, leaf = path.partition(".")
    value = raw.get(head)
    if leaf:
        return (value or {}).get(leaf) if isinstance(value, dict) or value is None else value
    return value


def check(raw: Any, campaign_type: str) -> dict[str, Any] | None:
    """The settings to store (None when not given); 400 for a non-loyalty campaign or a
    setting the engine does not apply."""
    if raw is None:
        return None
    if campaign_type != "LOYALTY_PROGRAM":
        raise InvalidPayload("Invalid payload", f"{FIELD} applies to loyalty programmes only")
    if not isinstance(raw, dict):
        raise InvalidPayload("Invalid payload", f"{FIELD} must be an object")
    for path, allowed in SUPPORTED.items():
        value = _given(raw, path)
        if value is not None and value not in allowed:
            raise _not_supported(path, value)
    for path in ("qualification_period", "expiration_date.extend", "expiration_date.rounding"):
        value = _given(raw, path)
        if value is not None:
            raise _not_supported(path, value)
    return {
        "qualification_type": "BALANCE",
        "start_date": {"type": "IMMEDIATE"},
        "expiration_date": {"type": "BALANCE_DROP"},
    }


def applied(attrs: dict[str, Any], raw: Any, campaign_type: str) -> dict[str, Any]:
    """A campaign's attrs with the checked settings (unchanged when none are given)."""
    setting = check(raw, campaign_type)
    return attrs if setting is None else {**attrs, FIELD: setting}
