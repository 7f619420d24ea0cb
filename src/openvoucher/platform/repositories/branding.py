"""The brand of one project."""

from __future__ import annotations

from dataclasses import asdict

from sqlalchemy import RowMapping

from openvoucher.adapters.db.schema.management import brandings
from openvoucher.kernel.scoped import ScopedRows
from openvoucher.platform.model import Address, Brand, Branding, Contact


def _branding(row: RowMapping) -> Branding:
    attrs = row["attrs"]
    return Branding(
        id=row["id"],
        brand=Brand(**attrs["brand"]),
        address=Address(**attrs["address"]),
        contact=Contact(**attrs["contact"]),
        created_at=row["created_at"],
        updated_at=row["updated_at"],
    )


def attrs_of(branding: Branding) -> dict[str, object]:
    """The ``attrs`` JSON column: the three sections."""
    return {
        "brand": asdict(branding.brand),
        "address": asdict(branding.address),
        "contact": asdict(branding.contact),
    }


class BrandingRepository(ScopedRows):
    """SQL for the project's (single) brand."""

    table = brandings

    def branding(self, branding_id: str) -> Branding | None:
        """By id."""
        row = self.conn.execute(self._scoped().where(brandings.c.id == branding_id))
        found = row.mappings().first()
        return _branding(found) if found else None

    def current(self) -> Branding | None:
        """The project's brand, or None."""
        found = self.conn.execute(self._scoped()).mappings().first()
        return _branding(found) if found else None

    def add(self, branding: Branding) -> None:
        """Store the project's brand."""
        self.insert(
            {
                "id": branding.id,
                "attrs": attrs_of(branding),
                "created_at": branding.created_at,
                "updated_at": branding.updated_at,
            }
        )
