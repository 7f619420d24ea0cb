"""Client-side bodies and parameters are narrowed field by field (docs/compat/limits.md)."""

from __future__ import annotations

import httpx
import pytest

from tests.api.test_client_side import client_headers, settings, voucher_10
from tests.support.server import Project, RunningServer

CUSTOMER = {
    "source_id": "cf-ann",
    "name": "Ann",
    "description": "regular",
    "email": "ann@example.com",
    "phone": "+48 600 000 000",
    "birthdate": "1990-01-02",
    "address": {
        "city": "Kraków",
        "state": "MP",
        "line_1": "Rynek 1",
        "line_2": "2",
        "country": "PL",
        "postal_code": "31-000",
    },
    "metadata": {"tier": "gold"},
}
ITEM = {
    "source_id": "sku-cf",
    "related_object": "sku",
    "quantity": 2,
    "price": 1000,
    "amount": 2000,
    "sku": {"source_id": "sku-cf", "sku": "Blue", "price": 1000, "metadata": {"c": "b"}},
    "product": {"source_id": "prod-cf", "name": "Shirt", "price": 1000, "metadata": {"k": 1}},
    "metadata": {"line": 1},
}
ORDER = {"source_id": "cf-order", "status": "CREATED", "amount": 2000, "items": [ITEM]}
STACK = {
    "redeemables": [{"object": "voucher", "id": "CF-10"}],
    "order": ORDER,
    "customer": CUSTOMER,
    "session": {"type": "LOCK", "key": "ssn_cf", "ttl": 1, "ttl_unit": "HOURS"},
    "tracking_id": "track-cf",
    "metadata": {"channel": "web"},
    "options": {"expand": ["order", "redeemable"]},
}


def post(server: RunningServer, project: Project, path: str, body: object) -> httpx.Response:
    """POST ``body`` to ``/client/v1/{path}`` with the project's client key."""
    url = f"{project.base_url}/client/v1/{path}"
    return httpx.post(url, json=body, headers=client_headers(server, project))


def refused(response: httpx.Response, field: str, at: str) -> None:
    """A 400 ``invalid_payload`` naming ``field`` at ``at`` (``""``: at the top of the body)."""
    assert response.status_code == 400, response.text
    error = response.json()
    assert error["key"] == "invalid_payload"
    assert f"unknown field `{field}`" in error["details"], error
    assert error["details"].endswith(f" - at `{at}`" if at else f"`{field}`"), error


def test_every_documented_validation_field_is_accepted(
    server: RunningServer, project: Project, http: httpx.Client
) -> None:
    """A client-side validation with every documented field answers 200 and applies them."""
    voucher_10(http, "CF-10")
    response = post(server, project, "validations", STACK)
    assert response.status_code == 200, response.text
    assert response.json()["valid"] is True
    assert response.json()["order"]["amount"] == 2000


@pytest.mark.parametrize(
    ("path", "body", "field", "at"),
    [
        ("validations", {**STACK, "referrer": {"id": "x"}}, "referrer", ""),
        (
            "validations",
            {**STACK, "order": {**ORDER, "referrer": {"id": "x"}}},
            "referrer",
            "order",
        ),
        ("validations", {**STACK, "order": {**ORDER, "customer_id": "c"}}, "customer_id", "order"),
        ("validations", {**STACK, "order": {**ORDER, "created_at": "2020"}}, "created_at", "order"),
        ("validations", {**STACK, "customer": {**CUSTOMER, "x": 1}}, "x", "customer"),
        ("redemptions", {**STACK, "order": {**ORDER, "referrer_id": "r"}}, "referrer_id", "order"),
        ("redemptions", {**STACK, "options": {"expand": [], "x": 1}}, "x", "options"),
        (
            "redemptions",
            {**STACK, "redeemables": [{"id": "CF-10", "gift": {"credits": 1, "x": 2}}]},
            "x",
            "redeemables[0].gift",
        ),
        (
            "validations",
            {**STACK, "order": {"items": [{"product": {"name": "p", "price_formula": 1}}]}},
            "price_formula",
            "order.items[0].product",
        ),
        ("qualifications", {"session": {"type": "LOCK", "key": "k"}}, "key", "session"),
        ("qualifications", {"order": ORDER, "filters": {}}, "filters", ""),
        ("qualifications", {"options": {"limit": 5, "order": "x"}}, "order", "options"),
        (
            "events",
            {"event": "e", "customer": {"source_id": "c"}, "referral": {"code": "R", "x": 1}},
            "x",
            "referral",
        ),
        (
            "events",
            {"event": "e", "customer": {"source_id": "c"}, "loyalty": {"code": "L", "points": 9}},
            "points",
            "loyalty",
        ),
        ("events", {"event": "e", "customer": {"source_id": "c"}, "x": 1}, "x", ""),
    ],
)
def test_undocumented_client_fields_are_refused(
    server: RunningServer, project: Project, path: str, body: object, field: str, at: str
) -> None:
    """Any field the client-side operation does not document is a 400 naming it."""
    settings(server, project, client_redeem_enabled=True)
    refused(post(server, project, path, body), field, at)


def test_refused_fields_change_nothing(
    server: RunningServer, project: Project, http: httpx.Client
) -> None:
    """A refused client-side redemption redeems nothing and creates no customer."""
    settings(server, project, client_redeem_enabled=True)
    voucher_10(http, "CF-10")
    body = {**STACK, "session": None, "order": {**ORDER, "referrer": {"source_id": "evil"}}}
    assert post(server, project, "redemptions", body).status_code == 400
    assert http.get("/v1/redemptions").json()["total"] == 0
    assert http.get("/v1/customers/cf-ann").status_code == 404


def test_documented_event_fields_are_accepted(server: RunningServer, project: Project) -> None:
    """A custom event's documented fields take effect (an unknown referral code is a 404)."""
    settings(server, project, client_create_customer_enabled=True)  # CUSTOMER is new
    body = {"event": "signed_up", "customer": CUSTOMER, "metadata": {"plan": "pro"}}
    assert post(server, project, "events", body).status_code == 200
    referral = {"code": "NO-SUCH", "referrer_id": "cust_x"}
    response = post(server, project, "events", {**body, "referral": referral})
    assert (response.status_code, response.json()["resource_id"]) == (404, "NO-SUCH")


def test_client_tier_list_takes_only_its_parameters(
    server: RunningServer, project: Project
) -> None:
    """The client-side tier list accepts its documented parameters and refuses any other."""
    url = f"{project.base_url}/client/v1/promotions/tiers"
    headers = client_headers(server, project)
    params = {"is_available": "true", "limit": "5", "page": "1", "order": "-created_at"}
    assert httpx.get(url, params=params, headers=headers).status_code == 200
    response = httpx.get(url, params={"campaign": "x"}, headers=headers)
    assert response.status_code == 400, response.text
    assert response.json()["key"] == "invalid_query_params"
    assert "'campaign'" in response.json()["details"]


def test_server_side_bodies_are_not_narrowed(
    server: RunningServer, project: Project, http: httpx.Client
) -> None:
    """/v1/validations still takes an order's referrer: only client-side bodies are narrowed."""
    voucher_10(http, "CF-10")
    body = {**STACK, "session": None, "order": {**ORDER, "referrer": {"source_id": "ref-cf"}}}
    response = http.post("/v1/validations", json=body)
    assert response.status_code == 200, response.text
