"""Custom event schemas, brands and users in the management API's shape."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from openvoucher.kernel.lists import listing
from openvoucher.platform.model import Branding


def branding(row: Branding) -> dict[str, Any]:
    """The brand object: its id and the brand, address and contact sections."""
    return {
        "id": row.id,
        "brand": asdict(row.brand),
        "address": asdict(row.address),
        "contact": asdict(row.contact),
    }


def brandings_list(rows: list[Branding]) -> dict[str, Any]:
    """The list envelope (one item at most)."""
    return listing([branding(row) for row in rows], len(rows))


def user(row: dict[str, Any]) -> dict[str, Any]:
    """The user object with its role in each project."""
    attrs = row["attrs"]
    return {
        "id": row["id"],
        "login": row["login"],
        "email": attrs.get("email"),
        "first_name": attrs.get("first_name"),
        "last_name": attrs.get("last_name"),
        "projects": row["projects"],
        "is_owner": bool(attrs.get("is_owner")),
    }


def users_list(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """The list envelope."""
    return listing([user(row) for row in rows], len(rows))
