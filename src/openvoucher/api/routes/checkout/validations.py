"""``POST /v1/validations``."""

from __future__ import annotations

from typing import Any

from openvoucher.api.routing import ApiRequest, Routes
from openvoucher.api.schemas.customers import given
from openvoucher.api.schemas.redemptions import StackBody
from openvoucher.checkout import validations

routes = Routes()


@routes.post("/v1/validations")
def validate(request: ApiRequest) -> dict[str, Any]:
    """Check up to 30 redeemables against an order: 200 with ``valid`` true or false."""
    body = given(request.json(StackBody))
    return validations.validate(request.uow, request.project_id, body)
