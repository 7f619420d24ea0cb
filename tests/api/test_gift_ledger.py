"""The gift ledger as other use cases call it (redemption, refund) and its CSV export."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

import httpx
import pytest

from openvoucher.gift_cards import credits as gift_cards
from openvoucher.kernel.errors import VoucherifyError
from openvoucher.kernel.ledger import CREDITS_REDEMPTION, CREDITS_REFUND
from tests.api.catalog_helpers import outbox, wait_for_action
from tests.api.test_gift_balance import gift_card, gift_errors
from tests.support.server import Project, RunningServer

DATE = "2024-02-09T13:27:46.844Z"


def simple_order(order: dict[str, Any]) -> dict[str, Any]:
    """The ``SimpleOrder`` subset of an order the orders API returned."""
    keys = ("id", "source_id", "status", "amount", "total_amount", "metadata", "object")
    return {key: order.get(key) for key in keys}


def simple_redemption(ident: str, amount: int, order: dict[str, Any]) -> dict[str, Any]:
    """A ``SimpleRedemption`` as the redemption use case renders it for the ledger."""
    return {
        "id": ident,
        "date": DATE,
        "amount": amount,
        "order": order,
        "result": "SUCCESS",
        "status": "SUCCEEDED",
        "metadata": {},
        "object": "redemption",
    }


def created_events(server: RunningServer, project: Project) -> list[dict[str, Any]]:
    """``voucher.gift.transaction.created`` data, oldest first."""
    rows = outbox(server, project)
    return [row["data"] for row in rows if row["type"] == "voucher.gift.transaction.created"]


def test_redemption_and_refund_carry_order_redemption_rollback(
    server: RunningServer, project: Project, http: httpx.Client
) -> None:
    """-1500 redeemed then refunded: exact figures, details and event objects per the schema."""
    card = gift_card(http, amount=5000)
    placed = http.post("/v1/orders", json={"source_id": "ord-9", "amount": 2000})
    assert placed.status_code == 200, placed.text
    order = simple_order(placed.json())
    redemption = simple_redemption("r_0c94ed583fcafc31c1", 1500, order)
    rollback = simple_redemption("rr_0c94edbb8d0bef5d9e", -1500, order)
    uow = server.container.uow
    with uow.write(project.id) as tx:
        row = gift_cards.lock_voucher(tx, "GIFT-1")
        spent = gift_cards.apply_credits(
            tx, row, CREDITS_REDEMPTION, 1500, order=order, redemption=redemption
        )
    with uow.write(project.id) as tx:
        row = gift_cards.lock_voucher(tx, card["id"])
        refund = gift_cards.apply_credits(
            tx, row, CREDITS_REFUND, 1500, order=order, redemption=redemption, rollback=rollback
        )
    assert (spent["amount"], spent["balance_after"], spent["source"]) == (-1500, 3500, None)
    assert (refund["amount"], refund["balance_after"]) == (1500, 5000)
    first, second = created_events(server, project)
    for data in (first, second):
        assert gift_errors("voucher.gift.transaction.created", data) == []
    assert first["transaction"]["details"] == {
        "balance": {
            "amount": -1500,
            "total": 5000,
            "balance": 3500,
            "type": "gift_voucher",
            "object": "balance",
            "related_object": {"type": "voucher", "id": card["id"]},
        },
        "order": {"id": order["id"], "source_id": "ord-9"},
        "redemption": {"id": redemption["id"]},
    }
    assert first["voucher"]["redemption"]["redeemed_amount"] == 1500
    assert (first["order"], first["redemption"], first["rollback"]) == (order, redemption, None)
    assert second["transaction"]["details"]["rollback"] == {"id": rollback["id"]}
    assert second["rollback"] == rollback
    assert second["balance"]["balance"] == 5000
    assert second["voucher"]["redemption"]["redeemed_amount"] == 0
    assert http.get("/v1/vouchers/GIFT-1").json()["gift"]["balance"] == 5000


def test_redeeming_more_than_the_balance_writes_nothing(
    server: RunningServer, project: Project, http: httpx.Client
) -> None:
    """gift_amount_exceeded: no transaction, no event, balance unchanged."""
    gift_card(http, amount=1000)

    def overdraw() -> None:
        with server.container.uow.write(project.id) as tx:
            row = gift_cards.lock_voucher(tx, "GIFT-1")
            gift_cards.apply_credits(tx, row, CREDITS_REDEMPTION, 1001)

    with pytest.raises(VoucherifyError) as refused:
        overdraw()
    assert refused.value.key == "gift_amount_exceeded"
    assert created_events(server, project) == []
    assert http.get("/v1/vouchers/GIFT-1/transactions").json()["data"] == []


def test_export_writes_the_ledger_as_csv(http: httpx.Client) -> None:
    """An export is SCHEDULED, done by an async action, and its CSV lists every transaction."""
    gift_card(http)
    for amount in (1000, -300):
        http.post("/v1/vouchers/GIFT-1/balance", json={"amount": amount, "source_id": f"s{amount}"})
    reply = http.post(
        "/v1/vouchers/GIFT-1/transactions/export",
        json={"parameters": {"order": "created_at", "fields": ["id", "type", "amount", "balance"]}},
    )
    assert reply.status_code == 200, reply.text
    scheduled = reply.json()
    assert scheduled["status"] == "SCHEDULED"
    assert scheduled["id"].startswith("exp_")
    assert scheduled["exported_object"] == "voucher_transactions"
    assert scheduled["parameters"] == {
        "order": "created_at",
        "fields": ["id", "type", "amount", "balance"],
        "filters": {},
    }
    actions = http.get("/v1/async-actions", params={"limit": 1}).json()["async_actions"]
    wait_for_action(http, actions[0]["id"])
    done = http.get(f"/v1/exports/{scheduled['id']}").json()
    assert done["status"] == "DONE"
    download = http.get(done["result"]["url"])
    assert download.status_code == 200
    assert download.headers["content-type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(download.text)))
    ledger = http.get("/v1/vouchers/GIFT-1/transactions", params={"order": "id"}).json()["data"]
    assert rows == [
        ["id", "type", "amount", "balance"],
        [ledger[0]["id"], "CREDITS_ADDITION", "1000", "6000"],
        [ledger[1]["id"], "CREDITS_REMOVAL", "-300", "5700"],
    ]
    wrong = http.get(f"/v1/exports/{scheduled['id']}", params={"token": "nope"})
    assert (wrong.status_code, wrong.json()["key"]) == (404, "not_found")


def test_export_with_default_fields_includes_details(http: httpx.Client) -> None:
    """Without parameters every documented column is exported, newest first."""
    gift_card(http)
    http.post("/v1/vouchers/GIFT-1/balance", json={"amount": 250, "reason": "goodwill"})
    scheduled = http.post("/v1/vouchers/GIFT-1/transactions/export").json()
    actions = http.get("/v1/async-actions", params={"limit": 1}).json()["async_actions"]
    wait_for_action(http, actions[0]["id"])
    url = http.get(f"/v1/exports/{scheduled['id']}").json()["result"]["url"]
    (row,) = list(csv.DictReader(io.StringIO(http.get(url).text)))
    assert row["reason"] == "goodwill"
    assert row["source"] == "API"
    assert json.loads(row["details"])["balance"]["amount"] == 250
    bad = http.post(
        "/v1/vouchers/GIFT-1/transactions/export", json={"parameters": {"fields": ["nope"]}}
    )
    assert (bad.status_code, bad.json()["key"]) == (400, "invalid_payload")
