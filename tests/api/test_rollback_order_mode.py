"""Rollbacks follow the project's ``redeemables_rollback_order_mode``.

Spec ``ManagementProjectsStackingRules.redeemables_rollback_order_mode`` ("WITH_ORDER is a
default setting. The redemption is rolled back together with the data about the order …
WITHOUT_ORDER allows rolling the redemption back without affecting order data") and the spec's
rollback examples (docs api-reference/redemptions/redemption-object.mdx, the order of
``redemption.rollback.succeeded`` is CANCELED).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from tests.api.catalog_helpers import outbox
from tests.api.redemption_helpers import discount_voucher, redeem, voucher_ref
from tests.support.server import Project, RunningServer
from tests.support.webhook_spec import data_errors

AMOUNT = {"type": "AMOUNT", "amount_off": 1000}


@pytest.fixture
def management(server: RunningServer) -> Iterator[httpx.Client]:
    """An HTTP client with the management keys."""
    with httpx.Client(base_url=server.base_url, headers=server.management_headers) as client:
        yield client


def _events(server: RunningServer, project: Project, kind: str) -> list[dict[str, Any]]:
    return [row["data"] for row in outbox(server, project) if row["type"] == kind]


def _redeemed(http: httpx.Client, *codes: str, order: dict[str, Any] | None = None) -> Any:
    for code in codes:
        if http.get(f"/v1/vouchers/{code}").status_code == 404:
            discount_voucher(http, code, AMOUNT)
    body = order or {"source_id": "ord-1", "amount": 10000, "status": "PAID"}
    reply = redeem(
        http, *(voucher_ref(c) for c in codes), customer={"source_id": "ann"}, order=body
    )
    assert reply.status_code == 200, reply.text
    return reply.json()


def test_with_order_cancels_the_order_of_a_rolled_back_redemption(
    server: RunningServer, project: Project, http: httpx.Client
) -> None:
    """Default WITH_ORDER: the discount leaves the order and the order becomes CANCELED; the
    rollback, its event and ``customer.order.canceled`` carry the canceled order."""
    redeemed = _redeemed(http, "TEN")
    rid = redeemed["redemptions"][0]["id"]
    reply = http.post(f"/v1/redemptions/{rid}/rollback", json={})
    assert reply.status_code == 200, reply.text
    assert reply.json()["order"]["status"] == "CANCELED"
    order = http.get(f"/v1/orders/{redeemed['order']['id']}").json()
    assert (order["status"], order["discount_amount"], order["total_amount"]) == (
        "CANCELED",
        0,
        10000,
    )
    (event,) = _events(server, project, "redemption.rollback.succeeded")
    assert event["order"]["status"] == "CANCELED"
    assert data_errors("redemption.rollback.succeeded", event) == []
    (canceled,) = _events(server, project, "customer.order.canceled")
    assert canceled["order"]["id"] == order["id"]
    rolled = http.get(f"/v1/redemptions/{rid}").json()
    assert rolled["related_redemptions"]["rollbacks"][0]["rollback_order_mode"] == "WITH_ORDER"


def test_with_order_cancels_after_the_whole_stack(
    server: RunningServer, project: Project, http: httpx.Client
) -> None:
    """A stacked redemption rolled back through its parent cancels the order, all discounts off."""
    redeemed = _redeemed(http, "A10", "B10")
    assert redeemed["order"]["discount_amount"] == 2000
    parent = redeemed["parent_redemption"]["id"]
    reply = http.post(f"/v1/redemptions/{parent}/rollbacks", json={})
    assert reply.status_code == 200, reply.text
    body = reply.json()
    assert body["order"]["status"] == "CANCELED"
    assert body["order"]["discount_amount"] == 0
    events = _events(server, project, "redemption.rollback.succeeded")
    assert [e["order"]["status"] for e in events] == ["CANCELED", "CANCELED"]


def test_order_stays_while_another_redemption_of_it_stands(http: httpx.Client) -> None:
    """Two redemptions of one order: rolling back the first keeps the order PAID (the second
    still stands); rolling back the second cancels it."""
    first = _redeemed(http, "ONE")
    second = _redeemed(http, "TWO", order={"source_id": "ord-1"})
    assert second["order"]["discount_amount"] == 2000
    one = http.post(f"/v1/redemptions/{first['redemptions'][0]['id']}/rollback", json={})
    assert one.json()["order"]["status"] == "PAID"
    assert one.json()["order"]["discount_amount"] == 1000
    two = http.post(f"/v1/redemptions/{second['redemptions'][0]['id']}/rollback", json={})
    assert two.json()["order"]["status"] == "CANCELED"
    assert two.json()["order"]["discount_amount"] == 0


def test_without_order_keeps_the_order_as_it_is(
    server: RunningServer, project: Project, http: httpx.Client, management: httpx.Client
) -> None:
    """WITHOUT_ORDER: the order keeps its status and discounts; events carry it unchanged."""
    rules = {"redeemables_rollback_order_mode": "WITHOUT_ORDER"}
    base = f"/management/v1/projects/{project.id}/stacking-rules"
    assert management.post(base, json=rules).status_code == 200
    redeemed = _redeemed(http, "A10", "B10")
    parent = redeemed["parent_redemption"]["id"]
    body = http.post(f"/v1/redemptions/{parent}/rollbacks", json={}).json()
    assert (body["order"]["status"], body["order"]["discount_amount"]) == ("PAID", 2000)
    order = http.get(f"/v1/orders/{redeemed['order']['id']}").json()
    assert (order["status"], order["discount_amount"], order["total_amount"]) == (
        "PAID",
        2000,
        8000,
    )
    events = _events(server, project, "redemption.rollback.succeeded")
    assert [e["order"]["status"] for e in events] == ["PAID", "PAID"]
    assert _events(server, project, "customer.order.canceled") == []
    child = body["rollbacks"][0]["redemption"]
    rolled = http.get(f"/v1/redemptions/{child}").json()
    assert rolled["status"] == "ROLLED_BACK"
    assert rolled["related_redemptions"]["rollbacks"][0]["rollback_order_mode"] == "WITHOUT_ORDER"
