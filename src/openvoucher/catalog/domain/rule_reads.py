"""What a rule set asks its caller for, beyond the order and customer: the items it targets
(added to a redeemable's ``applicable_to``/``inapplicable_to``), the product collections it
names (whose members the caller looks up) and where its tallies' windows start.

Pure: the caller reads the collections and the tallies.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime, timedelta
from typing import Any

from openvoucher.catalog.domain.validation_rules import PICKERS, RuleSet
from openvoucher.checkout.domain import items as item_level


def collections(sets: Sequence[RuleSet]) -> set[str]:
    """The ids of the product collections the sets name (their ``applicable_to`` and their
    product rules): the caller finds which order items are in them (``Figures.members``)."""
    found: set[str] = set()
    for rule_set in sets:
        given = rule_set.applicable_to or {}
        entries = [*(given.get("included") or []), *(given.get("excluded") or [])]
        entries += _picked_entries(rule_set.rules)
        found |= {str(e["id"]) for e in entries if e.get("object") == item_level.COLLECTION}
    return found


def _picked_entries(rules: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    found: list[Mapping[str, Any]] = []
    for key, rule in rules.items():
        if key == "logic":
            continue
        if rule["name"] in PICKERS:
            found.extend(e for entries in rule["conditions"].values() for e in entries)
        found.extend(_picked_entries(rule.get("rules") or {}))
    return found


def targets(sets: Sequence[RuleSet]) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """``(applicable_to, inapplicable_to)`` entries the sets give a redeemable.

    A set's ``applicable_to.included`` / ``excluded`` when it has them; otherwise what its
    top-level product rules name (``$is``/``$in`` include, ``$is_not``/``$not_in`` and
    ``order.items.none`` exclude).
    """
    included: list[dict[str, Any]] = []
    excluded: list[dict[str, Any]] = []
    for rule_set in sets:
        given = rule_set.applicable_to or {}
        if given.get("included") or given.get("excluded"):
            included.extend(dict(e) for e in given.get("included") or [])
            excluded.extend(dict(e) for e in given.get("excluded") or [])
            continue
        for key, rule in rule_set.rules.items():
            if key == "logic" or rule["name"] not in PICKERS:
                continue
            for operator, entries in rule["conditions"].items():
                negative = operator in {"$is_not", "$not_in"} or rule["name"] == "order.items.none"
                (excluded if negative else included).extend(_target(e) for e in entries)
    return included, excluded


def _target(entry: Mapping[str, Any]) -> dict[str, Any]:
    body = {k: v for k, v in entry.items() if k in {"object", "id", "source_id", "effect"}}
    return {k: v for k, v in body.items() if v is not None}


def count_windows(names: set[str], now: datetime) -> dict[str, datetime | None]:
    """Where each tally's window starts at ``now`` (UTC calendar day, week from Monday, month:
    the names ending in ``.daily``, ``.weekly``, ``.monthly``); None counts every redemption."""
    day = now.replace(hour=0, minute=0, second=0, microsecond=0)
    starts = {
        "daily": day,
        "weekly": day - timedelta(days=day.weekday()),
        "monthly": day.replace(day=1),
    }
    return {name: starts.get(name.rsplit(".", 1)[-1]) for name in sorted(names)}
