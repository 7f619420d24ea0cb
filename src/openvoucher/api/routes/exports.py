"""``GET /v1/exports/{exportId}``: an export's status, or with ``?token=`` its CSV file."""

from __future__ import annotations

from typing import Any

from starlette.responses import Response

from openvoucher.api.routing import ApiRequest, Routes
from openvoucher.presenters.exports import export
from openvoucher.services import exports

routes = Routes()


@routes.get("/v1/exports/{exportId}")
def get_export(request: ApiRequest) -> dict[str, Any] | Response:
    """The export object; with the ``token`` of its ``result.url``, the file (``text/csv``)."""
    export_id = request.path["exportId"]
    token = request.query.get("token")
    if token is None:
        return export(exports.get(request.uow, request.project_id, export_id), request.uow.base_url)
    content = exports.download(request.uow, request.project_id, export_id, token)
    return Response(
        content,
        media_type="text/csv",
        headers={
            "content-disposition": f'attachment; filename="{export_id}.csv"',
            "x-request-id": request.request_id,
        },
    )
