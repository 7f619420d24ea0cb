"""Locations: listed and read through Voucherify's API; created and deleted through our
extension (Voucherify draws them in its dashboard). No events: Voucherify has none for
locations.
"""

from __future__ import annotations

from openvoucher.catalog.domain.locations import checked_shape
from openvoucher.catalog.model import Location, LocationFields
from openvoucher.catalog.repositories.locations import LocationRepository, LocationWindow
from openvoucher.kernel.errors import InvalidPayload, NotFound
from openvoucher.kernel.ids import new_id
from openvoucher.kernel.unit_of_work import Tx, UnitOfWork

MAX_NAME = 300


def _name(raw: str | None) -> str:
    if raw is None or not raw.strip():
        raise InvalidPayload("Invalid payload", "name is required")
    if len(raw) > MAX_NAME:
        raise InvalidPayload("Invalid payload", f"name is at most {MAX_NAME} characters")
    return raw


def create(uow: UnitOfWork, project_id: str, fields: LocationFields) -> Location:
    """``POST /v1/locations`` (extension): a named circle or polygon."""
    name = _name(fields.name)
    shape = checked_shape(fields.shape)
    with uow.write(project_id) as tx:
        location = Location(id=new_id("location"), name=name, shape=shape, created_at=tx.now)
        LocationRepository(tx.conn, tx.project_id).add(location)
        return _require(tx, location.id)


def _require(tx: Tx, location_id: str) -> Location:
    found = LocationRepository(tx.conn, tx.project_id).location(location_id)
    if found is None:
        raise NotFound("location", location_id)
    return found


def get(uow: UnitOfWork, project_id: str, location_id: str) -> Location:
    """``GET /v1/locations/{id}``."""
    with uow.read(project_id) as tx:
        return _require(tx, location_id)


def page(uow: UnitOfWork, project_id: str, window: LocationWindow) -> tuple[list[Location], int]:
    """``GET /v1/locations``: a window of locations and how many match."""
    with uow.read(project_id) as tx:
        return LocationRepository(tx.conn, tx.project_id).page(window, tx.now)


def delete(uow: UnitOfWork, project_id: str, location_id: str) -> None:
    """``DELETE /v1/locations/{id}`` (extension)."""
    with uow.write(project_id) as tx:
        LocationRepository(tx.conn, tx.project_id).delete(_require(tx, location_id).id)
