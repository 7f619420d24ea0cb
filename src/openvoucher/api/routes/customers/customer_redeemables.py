"""``GET /v1/customers/{customerId}/redeemables``."""

from __future__ import annotations

from typing import Any

from openvoucher.api.filters import filters_param
from openvoucher.api.params import choice_param, int_param
from openvoucher.api.routing import ApiRequest, Routes
from openvoucher.customers import customer_redeemables
from openvoucher.customers.repositories.customer_redeemables import FILTER_FIELDS

routes = Routes()


@routes.get("/v1/customers/{customerId}/redeemables")
def list_customer_redeemables(request: ApiRequest) -> dict[str, Any]:
    """The vouchers the customer holds (cards, gift cards, published coupons) with their
    status; ``order`` ``id``/``-id``, paging with ``starting_after_id``, ``filters``."""
    order = choice_param(request.query, "order", {"id", "-id"}, "id")
    return customer_redeemables.page(
        request.uow,
        request.project_id,
        request.path["customerId"],
        filters_param(request.query, FILTER_FIELDS),
        limit=int_param(request.query, "limit", 10, low=1, high=100),
        descending=order == "-id",
        after_id=request.query.get("starting_after_id") or None,
    )
