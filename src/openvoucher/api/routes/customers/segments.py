"""``/v1/segments`` and ``/v1/customers/{id}/segments``: customer segments."""

from __future__ import annotations

from typing import Any

from openvoucher.api.routing import ApiRequest, Routes
from openvoucher.api.schemas.segments import SegmentCreate
from openvoucher.customers import segments
from openvoucher.customers.model import SegmentFields
from openvoucher.customers.presenters.segments import segment, simple_segment

routes = Routes()


@routes.post("/v1/segments")
def create_segment(request: ApiRequest) -> dict[str, Any]:
    """Create a static, auto-update or passive segment."""
    body = request.json(SegmentCreate)
    fields = SegmentFields(
        name=body.name, type=body.type, filter=body.filter, customers=tuple(body.customers or ())
    )
    return segment(segments.create(request.uow, request.project_id, fields))


@routes.get("/v1/segments/{segmentId}")
def get_segment(request: ApiRequest) -> dict[str, Any]:
    """One segment (without its customers)."""
    return segment(segments.get(request.uow, request.project_id, request.path["segmentId"]))


@routes.delete("/v1/segments/{segmentId}", status=204)
def delete_segment(request: ApiRequest) -> None:
    """Remove a segment."""
    segments.delete(request.uow, request.project_id, request.path["segmentId"])


@routes.get("/v1/customers/{customerId}/segments")
def customer_segments(request: ApiRequest) -> dict[str, Any]:
    """The segments the customer (id or source id) belongs to now."""
    rows = segments.of_customer(request.uow, request.project_id, request.path["customerId"])
    data = [simple_segment(row) for row in rows]
    return {"object": "list", "data_ref": "data", "data": data, "total": len(data)}
