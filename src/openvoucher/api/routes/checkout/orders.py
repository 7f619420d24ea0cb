"""``/v1/orders``."""

from __future__ import annotations

from typing import Any

from openvoucher.api.filters import filters_param
from openvoucher.api.lists import page_listing
from openvoucher.api.null_policy import without_nulls
from openvoucher.api.params import choice_param, page_params
from openvoucher.api.routing import ApiRequest, Routes
from openvoucher.api.schemas.customers import given
from openvoucher.api.schemas.orders import OrderBody
from openvoucher.checkout import orders
from openvoucher.checkout.presenters.orders import order
from openvoucher.checkout.repositories.orders import FILTER_FIELDS

routes = Routes()

ORDERS = {"created_at", "-created_at", "updated_at", "-updated_at"}


def _spec(request: ApiRequest) -> dict[str, Any]:
    spec = given(request.json(OrderBody))
    spec.pop("created_at", None)
    return spec


@routes.post("/v1/orders")
def create_order(request: ApiRequest) -> dict[str, Any]:
    """Create an order (or update the one with the same source_id)."""
    return order(orders.create(request.uow, request.project_id, _spec(request)))


@routes.get("/v1/orders/{orderId}")
def get_order(request: ApiRequest) -> dict[str, Any]:
    """By id or source_id."""
    return order(orders.get(request.uow, request.project_id, request.path["orderId"]))


@routes.put("/v1/orders/{orderId}")
def update_order(request: ApiRequest) -> dict[str, Any]:
    """Change status, items, amount, metadata or customer."""
    spec = without_nulls(_spec(request))
    spec.pop("id", None)
    return order(orders.update(request.uow, request.project_id, request.path["orderId"], spec))


@routes.get("/v1/orders")
def list_orders(request: ApiRequest) -> dict[str, Any]:
    """A page of orders, narrowed by ``filters[field][conditions][$op]``."""
    page = page_params(request.query, max_page=100)
    sort = choice_param(request.query, "order", ORDERS, "-created_at")
    rows, total = orders.list_orders(
        request.uow,
        request.project_id,
        order=sort,
        limit=page.limit,
        offset=page.offset,
        filters=filters_param(request.query, FILTER_FIELDS),
    )
    return page_listing([order(row) for row in rows], total, page, "orders")
