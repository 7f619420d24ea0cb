"""``/v1/exports``: schedule, list, follow and delete exports; with ``?token=`` the CSV file."""

from __future__ import annotations

from typing import Any

from starlette.responses import Response, StreamingResponse

from openvoucher.api.params import choice_param, page_params
from openvoucher.api.routing import ApiRequest, Routes
from openvoucher.api.schemas.exports import ExportCreate, ParametersBody, given_parameters
from openvoucher.platform import exports
from openvoucher.platform.presenters.exports import export, exports_list

routes = Routes()

LIST_ORDERS = {"created_at", "-created_at", "status", "-status"}


@routes.post("/v1/exports")
def create_export(request: ApiRequest) -> dict[str, Any]:
    """Schedule a CSV export of vouchers, redemptions, customers, publications, orders,
    points expirations or voucher transactions (``GET /v1/exports/{id}`` follows it)."""
    body = request.json(ExportCreate)
    row = exports.create(
        request.uow,
        request.project_id,
        body.exported_object,
        given_parameters(body),
        request.request_id,
    )
    return export(row, request.uow.base_url)


@routes.get("/v1/exports")
def list_exports(request: ApiRequest) -> dict[str, Any]:
    """A page of the project's exports (newest first by default)."""
    page = page_params(request.query)
    order = choice_param(request.query, "order", LIST_ORDERS, "-created_at")
    rows, total = exports.list_exports(
        request.uow, request.project_id, order=order, limit=page.limit, offset=page.offset
    )
    return exports_list(rows, total, request.uow.base_url)


@routes.get("/v1/exports/{exportId}")
def get_export(request: ApiRequest) -> dict[str, Any] | Response:
    """The export object; with the ``token`` of its ``result.url``, the file (``text/csv``)."""
    export_id = request.path["exportId"]
    token = request.query.get("token")
    if token is None:
        return export(exports.get(request.uow, request.project_id, export_id), request.uow.base_url)
    parts = exports.download(request.uow, request.project_id, export_id, token)
    return StreamingResponse(
        parts,
        media_type=_file_type(request.headers.get("accept") or ""),
        headers={
            "content-disposition": f'attachment; filename="{export_id}.csv"',
            "x-request-id": request.request_id,
        },
    )


def _file_type(accept: str) -> str:
    """``text/csv``; ``text/plain`` for clients that ask for it alone (the official SDKs,
    which follow the spec's declared type and refuse others)."""
    return "text/plain" if "text/plain" in accept and "text/csv" not in accept else "text/csv"


@routes.delete("/v1/exports/{exportId}", status=204)
def delete_export(request: ApiRequest) -> None:
    """Delete an export and its file."""
    exports.delete(request.uow, request.project_id, request.path["exportId"])


@routes.post("/v1/orders/export")
def export_orders(request: ApiRequest) -> dict[str, Any]:
    """Schedule a CSV export of orders (as ``POST /v1/exports`` of ``order``)."""
    given = given_parameters(request.json(ParametersBody))
    row = exports.create(request.uow, request.project_id, "order", given, request.request_id)
    return export(row, request.uow.base_url)
