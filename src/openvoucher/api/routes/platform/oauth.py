"""``/v1/oauth``: OAuth 2.0 client-credentials tokens (issue, introspect, revoke).

The token endpoint takes the API key as ``X-App-Id``/``X-App-Token`` headers (as Voucherify
documents), as HTTP Basic credentials, or as ``client_id``/``client_secret`` form fields.
Bodies are ``application/x-www-form-urlencoded`` (JSON objects are accepted too).
"""

from __future__ import annotations

import base64
import binascii
from typing import Any
from urllib.parse import parse_qsl

import msgspec

from openvoucher.api.routing import ApiRequest, Routes
from openvoucher.kernel.errors import InvalidPayload, Unauthorized
from openvoucher.platform import oauth, projects

routes = Routes()

FORM_LIMIT = 16 * 1024


def form_fields(request: ApiRequest) -> dict[str, str]:
    """The body's fields: URL-encoded form (or a flat JSON object)."""
    if len(request.raw) > FORM_LIMIT:
        raise InvalidPayload("Invalid payload", "The body is too large")
    if request.headers.get("content-type", "").startswith("application/json"):
        try:
            body = msgspec.json.decode(request.raw or b"{}", type=dict[str, str])
        except msgspec.MsgspecError as exc:
            raise InvalidPayload(
                "Invalid payload", "Expected a flat JSON object of strings"
            ) from exc
        return body
    try:
        pairs = parse_qsl(request.raw.decode(), keep_blank_values=True, strict_parsing=False)
    except UnicodeDecodeError as exc:
        raise InvalidPayload("Invalid payload", "The form must be UTF-8") from exc
    return dict(pairs)


def _credentials(request: ApiRequest, fields: dict[str, str]) -> tuple[str, str]:
    headers = request.headers
    if headers.get("x-app-id") and headers.get("x-app-token"):
        return headers["x-app-id"], headers["x-app-token"]
    scheme, _, encoded = headers.get("authorization", "").partition(" ")
    if scheme.lower() == "basic" and encoded:
        try:
            key_id, sep, secret = base64.b64decode(encoded, validate=True).decode().partition(":")
        except (binascii.Error, UnicodeDecodeError):
            key_id, sep, secret = "", "", ""
        if sep and key_id and secret:
            return key_id, secret
    if fields.get("client_id") and fields.get("client_secret"):
        return fields["client_id"], fields["client_secret"]
    raise Unauthorized("Unauthorized", "Send the API key as X-App-Id/X-App-Token or HTTP Basic")


@routes.post("/v1/oauth/token", auth="none")
def issue_token(request: ApiRequest) -> dict[str, Any]:
    """``grant_type=client_credentials`` and ``scope`` → a bearer token for 15 minutes."""
    fields = form_fields(request)
    key_id, secret = _credentials(request, fields)
    principal = projects.authenticate(request.uow, key_id, secret)
    if principal is None:
        raise Unauthorized("Unauthorized", "Invalid credentials")
    if fields.get("grant_type") != "client_credentials":
        raise InvalidPayload(
            "Invalid payload", "grant_type must be client_credentials", key="unsupported_grant_type"
        )
    return oauth.issue(request.uow, principal, key_id, oauth.parse_scope(fields.get("scope")))


def _token_field(request: ApiRequest) -> str:
    token = form_fields(request).get("access_token")
    if not token:
        raise InvalidPayload("Invalid payload", "access_token is required")
    return token


@routes.post("/v1/oauth/introspect")
def introspect_token(request: ApiRequest) -> dict[str, Any]:
    """Whether a token of the project is active, and until when."""
    return oauth.introspect(request.uow, request.project_id, _token_field(request))


@routes.post("/v1/oauth/token/revoke", status=204)
def revoke_token(request: ApiRequest) -> None:
    """End a token of the project now."""
    oauth.revoke(request.uow, request.project_id, _token_field(request))
