"""Loyalty v2 earning rules: their settings, checked; the points an order earns under them.

Pure. What the runtime implements: the ``customer.order.paid`` trigger (fired by the same
``OrderPaid`` reaction as v1 rules), the ``customer.custom_event`` trigger (naming a custom
event schema) and the ``customer.segment.entered`` trigger (naming a segment), whose
earnings give fixed ``POINTS`` or, on custom events, ``POINTS_PROPORTIONAL`` on a number in
the event's metadata (``CUSTOM_EVENT_METADATA_VALUE``; no benefits: ADR 0094);
earnings without ``rules`` (absent or null), limited by ``tier_rules`` to members in some
tiers (``v2_tier_rules.qualifies``), whose effects are ``POINTS`` (a fixed value) or
``POINTS_PROPORTIONAL`` on the order's amount before or after discounts (``value`` points
for every ``every``), each adding to one card definition's wallet, or ``BENEFIT`` (granting
a benefit, ``loyalty.v2.benefit_grants``); a ``start_date``/``end_date`` window. Anything
else is refused with 400 ``not_supported``.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime
from math import isfinite
from typing import Any

from openvoucher.kernel.ids import hex_id
from openvoucher.loyalty.domain import v2_tier_rules
from openvoucher.loyalty.domain.v2_card_definitions import invalid, not_supported

ORDER_PAID = "customer.order.paid"
CUSTOM_EVENT = "customer.custom_event"
SEGMENT_ENTERED = "customer.segment.entered"
# the trigger's context field naming what fires it, and the id field inside it
CONTEXTS = {CUSTOM_EVENT: ("custom_event", "schema_id"), SEGMENT_ENTERED: ("segment", "id")}
AMOUNTS = {"PRE_DISCOUNT_ORDER_AMOUNT": "amount", "POST_DISCOUNT_ORDER_AMOUNT": "total_amount"}
EVENT_METADATA = "CUSTOM_EVENT_METADATA_VALUE"
# the facts key holding a custom event's metadata (``effect_points``)
METADATA_FACTS = "custom_event_metadata"


def _whole(value: Any, field: str, low: int = 0) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or value < low:
        raise invalid(f"{field} must be a whole number >= {low}")
    return value


def _points(raw: dict[str, Any], where: str) -> dict[str, Any]:
    if raw.get("points_expiration") is not None:
        raise not_supported(f"{where}.points_expiration", "points expire as their wallet says")
    return {
        "value": _whole(raw.get("value"), f"{where}.value"),
        "card_definition_id": _card_definition(raw, where),
        "points_expiration": None,
    }


def _card_definition(raw: dict[str, Any], where: str) -> str:
    found = raw.get("card_definition_id")
    if not isinstance(found, str) or not found:
        raise invalid(f"{where}.card_definition_id is required")
    return found


def proportional(raw: dict[str, Any], where: str) -> dict[str, Any]:
    """A checked ``points_proportional`` on the order amount (other calculations: 400)."""
    kind = raw.get("calculation_type")
    if kind not in AMOUNTS:
        raise not_supported(f"{where}.calculation_type", f"{kind} is not implemented")
    if raw.get("points_expiration") is not None:
        raise not_supported(f"{where}.points_expiration", "points expire as their wallet says")
    part = (raw.get("order") or {}).get(AMOUNTS[kind])
    if not isinstance(part, dict):
        raise invalid(f"{where}.order.{AMOUNTS[kind]} is required for {kind}")
    every = _whole(part.get("every"), f"{where}.order.{AMOUNTS[kind]}.every", 1)
    value = _whole(part.get("value"), f"{where}.order.{AMOUNTS[kind]}.value")
    return {
        "calculation_type": kind,
        "card_definition_id": _card_definition(raw, where),
        "points_expiration": None,
        "order": {AMOUNTS[kind]: {"every": every, "value": value}},
    }


def _event_proportional(raw: dict[str, Any], where: str) -> dict[str, Any]:
    """A checked ``points_proportional`` on a number in the custom event's metadata."""
    if raw.get("points_expiration") is not None:
        raise not_supported(f"{where}.points_expiration", "points expire as their wallet says")
    part = ((raw.get("custom_event") or {}).get("metadata")) or None
    if not isinstance(part, dict) or not isinstance(part.get("property"), str):
        raise invalid(f"{where}.custom_event.metadata needs every, value and property")
    if not part["property"]:
        raise invalid(f"{where}.custom_event.metadata.property must not be empty")
    step = {
        "every": _whole(part.get("every"), f"{where}.custom_event.metadata.every", 1),
        "value": _whole(part.get("value"), f"{where}.custom_event.metadata.value"),
        "property": part["property"],
    }
    return {
        "calculation_type": EVENT_METADATA,
        "card_definition_id": _card_definition(raw, where),
        "points_expiration": None,
        "custom_event": {"metadata": step},
    }


def _effect(raw: Any, where: str) -> dict[str, Any]:
    if not isinstance(raw, dict):
        raise invalid(f"{where} must be an object")
    kind = raw.get("type")
    if kind == "POINTS" and isinstance(raw.get("points"), dict):
        return {"type": kind, "points": _points(raw["points"], f"{where}.points")}
    if kind == "POINTS_PROPORTIONAL" and isinstance(raw.get("points_proportional"), dict):
        given, inside = raw["points_proportional"], f"{where}.points_proportional"
        if given.get("calculation_type") == EVENT_METADATA:
            inner = _event_proportional(given, inside)
        else:
            inner = proportional(given, inside)
        return {"type": kind, "points_proportional": inner}
    if kind == "BENEFIT" and isinstance(raw.get("benefit"), dict):
        ident = raw["benefit"].get("id")
        if not isinstance(ident, str) or not ident or set(raw["benefit"]) != {"id"}:
            raise invalid(f"{where}.benefit needs only the benefit's id")
        return {"type": kind, "benefit": {"id": ident}}
    raise invalid(
        f"{where}: type POINTS needs points, POINTS_PROPORTIONAL points_proportional, "
        "BENEFIT benefit"
    )


def _earning(raw: Any, index: int) -> dict[str, Any]:
    where = f"earnings[{index}]"
    if not isinstance(raw, dict):
        raise invalid(f"{where} must be an object")
    if raw.get("rules") is not None:
        raise not_supported(f"{where}.rules", "conditions on earnings are not implemented")
    effects = raw.get("effects")
    if not isinstance(effects, list) or not effects:
        raise invalid(f"{where}.effects needs at least one effect")
    return {
        "id": raw.get("id") or hex_id("lernei_"),
        "name": raw.get("name"),
        "rules": None,
        "tier_rules": v2_tier_rules.earning_tier_rules(raw.get("tier_rules"), where),
        "effects": [_effect(e, f"{where}.effects[{i}]") for i, e in enumerate(effects)],
    }


def _trigger(raw: Any) -> dict[str, Any]:
    if not isinstance(raw, dict):
        raise invalid("trigger must be an object")
    event = raw.get("event")
    if event not in (ORDER_PAID, *CONTEXTS):
        raise invalid(f"trigger.event must be {ORDER_PAID}, {CUSTOM_EVENT} or {SEGMENT_ENTERED}")
    found: dict[str, Any] = {"event": event, "custom_event": None, "segment": None}
    for context, (which, field) in CONTEXTS.items():
        given = raw.get(which)
        if context != event:
            if given is not None:
                raise invalid(f"trigger.{which} must be null for {event}")
            continue
        if not isinstance(given, dict) or set(given) != {field}:
            raise invalid(f"trigger.{which} needs only {field} for {event}")
        if not isinstance(given[field], str) or not given[field]:
            raise invalid(f"trigger.{which}.{field} must be a non-empty string")
        found[which] = {field: given[field]}
    return found


def trigger_ref(attrs: dict[str, Any]) -> str | None:
    """The id of the custom event schema or segment the rule's trigger names (None: orders)."""
    trigger = attrs["trigger"]
    if trigger["event"] not in CONTEXTS:
        return None
    which, field = CONTEXTS[trigger["event"]]
    return str(trigger[which][field])


def _allowed(effect: dict[str, Any], event: str) -> bool:
    """Whether the trigger's event can give what the effect gives (ADR 0094)."""
    if effect["type"] == "POINTS":
        return True
    on_event = (
        effect["type"] == "POINTS_PROPORTIONAL"
        and effect["points_proportional"]["calculation_type"] == EVENT_METADATA
    )
    if event == ORDER_PAID:
        return not on_event
    return on_event and event == CUSTOM_EVENT


def _effects_fit(trigger: dict[str, Any], earnings: list[dict[str, Any]]) -> None:
    """Order amounts and benefits need a paid order, event metadata a custom event."""
    event = trigger["event"]
    for index, earning in enumerate(earnings):
        for place, effect in enumerate(earning["effects"]):
            if not _allowed(effect, event):
                raise not_supported(
                    f"earnings[{index}].effects[{place}]",
                    f"{event} rules cannot give {effect['type']} this way",
                )


def settings(fields: dict[str, Any], current: dict[str, Any] | None = None) -> dict[str, Any]:
    """The stored attrs after applying ``fields`` (absent ones keep ``current``)."""
    base = current or {}

    def pick(name: str) -> Any:
        return fields[name] if name in fields else base.get(name)

    for name in ("validity_hours", "trigger_limits", "error"):
        if fields.get(name) is not None:
            raise not_supported(name, "not implemented")
    earnings = pick("earnings")
    if not isinstance(earnings, list) or not earnings:
        raise invalid("earnings needs at least one earning")
    trigger = _trigger(pick("trigger"))
    checked = [_earning(e, i) for i, e in enumerate(earnings)]
    _effects_fit(trigger, checked)
    return {
        "trigger": trigger,
        "earnings": checked,
        "start_date": pick("start_date"),
        "end_date": pick("end_date"),
        "metadata": pick("metadata") or {},
    }


def card_definitions(attrs: dict[str, Any]) -> set[str]:
    """The wallets the rule's points effects add points to."""
    return {
        (effect.get("points") or effect.get("points_proportional"))["card_definition_id"]
        for earning in attrs["earnings"]
        for effect in earning["effects"]
        if effect["type"] != "BENEFIT"
    }


def benefits(attrs: dict[str, Any]) -> set[str]:
    """The benefits the rule's ``BENEFIT`` effects grant."""
    return {
        effect["benefit"]["id"]
        for earning in attrs["earnings"]
        for effect in earning["effects"]
        if effect["type"] == "BENEFIT"
    }


def in_window(attrs: dict[str, Any], now: datetime, parse: Any) -> bool:
    """Whether ``now`` is within the rule's start and end dates."""
    start, end = attrs.get("start_date"), attrs.get("end_date")
    return (start is None or parse(start) <= now) and (end is None or now < parse(end))


def effect_points(effect: dict[str, Any], order: dict[str, Any]) -> tuple[str, int]:
    """``(card definition id, points)`` a ``POINTS`` or ``POINTS_PROPORTIONAL`` effect (or
    benefit, whose settings have the same shape) gives for the paid ``order`` (rendered) or,
    for a custom event, facts holding its metadata under ``METADATA_FACTS``."""
    if effect["type"] == "POINTS":
        return effect["points"]["card_definition_id"], int(effect["points"]["value"])
    inner = effect["points_proportional"]
    if inner["calculation_type"] == EVENT_METADATA:
        return inner["card_definition_id"], _on_metadata(inner["custom_event"]["metadata"], order)
    field = AMOUNTS[inner["calculation_type"]]
    step = inner["order"][field]
    amount = int(order.get(field) or order.get("amount") or 0)
    return inner["card_definition_id"], max(amount, 0) // step["every"] * step["value"]


def _on_metadata(step: dict[str, Any], facts: dict[str, Any]) -> int:
    """``value`` points for every ``every`` of the metadata number (whole part; anything
    else, missing or negative: none)."""
    found = (facts.get(METADATA_FACTS) or {}).get(step["property"])
    if isinstance(found, bool) or not isinstance(found, int | float) or not isfinite(found):
        return 0
    return max(int(found), 0) // int(step["every"]) * int(step["value"])


def _earnings(attrs: dict[str, Any], tiers: Collection[tuple[str, str]]) -> list[dict[str, Any]]:
    """The rule's earnings a member holding ``tiers`` (tier structure, tier) qualifies for:
    an earning's ``tier_rules`` need one of its tiers."""
    return [e for e in attrs["earnings"] if v2_tier_rules.qualifies(e.get("tier_rules"), tiers)]


def earned_items(
    attrs: dict[str, Any], order: dict[str, Any], tiers: Collection[tuple[str, str]] = ()
) -> list[tuple[str, str, int]]:
    """``(earning id, card definition id, points)`` for each points effect giving points to a
    member holding ``tiers``."""
    found = []
    for earning in _earnings(attrs, tiers):
        for effect in earning["effects"]:
            if effect["type"] == "BENEFIT":
                continue
            target, points = effect_points(effect, order)
            if points > 0:
                found.append((str(earning["id"]), target, points))
    return found


def earned(
    attrs: dict[str, Any], order: dict[str, Any], tiers: Collection[tuple[str, str]] = ()
) -> dict[str, int]:
    """Card definition id → points the paid ``order`` (rendered) earns under the rule for a
    member holding ``tiers``."""
    found: dict[str, int] = {}
    for _item, target, points in earned_items(attrs, order, tiers):
        found[target] = found.get(target, 0) + points
    return found


def granted(
    attrs: dict[str, Any], tiers: Collection[tuple[str, str]] = ()
) -> list[tuple[str, str]]:
    """``(earning id, benefit id)`` for each ``BENEFIT`` effect a member holding ``tiers``
    qualifies for, in the rule's order."""
    return [
        (str(earning["id"]), effect["benefit"]["id"])
        for earning in _earnings(attrs, tiers)
        for effect in earning["effects"]
        if effect["type"] == "BENEFIT"
    ]
