"""Customers through HTTP and through the official SDK."""

from __future__ import annotations

import httpx
import pytest
import voucherify
from voucherify.api.customers_api import CustomersApi
from voucherify.models.customers_create_request_body import CustomersCreateRequestBody

from tests.support.server import Project, RunningServer, new_project


def test_sdk_creates_and_reads_customer(sdk: voucherify.ApiClient) -> None:
    """The official SDK parses created and fetched customers."""
    api = CustomersApi(sdk)
    created = api.create_customer(
        CustomersCreateRequestBody(source_id="alice", name="Alice", email="a@example.com")
    )
    assert created.id.startswith("cust_")
    fetched = api.get_customer("alice")
    assert fetched.id == created.id
    assert fetched.email == "a@example.com"
    listed = api.list_customers(limit=10)
    assert [c.id for c in listed.customers] == [created.id]


def test_create_upserts_by_source_id(http: httpx.Client) -> None:
    """A second POST with the same source_id updates the same customer."""
    first = http.post("/v1/customers", json={"source_id": "bob", "name": "Bob"}).json()
    second = http.post("/v1/customers", json={"source_id": "bob", "email": "b@x.io"}).json()
    assert first["id"] == second["id"]
    assert second["name"] == "Bob"
    assert second["email"] == "b@x.io"
    assert second["updated_at"] is not None


def test_update_delete_and_not_found(http: httpx.Client) -> None:
    """PUT changes fields, DELETE removes, later GET is 404 not_found."""
    created = http.post("/v1/customers", json={"source_id": "c1"}).json()
    updated = http.put(f"/v1/customers/{created['id']}", json={"metadata": {"tier": "gold"}})
    assert updated.json()["metadata"] == {"tier": "gold"}
    assert http.delete("/v1/customers/c1").status_code == 204
    missing = http.get(f"/v1/customers/{created['id']}")
    assert missing.status_code == 404
    assert missing.json()["key"] == "not_found"


def test_list_pages_and_filters(http: httpx.Client) -> None:
    """limit/page window the list; email filters it; total counts all matches."""
    for index in range(5):
        http.post("/v1/customers", json={"source_id": f"s{index}", "email": f"{index}@x.io"})
    page = http.get("/v1/customers", params={"limit": 2, "page": 2, "order": "created_at"}).json()
    assert page["total"] == 5
    assert [c["source_id"] for c in page["customers"]] == ["s2", "s3"]
    assert page["has_more"] is True
    only = http.get("/v1/customers", params={"email": "4@x.io"}).json()
    assert [c["source_id"] for c in only["customers"]] == ["s4"]


@pytest.mark.parametrize(
    ("body", "status"),
    [
        (b'{"name": 12}', 400),
        (b'{"source_id": "' + b"x" * 400 + b'"}', 400),
        (b'{"address": "nowhere"}', 400),
        (b"[1,2]", 400),
        (b"{bad", 400),
    ],
)
def test_bad_customer_input_is_400(http: httpx.Client, body: bytes, status: int) -> None:
    """Wrong types, over-long strings and malformed JSON are clear 400s."""
    response = http.post(
        "/v1/customers", content=body, headers={"Content-Type": "application/json"}
    )
    assert response.status_code == status
    assert response.json()["key"] == "invalid_payload"


def test_empty_json_body_counts_as_empty_object(http: httpx.Client) -> None:
    """An empty body with a JSON content type is taken as {}."""
    response = http.post("/v1/customers", content=b"", headers={"Content-Type": "application/json"})
    assert response.status_code == 200
    assert response.json()["id"].startswith("cust_")


def test_bad_query_params_are_400(http: httpx.Client) -> None:
    """Out-of-range limit and unknown order are invalid_query_params."""
    assert http.get("/v1/customers", params={"limit": 0}).json()["key"] == "invalid_query_params"
    assert http.get("/v1/customers", params={"order": "x"}).status_code == 400


def test_projects_are_isolated(server: RunningServer, project: Project) -> None:
    """One project's keys never see another project's customers."""
    other = new_project(server, "other")
    with project.client() as mine, other.client() as theirs:
        created = mine.post("/v1/customers", json={"source_id": "secret"}).json()
        assert theirs.get(f"/v1/customers/{created['id']}").status_code == 404
        assert theirs.get("/v1/customers").json()["total"] == 0


def test_customer_activity_lists_customer_events(http: httpx.Client) -> None:
    """Activity shows the customer's customer.* events newest first, with paging by id."""
    created = http.post("/v1/customers", json={"source_id": "act", "name": "A"}).json()
    http.put("/v1/customers/act", json={"name": "B"})
    http.post("/v1/orders", json={"amount": 500, "customer": {"id": created["id"]}})
    other = http.post("/v1/customers", json={"source_id": "other"}).json()
    page = http.get(f"/v1/customers/{created['id']}/activity", params={"limit": 2}).json()
    assert [e["type"] for e in page["data"]] == ["customer.order.created", "customer.updated"]
    assert page["has_more"] is True
    rest = http.get(
        "/v1/customers/act/activity", params={"starting_after_id": page["more_starting_after"]}
    ).json()
    assert [e["type"] for e in rest["data"]] == ["customer.created"]
    assert rest["data"][0]["data"]["customer"]["id"] == created["id"]
    assert rest["has_more"] is False
    only = http.get(f"/v1/customers/{other['id']}/activity").json()["data"]
    assert [e["type"] for e in only] == ["customer.created"]
    assert http.get("/v1/customers/act/activity", params={"order": "x"}).status_code == 400
    assert http.get("/v1/customers/nobody/activity").status_code == 404
