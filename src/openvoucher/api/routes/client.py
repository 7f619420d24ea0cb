"""Client-side API (``/client/v1``): client keys (``X-Client-Application-Id``/``X-Client-Token``)
or an OAuth token with a ``client_*`` scope.

Served: validations and custom events, which only read or record what the server-side calls do.
Redemptions, publications and qualifications are not served client-side yet.
"""

from __future__ import annotations

from typing import Any

from openvoucher.api.routing import ApiRequest, Routes
from openvoucher.api.schemas.customers import given
from openvoucher.api.schemas.loyalties import EventBody, plain
from openvoucher.api.schemas.redemptions import StackBody
from openvoucher.services import events, validations

routes = Routes()


@routes.post("/client/v1/validations", auth="client")
def validate(request: ApiRequest) -> dict[str, Any]:
    """Check redeemables against an order, as ``POST /v1/validations``."""
    body = given(request.json(StackBody))
    return validations.validate(request.uow, request.project_id, body)


@routes.post("/client/v1/events", auth="client")
def track_event(request: ApiRequest) -> dict[str, Any]:
    """Record a customer's custom event, as ``POST /v1/events``."""
    return events.track(request.uow, request.project_id, plain(request.json(EventBody)))
