"""Loyalty v2 objects as Voucherify renders them (``LoyaltyV2.json``)."""

from __future__ import annotations

from typing import Any

from openvoucher.kernel.clock import iso


def _times(row: dict[str, Any]) -> dict[str, Any]:
    return {"created_at": iso(row["created_at"]), "updated_at": iso(row["updated_at"])}


def card_definition(row: dict[str, Any]) -> dict[str, Any]:
    """A ``card_definition``."""
    return {"id": row["id"], "name": row["name"], "status": row["status"], **row["attrs"]} | {
        **_times(row),
        "object": "card_definition",
    }


def earning_rule(row: dict[str, Any]) -> dict[str, Any]:
    """An ``earning_rule``."""
    attrs = row["attrs"]
    return {
        "id": row["id"],
        "name": row["name"],
        "status": row["status"],
        "trigger": attrs["trigger"],
        "earnings": attrs["earnings"],
        "validity_hours": {"type": "ANY_TIME", "daily": None},
        "trigger_limits": None,
        "error": None,
        "start_date": attrs.get("start_date"),
        "end_date": attrs.get("end_date"),
        "metadata": attrs.get("metadata") or {},
        **_times(row),
        "object": "earning_rule",
    }


def program(row: dict[str, Any]) -> dict[str, Any]:
    """A ``program``."""
    attrs = row["attrs"]
    return {
        "id": row["id"],
        "name": row["name"],
        "status": row["status"],
        "start_date": attrs.get("start_date"),
        "end_date": attrs.get("end_date"),
        "validity_hours": {"type": "ANY_TIME"},
        "metadata": attrs.get("metadata") or {},
        **_times(row),
        "object": "program",
    }


def reward(row: dict[str, Any]) -> dict[str, Any]:
    """A ``reward``."""
    return {"id": row["id"], "name": row["name"], "status": row["status"], **row["attrs"]} | {
        **_times(row),
        "object": "reward",
    }


def benefit(row: dict[str, Any]) -> dict[str, Any]:
    """A ``benefit``."""
    return {"id": row["id"], "name": row["name"], "status": row["status"], **row["attrs"]} | {
        **_times(row),
        "object": "benefit",
    }


def tier_structure(row: dict[str, Any]) -> dict[str, Any]:
    """A ``tier_structure``."""
    return {"id": row["id"], "name": row["name"], **row["attrs"], "status": row["status"]} | {
        **_times(row),
        "object": "tier_structure",
    }


def tier(row: dict[str, Any]) -> dict[str, Any]:
    """A ``tier`` (of its structure)."""
    return {"id": row["id"], "tier_structure_id": row["parent_id"], "name": row["name"]} | {
        **row["attrs"],
        **_times(row),
        "object": "tier",
    }


RENDERERS = {
    "tier_structure": tier_structure,
    "tier": tier,
    "benefit": benefit,
    "reward": reward,
    "card_definition": card_definition,
    "earning_rule": earning_rule,
    "program": program,
}


def render(row: dict[str, Any]) -> dict[str, Any]:
    """Any v2 component by its kind."""
    return RENDERERS[row["kind"]](row)


def activity(row: dict[str, Any], kind: str) -> dict[str, Any]:
    """An activity of a ``kind`` object: its type, the object as it was, and the source."""
    return {
        "id": row["id"],
        "type": row["type"],
        "data": row["attrs"]["data"],
        "created_at": iso(row["created_at"]),
        f"{kind}_id": row["subject_id"],
        "source": {"channel": "API"},
    }


def page(items: list[dict[str, Any]], next_cursor: str | None) -> dict[str, Any]:
    """A cursor-paginated list."""
    return {
        "data": items,
        "cursor": {"next": next_cursor} if next_cursor else None,
        "object": "list",
    }


def benefit_transaction(row: dict[str, Any]) -> dict[str, Any]:
    """A ``benefit_transaction`` (a grant of a benefit; append-only, never updated)."""
    return {
        "id": row["id"],
        "benefit_id": row["benefit_id"],
        "program_id": row["program_id"],
        "member_id": row["member_id"],
        "earning_rule_id": row["earning_rule_id"],
        "type": "FULFILLMENT",
        "details": row["attrs"],
        "status": row["status"],
        "created_at": iso(row["created_at"]),
        "updated_at": None,
        "object": "benefit_transaction",
    }
