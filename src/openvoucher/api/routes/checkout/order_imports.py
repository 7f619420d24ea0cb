"""``POST /v1/orders/import``."""

from __future__ import annotations

from typing import Annotated, Any

import msgspec

from openvoucher.api.routing import ApiRequest, Routes
from openvoucher.api.schemas.customers import given
from openvoucher.api.schemas.orders import OrderBody
from openvoucher.checkout import order_imports

routes = Routes()

OrderList = Annotated[list[OrderBody], msgspec.Meta(max_length=order_imports.MAX_ORDERS)]


@routes.post("/v1/orders/import")
def import_orders(request: ApiRequest) -> dict[str, Any]:
    """Queue the import of up to 2000 historical orders (no events, no earning rules)."""
    specs = []
    for body in request.json(OrderList):
        spec = given(body)
        spec.pop("created_at", None)
        specs.append(spec)
    action_id = order_imports.start(request.uow, request.project_id, specs, request.request_id)
    return {"async_action_id": action_id}
