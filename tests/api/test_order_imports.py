"""``POST /v1/orders/import``: historical orders, no events and no earning rules."""

from __future__ import annotations

import httpx
import voucherify
from voucherify.api.orders_api import OrdersApi
from voucherify.models import OrdersImportCreateRequestBodyItem

from tests.api.catalog_helpers import outbox, wait_for_action
from tests.api.loyalty_helpers import card, join, ok, order_rule, pay, programme
from tests.support.server import Project, RunningServer


def test_import_writes_orders_without_events_or_points(
    server: RunningServer, project: Project, http: httpx.Client
) -> None:
    """Good orders are imported (customers upserted, figures kept); a bad one is listed."""
    club = programme(http)
    order_rule(http, club["id"], every=100)
    code = join(http, club["id"], "ann")["code"]
    events_before = len(outbox(server, project))
    items = [
        {"source_id": "old-1", "status": "PAID", "amount": 5000, "customer": {"source_id": "ann"}},
        {"source_id": "old-2", "amount": 700, "customer": {"source_id": "new", "name": "New"}},
        {"source_id": "old-3", "amount": 100, "customer_id": "cust_missing"},
    ]
    reply = ok(http.post("/v1/orders/import", json=items))
    done = wait_for_action(http, reply["async_action_id"])
    assert (done["status"], done["operation_status"]) == ("DONE", "FAILED")
    result = done["result"]
    assert (result["done_count"], result["failed_count"]) == (2, 1)
    assert [(f["row"], f["source_id"]) for f in result["failed"]] == [(3, "old-3")]
    assert result["message"] == "2 orders imported, 1 failed"
    assert len(outbox(server, project)) == events_before
    assert card(http, code)["loyalty_card"]["balance"] == 0
    paid = ok(http.get("/v1/orders/old-1"))
    assert (paid["status"], paid["amount"], paid["customer"]["object"]) == (
        "PAID",
        5000,
        "customer",
    )
    assert ok(http.get("/v1/orders/old-2"))["status"] == "CREATED"
    assert http.get("/v1/orders/old-3").status_code == 404
    ann = ok(http.get("/v1/customers/ann"))
    assert ann["summary"]["orders"]["total_count"] == 1
    assert ok(http.get("/v1/customers/new"))["name"] == "New"
    pay(http, "ann", 1000)  # orders placed through the API still earn points
    assert card(http, code)["loyalty_card"]["balance"] == 10


def test_import_limits_and_sdk(sdk: voucherify.ApiClient, http: httpx.Client) -> None:
    """More than 2000 orders or a non-list body is 400; the SDK's import parses."""
    too_many = [{"source_id": f"o{n}", "amount": 1} for n in range(2001)]
    assert http.post("/v1/orders/import", json=too_many).status_code == 400
    assert http.post("/v1/orders/import", json={"source_id": "x"}).status_code == 400
    reply = OrdersApi(sdk).import_orders(
        [OrdersImportCreateRequestBodyItem(source_id="sdk-old", amount=300, status="PAID")]
    )
    done = wait_for_action(http, reply.async_action_id)
    assert (done["status"], done["operation_status"]) == ("DONE", "SUCCESS")
    assert ok(http.get("/v1/orders/sdk-old"))["amount"] == 300
