"""What a loyalty tier offers: the programme's earning rules and rewards with the points the
tier's mappings give (``MULTIPLY``: rounded down; ``CUSTOM``: the tier's own points). A
PROPORTIONAL rule shows its mapped points per ``every``, exactly what a member of the tier
earns per ``every`` (``domain.loyalty.earned_points``; ADR 0067)."""

from __future__ import annotations

from typing import Any

from openvoucher.loyalty.domain.loyalty import map_points
from openvoucher.loyalty.model import Reward, RewardAssignment
from openvoucher.loyalty.presenters.rewards import assignment, reward


def _mapped(value: Any, mapping: dict[str, Any]) -> Any:
    """Every ``points`` inside a rule's ``loyalty`` object, mapped."""
    if isinstance(value, dict):
        return {
            key: map_points(int(inner), mapping)
            if key == "points" and isinstance(inner, int) and not isinstance(inner, bool)
            else _mapped(inner, mapping)
            for key, inner in value.items()
        }
    return value


def tier_earning_rule(rule: dict[str, Any], mapping: dict[str, Any] | None) -> dict[str, Any]:
    """A rendered earning rule as the tier's members earn it."""
    if not mapping:
        return rule
    return {**rule, "loyalty": _mapped(rule["loyalty"], mapping)}


def tier_reward(
    reward_row: Reward, assignment_row: RewardAssignment, mapping: dict[str, Any] | None
) -> dict[str, Any]:
    """An item of ``GET /v1/loyalties/{id}/tiers/{tierId}/rewards`` (``loyalty_tier_reward``)."""
    offered = assignment(assignment_row)
    if mapping and offered["parameters"]:
        loyalty = offered["parameters"]["loyalty"]
        points = map_points(int(loyalty["points"]), mapping)
        offered["parameters"] = {"loyalty": {**loyalty, "points": points}}
    return {"reward": reward(reward_row), "assignment": offered, "object": "loyalty_tier_reward"}
