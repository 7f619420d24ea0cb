"""``POST /v1/events``: track a customer's custom event."""

from __future__ import annotations

from typing import Any

from openvoucher.api.routing import ApiRequest, Routes
from openvoucher.api.schemas.loyalties import EventBody, plain
from openvoucher.customers import custom_events as events

routes = Routes()


@routes.post("/v1/events")
def track_event(request: ApiRequest) -> dict[str, Any]:
    """Record the event; earning rules for its type accrue points in the same transaction."""
    return events.track(request.uow, request.project_id, plain(request.json(EventBody)))
