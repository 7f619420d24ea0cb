"""A merchant's checkout stories with gift cards and discounts, with exact numbers."""

from __future__ import annotations

from typing import Any

import httpx

from tests.api.catalog_helpers import outbox
from tests.api.redemption_helpers import (
    balance,
    discount_voucher,
    gift_voucher,
    redeem,
    voucher_ref,
)
from tests.support.server import Project, RunningServer
from tests.support.webhook_spec import data_errors


def _ledger_types(http: httpx.Client, code: str) -> list[tuple[str, int]]:
    rows = http.get(f"/v1/vouchers/{code}/transactions").json()["data"]
    return [(row["type"], row["details"]["balance"]["amount"]) for row in reversed(rows)]


def test_issue_top_up_redeem_part_roll_back(
    server: RunningServer, project: Project, http: httpx.Client
) -> None:
    """Issue 5000, top up 2500, pay 3000 of a 4000 order, roll back: 7500 again, ledger of four."""
    gift_voucher(http, "CARD-1", 5000)
    top_up = http.post("/v1/vouchers/CARD-1/balance", json={"amount": 2500})
    assert top_up.status_code == 200, top_up.text
    assert balance(http, "CARD-1") == 7500
    reply = redeem(
        http,
        voucher_ref("CARD-1", 3000),
        order={"source_id": "ord-1", "amount": 4000},
        customer={"source_id": "shopper"},
    )
    assert reply.status_code == 200, reply.text
    body = reply.json()
    (single,) = body["redemptions"]
    assert single["amount"] == 3000
    assert single["gift"] == {"amount": 3000}
    assert single["voucher"]["gift"]["balance"] == 4500
    assert body["order"]["total_amount"] == 1000
    assert balance(http, "CARD-1") == 4500
    summary = http.get("/v1/customers/shopper").json()["summary"]["redemptions"]
    assert summary["gift"]["redeemed_amount"] == 3000

    rolled = http.post(f"/v1/redemptions/{single['id']}/rollback", json={"reason": "returned"})
    assert rolled.status_code == 200, rolled.text
    assert rolled.json()["amount"] == -3000
    assert rolled.json()["gift"] == {"amount": -3000}
    assert balance(http, "CARD-1") == 7500
    assert _ledger_types(http, "CARD-1") == [
        ("CREDITS_ADDITION", 2500),
        ("CREDITS_REDEMPTION", -3000),
        ("CREDITS_REFUND", 3000),
    ]
    order = http.get("/v1/orders/ord-1").json()
    assert order["discount_amount"] == 0
    assert order["total_amount"] == 4000
    created = [
        r for r in outbox(server, project) if r["type"] == "voucher.gift.transaction.created"
    ]
    refund = created[-1]["data"]
    assert refund["rollback"]["id"] == rolled.json()["id"]
    assert refund["redemption"]["id"] == single["id"]
    history = http.get("/v1/vouchers/CARD-1/redemption").json()
    assert history["total"] == 2
    assert [e["object"] for e in history["redemption_entries"]] == [
        "redemption_rollback",
        "redemption",
    ]


def test_stacked_discount_and_gift_card(
    server: RunningServer, project: Project, http: httpx.Client
) -> None:
    """The card listed first pays 5000 of 12 345, then 20% of the 7345 left (1469): 5876 left;
    rollbacks undo both."""
    discount_voucher(http, "TWENTY", {"type": "PERCENT", "percent_off": 20, "amount_limit": 9000})
    gift_voucher(http, "CARD-2", 5000)
    items = [
        {"product_id": "p1", "quantity": 3, "price": 3115},
        {"product_id": "p2", "quantity": 1, "price": 3000},
    ]
    reply = redeem(
        http,
        voucher_ref("CARD-2", 5000),
        voucher_ref("TWENTY"),
        order={"items": items},
        customer={"source_id": "stacker"},
    )
    assert reply.status_code == 200, reply.text
    body = reply.json()
    parent = body["parent_redemption"]
    card, twenty = body["redemptions"]
    assert parent["related_object_type"] == "redemption"
    assert card["redemption"] == parent["id"]
    assert twenty["order"]["applied_discount_amount"] == 1469
    assert card["order"]["applied_discount_amount"] == 5000
    order: dict[str, Any] = body["order"]
    assert order["amount"] == 12345
    assert order["discount_amount"] == 6469
    assert order["total_amount"] == 5876
    stacked = order["redemptions"][parent["id"]]["stacked"]
    assert stacked == [card["id"], twenty["id"]]
    assert balance(http, "CARD-2") == 0

    undone = http.post(f"/v1/redemptions/{parent['id']}/rollbacks", json={})
    assert undone.status_code == 200, undone.text
    result = undone.json()
    assert len(result["rollbacks"]) == 2
    assert result["parent_rollback"]["redemption"] == parent["id"]
    assert result["order"]["discount_amount"] == 0
    assert balance(http, "CARD-2") == 5000
    assert http.get("/v1/vouchers/TWENTY").json()["redemption"]["redeemed_quantity"] == 0
    second = http.post(f"/v1/redemptions/{parent['id']}/rollbacks", json={})
    assert second.status_code == 400
    assert second.json()["key"] == "already_rolled_back"
    for row in outbox(server, project):
        if row["type"].startswith(("redemption.", "customer.redemption")):
            assert data_errors(row["type"], row["data"]) == [], row["type"]
