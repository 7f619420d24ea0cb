"""``/v1/locations``: named circles and polygons. Voucherify's API only reads them; create
and delete are our extension (Voucherify draws them in its dashboard)."""

from __future__ import annotations

from typing import Any

from openvoucher.api.filters import filters_param
from openvoucher.api.lists import page_listing
from openvoucher.api.params import choice_param, date_param, page_params
from openvoucher.api.routing import ApiRequest, Routes
from openvoucher.api.schemas.locations import LocationCreate
from openvoucher.catalog import locations
from openvoucher.catalog.model import LocationFields
from openvoucher.catalog.presenters.locations import location
from openvoucher.catalog.repositories.locations import (
    FILTER_FIELDS,
    ORDERS,
    LocationWindow,
)

routes = Routes()


@routes.post("/v1/locations")
def create_location(request: ApiRequest) -> dict[str, Any]:
    """Create a location: ``name`` and a ``shape``, a circle (``distance.center``
    ``geo:lat,lng`` and ``distance.radius`` in km or m) or a GeoJSON polygon."""
    body = request.json(LocationCreate)
    fields = LocationFields(name=body.name, shape=body.shape)
    return location(locations.create(request.uow, request.project_id, fields))


@routes.get("/v1/locations")
def list_locations(request: ApiRequest) -> dict[str, Any]:
    """A page of locations (``order``, ``filters[…]``, ``end_date``, ``limit``, ``page``)."""
    q = request.query
    page = page_params(q, max_page=100)
    window = LocationWindow(
        order=choice_param(q, "order", ORDERS, "-created_at"),
        limit=page.limit,
        offset=page.offset,
        end_date=date_param(q, "end_date"),
        filters=filters_param(q, FILTER_FIELDS),
    )
    rows, total = locations.page(request.uow, request.project_id, window)
    return page_listing([location(row) for row in rows], total, page, "data")


@routes.get("/v1/locations/{locationId}")
def get_location(request: ApiRequest) -> dict[str, Any]:
    """One location."""
    return location(locations.get(request.uow, request.project_id, request.path["locationId"]))


@routes.delete("/v1/locations/{locationId}", status=204)
def delete_location(request: ApiRequest) -> None:
    """Remove a location."""
    locations.delete(request.uow, request.project_id, request.path["locationId"])
