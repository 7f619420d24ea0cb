"""JSON responses and request ids of the API edge."""

from __future__ import annotations

import re

import pytest
from starlette.responses import Response

from openvoucher.api.errors import JsonBody, new_request_id


@pytest.mark.parametrize("status", [200, 201, 400, 404, 409, 500, 204, 304, 101])
def test_json_body_has_the_headers_starlette_would_set(status: int) -> None:
    """Same status, body and raw headers (names, values, order) as Starlette's Response."""
    body = b'{"id":"v_1","code":"\\u00e9t\\u00e9"}'
    lean = JsonBody(body, status, "v-0123456789abcdef012345")
    full = Response(
        body,
        status_code=status,
        media_type="application/json",
        headers={"x-request-id": "v-0123456789abcdef012345"},
    )
    assert (lean.status_code, lean.body, lean.raw_headers) == (
        full.status_code,
        full.body,
        full.raw_headers,
    )
    assert lean.background is None


def test_request_ids_have_voucherifys_form_and_differ() -> None:
    """``v-`` and 22 lower-case hex digits; 10 000 of them are all different."""
    ids = {new_request_id() for _ in range(10_000)}
    assert len(ids) == 10_000
    assert all(re.fullmatch(r"v-[0-9a-f]{22}", found) for found in ids)
