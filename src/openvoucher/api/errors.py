"""Voucherify-style error bodies: ``code``, ``key``, ``message``, ``details``, ``request_id``."""

from __future__ import annotations

import secrets
from typing import Any

import orjson
from starlette.responses import Response

from openvoucher.domain.errors import VoucherifyError


def new_request_id() -> str:
    """A request id in Voucherify's ``v-…`` form."""
    return "v-" + secrets.token_hex(11)


def error_body(error: VoucherifyError, request_id: str) -> dict[str, Any]:
    """The JSON body for ``error``."""
    body: dict[str, Any] = {
        "code": error.status,
        "key": error.key,
        "message": error.message,
        "details": error.details,
        "request_id": request_id,
    }
    body.update(error.extra)
    return body


def error_response(error: VoucherifyError, request_id: str) -> Response:
    """A JSON response carrying ``error``."""
    return Response(
        orjson.dumps(error_body(error, request_id)),
        status_code=error.status,
        media_type="application/json",
        headers={"x-request-id": request_id},
    )
