"""Typed records of the catalog's aggregates and the commands its use cases take (ADR 0017).

Repositories return these records; the edges build the commands from their request structs.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True, slots=True)
class Category:
    """A category of vouchers and campaigns (its name is unique in the project)."""

    id: str
    name: str
    hierarchy: int
    created_at: datetime
    updated_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class CategoryFields:
    """``POST``/``PUT /v1/categories``: None keeps the stored value (create requires both)."""

    name: str | None = None
    hierarchy: int | None = None
