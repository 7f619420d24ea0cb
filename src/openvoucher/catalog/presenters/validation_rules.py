"""Validation rules and their assignments in Voucherify's shape."""

from __future__ import annotations

from typing import Any

from openvoucher.kernel.clock import iso
from openvoucher.kernel.lists import listing


def _entry(entry: dict[str, Any]) -> dict[str, Any]:
    """An ``applicable_to`` entry with Voucherify's defaults for what was not given."""
    return {"strict": False, "effect": "APPLY_TO_EVERY", **entry}


def applicable_to(stored: dict[str, Any]) -> dict[str, Any]:
    """A rule's ``applicable_to``: every entry carries ``strict`` and ``effect`` (required by
    the spec's ``ApplicableTo``; Voucherify's defaults are ``false`` and ``APPLY_TO_EVERY``)."""
    found = dict(stored)
    for key in ("included", "excluded"):
        if isinstance(found.get(key), list):
            found[key] = [_entry(e) if isinstance(e, dict) else e for e in found[key]]
    return found


def rule(row: dict[str, Any], assignments_count: int = 0) -> dict[str, Any]:
    """The validation rule object."""
    attrs = row["attrs"]
    body: dict[str, Any] = {
        "id": row["id"],
        "name": row["name"],
        "rules": attrs["rules"],
        "bundle_rules": attrs.get("bundle_rules") or {},
        "applicable_to": applicable_to(attrs["applicable_to"]),
        "created_at": iso(row["created_at"]),
        "updated_at": iso(row["updated_at"]),
        "type": attrs["type"],
        "context_type": attrs["context_type"],
        "assignments_count": assignments_count,
        "object": "validation_rules",
    }
    if attrs.get("error"):
        body["error"] = attrs["error"]
    return body


def rules_list(rows: list[dict[str, Any]], counts: dict[str, int], total: int) -> dict[str, Any]:
    """The ``GET /v1/validation-rules`` envelope."""
    return listing([rule(row, counts.get(row["id"], 0)) for row in rows], total)


def assignment(row: dict[str, Any]) -> dict[str, Any]:
    """One validation rule assignment."""
    return {
        "id": row["id"],
        "rule_id": row["rule_id"],
        "related_object_id": row["related_object_id"],
        "related_object_type": row["related_object_type"],
        "created_at": iso(row["created_at"]),
        "object": "validation_rules_assignment",
        # Every stored rule is one this server evaluates in full on vouchers and campaigns.
        "validation_status": "VALID",
        "validation_omitted_rules": [],
    }


def assignments_list(rows: list[dict[str, Any]], total: int | None = None) -> dict[str, Any]:
    """A list of assignments (also a voucher's or campaign's ``validation_rules_assignments``)."""
    data = [assignment(row) for row in rows]
    return listing(data, len(data) if total is None else total)
