"""Client-side API (``/client/v1``): client keys (``X-Client-Application-Id``/``X-Client-Token``)
or an OAuth token with a ``client_*`` scope.

Served: validations, qualifications, redemptions and custom events, as the server-side calls
do, once the project's client-side settings admit the request (trusted origins; redemptions
need ``client_redeem_enabled``; redemptions and events may name a customer that does not exist
yet only with ``client_create_customer_enabled``). Their bodies accept only the fields the spec
documents for the client-side operations (``api/schemas/client.py``); any other field is a 400.
Publications are not served client-side yet.
"""

from __future__ import annotations

from typing import Any

from openvoucher.api.params import invalid_query
from openvoucher.api.routing import ApiRequest, Routes
from openvoucher.api.schemas.client import ClientEventBody, ClientQualificationBody, ClientStackBody
from openvoucher.api.schemas.customers import given
from openvoucher.api.schemas.loyalties import plain
from openvoucher.checkout import qualifications, redemptions, validations
from openvoucher.customers import custom_events as events
from openvoucher.customers import customers
from openvoucher.kernel.errors import VoucherifyError
from openvoucher.kernel.idempotency import IdempotencyKey
from openvoucher.platform import client_side

routes = Routes()


def _no_new_customer(request: ApiRequest, settings: dict[str, Any], spec: Any) -> None:
    """403 when the request would create a customer and ``client_create_customer_enabled`` is
    off (Voucherify's default): client-side calls may name only customers that exist."""
    if settings.get("client_create_customer_enabled"):
        return
    named = spec if isinstance(spec, dict) else None
    if not customers.is_known(request.uow, request.project_id, named):
        raise VoucherifyError(
            "Forbidden",
            "Client-side creation of customers is disabled in the project settings "
            "(client_create_customer_enabled): this customer does not exist",
            key="forbidden",
            status=403,
        )


def admit(request: ApiRequest, *, redeem: bool = False) -> dict[str, Any]:
    """403 unless the project's client-side settings allow this request; the settings."""
    origin = request.headers.get("origin")
    dev = request.container.settings.dev_features
    return client_side.admit(request.uow, request.project_id, origin, redeem=redeem, dev=dev)


def only_params(request: ApiRequest, names: frozenset[str]) -> None:
    """400 ``invalid_query_params`` naming the first query parameter not in ``names``."""
    for name in request.query:
        if name not in names:
            known = ", ".join(sorted(names))
            raise invalid_query(f"'{name}' is not a parameter of this client-side call ({known})")


@routes.post("/client/v1/validations", auth="client")
def validate(request: ApiRequest) -> dict[str, Any]:
    """Check redeemables against an order, as ``POST /v1/validations``."""
    admit(request)
    body = given(request.json(ClientStackBody))
    return validations.validate(request.uow, request.project_id, body)


@routes.post("/client/v1/qualifications", auth="client")
def qualify(request: ApiRequest) -> dict[str, Any]:
    """The redeemables this customer and order could use, as ``POST /v1/qualifications``."""
    admit(request)
    body = given(request.json(ClientQualificationBody))
    return qualifications.qualify(request.uow, request.project_id, body)


@routes.post("/client/v1/redemptions", auth="client")
def redeem(request: ApiRequest) -> dict[str, Any]:
    """Redeem as ``POST /v1/redemptions``, when client-side redemption is enabled."""
    settings = admit(request, redeem=True)
    body = given(request.json(ClientStackBody))
    _no_new_customer(request, settings, body.get("customer"))
    key = IdempotencyKey.of(
        request.headers.get("idempotency-key"), "POST /client/v1/redemptions", request.raw
    )
    return redemptions.redeem(request.uow, request.project_id, body, key)


@routes.post("/client/v1/events", auth="client")
def track_event(request: ApiRequest) -> dict[str, Any]:
    """Record a customer's custom event, as ``POST /v1/events``; it counts for loyalty and
    referral programmes only when ``client_loyalty_events_enabled``."""
    settings = admit(request)
    programmes = bool(settings.get("client_loyalty_events_enabled"))
    body = plain(request.json(ClientEventBody))
    _no_new_customer(request, settings, body.get("customer"))
    return events.track(request.uow, request.project_id, body, programmes=programmes)
