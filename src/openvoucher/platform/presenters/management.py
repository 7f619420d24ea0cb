"""Custom event schemas, brands and users in the management API's shape."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from openvoucher.kernel.lists import listing
from openvoucher.platform.model import Branding, UserRoles


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


def user(row: UserRoles) -> dict[str, Any]:
    """The user object with its role in each project."""
    found = row.user
    return {
        "id": found.id,
        "login": found.login,
        "email": found.email,
        "first_name": found.first_name,
        "last_name": found.last_name,
        "projects": row.projects,
        "is_owner": found.is_owner,
    }


def users_list(rows: list[UserRoles]) -> dict[str, Any]:
    """The list envelope."""
    return listing([user(row) for row in rows], len(rows))
