"""Orders: totals, customer upsert, status changes, events and bad input."""

from __future__ import annotations

import httpx
import pytest
import voucherify
from sqlalchemy import select
from voucherify.api.orders_api import OrdersApi
from voucherify.models.orders_create_request_body import OrdersCreateRequestBody

from openvoucher.adapters.db.schema.outbox import outbox_events
from tests.support.server import Project, RunningServer

ITEMS = [
    {"product_id": "prod_1", "quantity": 2, "price": 1500},
    {"sku_id": "sku_1", "quantity": 1, "amount": 4000, "price": 4000},
]


def _event_types(server: RunningServer, project: Project) -> list[str]:
    query = (
        select(outbox_events.c.type)
        .where(outbox_events.c.project_id == project.id)
        .order_by(outbox_events.c.seq)
    )
    with server.container.engine.connect() as conn:
        return list(conn.execute(query).scalars())


def test_order_amount_comes_from_items(http: httpx.Client) -> None:
    """Without an amount, the order amount is the sum of item amounts (quantity × price)."""
    body = http.post("/v1/orders", json={"items": ITEMS}).json()
    assert body["amount"] == 7000
    assert body["total_amount"] == 7000
    assert body["total_discount_amount"] == 0
    assert body["items"][0]["amount"] == 3000
    assert body["items"][0]["subtotal_amount"] == 3000
    assert body["status"] == "CREATED"
    assert body["id"].startswith("ord_")


def test_sdk_parses_orders(sdk: voucherify.ApiClient) -> None:
    """The official SDK creates, reads and lists orders."""
    api = OrdersApi(sdk)
    created = api.create_order(
        OrdersCreateRequestBody(source_id="o-1", amount=2500, customer={"source_id": "cus-1"})
    )
    assert created.amount == 2500
    assert created.customer_id.startswith("cust_")
    assert api.get_order(created.id).source_id == "o-1"
    assert [o.id for o in api.list_orders().orders] == [created.id]


def test_upsert_by_source_id_and_paid_events(
    server: RunningServer, project: Project, http: httpx.Client
) -> None:
    """Same source_id updates the order; becoming PAID emits customer.order.paid once."""
    first = http.post(
        "/v1/orders", json={"source_id": "o-2", "amount": 1000, "customer": {"source_id": "c"}}
    ).json()
    second = http.post("/v1/orders", json={"source_id": "o-2", "status": "PAID"}).json()
    assert second["id"] == first["id"]
    assert second["amount"] == 1000
    http.put(f"/v1/orders/{first['id']}", json={"metadata": {"note": "x"}})
    types = [t for t in _event_types(server, project) if t.startswith("customer.order")]
    assert types == [
        "customer.order.created",
        "customer.order.updated",
        "customer.order.paid",
        "customer.order.updated",
    ]
    customer = http.get("/v1/customers/c").json()
    assert customer["summary"]["orders"]["total_count"] == 1
    assert customer["summary"]["orders"]["total_amount"] == 1000


@pytest.mark.parametrize(
    "body",
    [
        {"amount": -1},
        {"amount": "10"},
        {"status": "SHIPPED"},
        {"items": [{"quantity": -2, "price": 10}]},
        {"customer": {"id": "cust_unknown"}},
    ],
)
def test_bad_orders_are_4xx(http: httpx.Client, body: dict[str, object]) -> None:
    """Negative amounts, unknown statuses and unknown customers are clear 4xx errors."""
    response = http.post("/v1/orders", json=body)
    assert 400 <= response.status_code < 500
    assert {"code", "key", "message", "details", "request_id"} <= response.json().keys()
    assert http.get("/v1/orders").json()["total"] == 0


def test_unknown_order_is_404(http: httpx.Client) -> None:
    """Reading or updating an unknown order is not_found."""
    assert http.get("/v1/orders/ord_nope").status_code == 404
    assert http.put("/v1/orders/ord_nope", json={"status": "PAID"}).status_code == 404
