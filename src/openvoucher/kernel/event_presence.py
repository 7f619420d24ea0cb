"""Unset optional fields left out of event payloads, as Voucherify's events leave them out.

Our objects render every field, ``null`` when unset (the API responses keep doing so: the
official SDKs read them either way). In webhook payloads Voucherify sends ``null`` only where
its schema marks the field nullable or its own examples show ``null``; elsewhere an unset field
is absent (``updated_at`` of a never-updated campaign, a discount voucher's ``gift`` …). This
module drops exactly those keys, per kind of object (its ``object`` value), when they are
``None``; keys the schemas require or allow as ``null`` stay. The outbox stores the result.
"""

from __future__ import annotations

import math
from typing import Any

Shape = tuple[frozenset[str], dict[str, Any]]
"""Keys dropped when None, and for nested plain objects (no ``object`` key) their shape."""


def _shape(keys: str, **nested: Shape) -> Shape:
    return frozenset(keys.split()), nested


VALIDITY = "start_date expiration_date validity_timeframe validity_day_of_week validity_hours"
_REDEMPTION = "amount failure_code failure_message redemption voucher order customer tracking_id"
LEFT_OUT: dict[str, Shape] = {
    "voucher": _shape(
        f"referrer_id gift discount loyalty_card campaign campaign_id holder_id updated_at "
        f"{VALIDITY}",
        loyalty_card=_shape("next_expiration_date next_expiration_points"),
    ),
    "campaign": _shape(
        f"updated_at category description activity_duration_after_publishing voucher "
        f"loyalty_tiers_expiration {VALIDITY}",
        voucher=_shape(f"discount gift loyalty_card {VALIDITY}"),
        referral_program=_shape("custom_event referee_reward", custom_event=_shape("id")),
    ),
    "customer": _shape(
        "source_id name email phone birthdate description updated_at",
        assets=_shape("cockpit_url"),
        summary=_shape("", orders=_shape("last_order_date")),
    ),
    "loyalty_tier": _shape(
        "",
        expiration=_shape("expiration_date updated_at"),
        points=_shape("to"),
        config=_shape("", points=_shape("to")),
    ),
    "promotion_tier": _shape(f"updated_at {VALIDITY}"),
    "promotion_stack": _shape("category_id"),
    "redemption": _shape(_REDEMPTION, channel=_shape("channel_id")),
    "redemption_rollback": _shape(f"{_REDEMPTION} reason", channel=_shape("channel_id")),
    "order": _shape("id referrer"),
    "reward": _shape("loyalty_tier_id product sku voucher"),
    "reward_assignment": _shape("parameters"),
    "earning_rule": _shape(VALIDITY, source=_shape("banner")),
    "validation_rules": _shape("updated_at"),
}
"""Per ``object`` kind: what Voucherify leaves out of its events when unset."""

_PENDING = _shape("updated_at", details=_shape("", event=_shape("group_id")))
EVENT_DATA: Shape = _shape(
    "",
    event=_shape("group_id"),
    event_schema=_shape("id"),
    referral_tier=_shape("banner"),
    pending_points=_PENDING,
    transaction=_shape("", details=_shape("", pending_points=_PENDING)),
)
"""The event data itself (it has no ``object``): its plain nested objects' unset keys."""


def root_objects_pruned(data: dict[str, Any]) -> dict[str, Any]:
    """``data`` with its top-level plain objects (``event``, ``pending_points`` …: no
    ``object`` key, so no kind of their own) pruned by :data:`EVENT_DATA`; every other value
    is the same object as given (the outbox packer prunes those and shares the large ones)."""
    nested = EVENT_DATA[1]
    found = [key for key, item in data.items() if key in nested and isinstance(item, dict)]
    if not found:
        return data
    result = dict(data)
    for key in found:
        if "object" not in data[key]:
            result[key] = _pruned(data[key], nested[key], [])
    return result


_PLAIN = frozenset({str, int, bool, type(None)})
"""Leaves kept as they are without a look (a float is checked for NaN and infinities)."""


def without_unset(value: Any) -> Any:
    """``value`` (an event's data) with the unset optional fields left out; a new structure,
    the argument is not changed (renderings are shared with stored snapshots)."""
    return _walk(value, [])


def pruned_plain(value: Any) -> tuple[Any, bool]:
    """``without_unset(value)``, and whether it holds only dicts, lists, strings, integers,
    booleans, None and finite floats (what orjson encodes as ``json.dumps`` does)."""
    odd: list[Any] = []
    return _walk(value, odd), not odd


def _walk(value: Any, odd: list[Any]) -> Any:
    """Prune ``value``; leaves that are not plain (tuples, NaN, other types) go to ``odd``.

    One pass with the plain leaves skipped inline: event data is walked on every write."""
    if isinstance(value, dict):
        kind = value.get("object")
        return _pruned(value, LEFT_OUT.get(kind) if isinstance(kind, str) else None, odd)
    if isinstance(value, list):
        return [item if type(item) in _PLAIN else _walk(item, odd) for item in value]
    if type(value) is not float or not math.isfinite(value):
        odd.append(value)
    return value


def _pruned(value: dict[str, Any], shape: Shape | None, odd: list[Any]) -> dict[str, Any]:
    plain = _PLAIN
    if shape is None:
        return {
            key: item if type(item) in plain else _walk(item, odd) for key, item in value.items()
        }
    dropped, nested = shape
    result: dict[str, Any] = {}
    for key, item in value.items():
        if type(item) in plain:
            if item is None and key in dropped:
                continue
            result[key] = item
            continue
        inner = nested.get(key)
        if inner is not None and isinstance(item, dict) and "object" not in item:
            result[key] = _pruned(item, inner, odd)
        else:
            result[key] = _walk(item, odd)
    return result
