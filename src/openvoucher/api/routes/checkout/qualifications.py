"""``POST /v1/qualifications``."""

from __future__ import annotations

from typing import Any

from openvoucher.api.routing import ApiRequest, Routes
from openvoucher.api.schemas.customers import given
from openvoucher.api.schemas.redemptions import QualificationBody
from openvoucher.checkout import qualifications

routes = Routes()


@routes.post("/v1/qualifications")
def qualify(request: ApiRequest) -> dict[str, Any]:
    """The vouchers this customer and order could use right now."""
    body = given(request.json(QualificationBody))
    return qualifications.qualify(request.uow, request.project_id, body)
