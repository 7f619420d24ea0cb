"""Locations of one project: by id, and filtered, ordered windows of them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import RowMapping, func, select

from openvoucher.adapters.db import filters as listing
from openvoucher.adapters.db.schema.locations import locations
from openvoucher.catalog.model import Location
from openvoucher.kernel.filters import Filters
from openvoucher.kernel.scoped import ScopedRows

FILTER_FIELDS = {
    "name": listing.column(locations.c.name, "string"),
    "created_at": listing.column(locations.c.created_at, "date"),
    "updated_at": listing.column(locations.c.updated_at, "date"),
}
"""Fields of ``GET /v1/locations?filters[…]``."""
ORDERS = {"created_at", "-created_at", "updated_at", "-updated_at"}


@dataclass(frozen=True)
class LocationWindow:
    """A list request: order, ``limit``/offset, ``end_date`` and ``filters[…]``."""

    order: str = "-created_at"
    limit: int = 10
    offset: int = 0
    end_date: datetime | None = None
    filters: Filters | None = None


def _location(row: RowMapping) -> Location:
    return Location(
        id=row["id"],
        name=row["name"],
        shape=row["attrs"]["shape"],
        created_at=row["created_at"],
        updated_at=row["updated_at"],
    )


class LocationRepository(ScopedRows):
    """SQL for locations, scoped to one project."""

    table = locations

    def location(self, location_id: str) -> Location | None:
        """By id."""
        query = self._scoped().where(locations.c.id == location_id)
        row = self.conn.execute(query).mappings().first()
        return _location(row) if row else None

    def add(self, location: Location) -> None:
        """Store a new location."""
        self.insert(
            {
                "id": location.id,
                "name": location.name,
                "attrs": {"shape": location.shape},
                "created_at": location.created_at,
                "updated_at": location.updated_at,
            }
        )

    def page(self, window: LocationWindow, now: datetime) -> tuple[list[Location], int]:
        """A window of locations and how many match (``now`` anchors relative date filters)."""
        c = locations.c
        query = self._scoped()
        if window.end_date is not None:
            query = query.where(c.created_at <= window.end_date)
        if window.filters:
            clause = listing.where(window.filters, FILTER_FIELDS, self.conn.dialect, now)
            if clause is not None:
                query = query.where(clause)
        total = self.conn.execute(select(func.count()).select_from(query.subquery())).scalar_one()
        # A location never changed sorts by updated_at as by its creation.
        key = func.coalesce(c.updated_at, c.created_at) if "updated_at" in window.order else None
        column = c.created_at if key is None else key
        newest_first = window.order.startswith("-")
        ordering = (column.desc(), c.id.desc()) if newest_first else (column.asc(), c.id.asc())
        query = query.order_by(*ordering).limit(window.limit).offset(window.offset)
        return [_location(r) for r in self.conn.execute(query).mappings()], int(total)
