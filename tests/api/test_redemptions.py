"""``POST /v1/redemptions`` and rollbacks: all-or-nothing, counters, order, events, bad input."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import httpx
import pytest

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

AMOUNT = {"type": "AMOUNT", "amount_off": 1000}


def _events(server: RunningServer, project: Project, prefix: str) -> list[dict[str, Any]]:
    return [row for row in outbox(server, project) if row["type"].startswith(prefix)]


def test_single_redemption_updates_voucher_order_customer(
    server: RunningServer, project: Project, http: httpx.Client
) -> None:
    """One voucher: no parent, counters +1, order PAID with the discount, customer counted."""
    discount_voucher(http, "TEN", AMOUNT, redemption={"quantity": 2})
    reply = redeem(http, voucher_ref("TEN"), customer={"source_id": "cus-1"})
    assert reply.status_code == 200, reply.text
    body = reply.json()
    assert "parent_redemption" not in body
    (single,) = body["redemptions"]
    assert single["id"].startswith("r_")
    assert single["result"] == "SUCCESS"
    assert single["status"] == "SUCCEEDED"
    assert single["voucher"]["code"] == "TEN"
    assert single["voucher"]["redemption"]["redeemed_quantity"] == 1
    assert body["order"]["status"] == "PAID"
    assert body["order"]["discount_amount"] == 1000
    assert body["order"]["total_amount"] == 9000
    assert body["order"]["redemptions"][single["id"]]["related_object_type"] == "voucher"
    order = http.get(f"/v1/orders/{body['order']['id']}").json()
    assert order["total_amount"] == 9000
    customer = http.get("/v1/customers/cus-1").json()
    assert customer["summary"]["redemptions"]["total_redeemed"] == 1
    assert customer["summary"]["redemptions"]["total_succeeded"] == 1
    assert http.get(f"/v1/redemptions/{single['id']}").json()["id"] == single["id"]
    types = [row["type"] for row in outbox(server, project)]
    assert "redemption.succeeded" in types
    assert "customer.redemption.succeeded" in types
    assert "customer.order.paid" in types
    for row in _events(server, project, "redemption."):
        assert data_errors(row["type"], row["data"]) == []


def test_quantity_exhausted_fails_and_records(
    server: RunningServer, project: Project, http: httpx.Client
) -> None:
    """A used-up voucher: 400 quantity_exceeded, a FAILED redemption recorded, nothing changed."""
    discount_voucher(http, "ONCE", AMOUNT, redemption={"quantity": 1})
    assert redeem(http, voucher_ref("ONCE")).status_code == 200
    reply = redeem(http, voucher_ref("ONCE"), customer={"source_id": "c-2"})
    assert reply.status_code == 400
    error = reply.json()
    assert error["key"] == "quantity_exceeded"
    assert error["resource_type"] == "redemption"
    failed = http.get(f"/v1/redemptions/{error['resource_id']}").json()
    assert failed["result"] == "FAILURE"
    assert failed["failure_code"] == "quantity_exceeded"
    assert http.get("/v1/vouchers/ONCE").json()["redemption"]["redeemed_quantity"] == 1
    events = _events(server, project, "redemption.failed")
    assert len(events) == 1
    assert data_errors("redemption.failed", events[0]["data"]) == []
    summary = http.get("/v1/customers/c-2").json()["summary"]["redemptions"]
    assert summary["total_failed"] == 1


@pytest.mark.parametrize("problem", ["expired", "disabled", "not_active"])
def test_invalid_voucher_in_a_stack_applies_nothing(
    server: RunningServer, http: httpx.Client, problem: str
) -> None:
    """One bad voucher in a stack: 400 with its key, the gift card keeps its balance."""
    now = server.clock.now()
    extra: dict[str, Any] = {
        "expired": {"expiration_date": (now - timedelta(hours=1)).isoformat()},
        "disabled": {"active": False},
        "not_active": {"start_date": (now + timedelta(hours=1)).isoformat()},
    }[problem]
    discount_voucher(http, "BAD", AMOUNT, **extra)
    gift_voucher(http, "CARD", 5000)
    reply = redeem(http, voucher_ref("CARD", 2000), voucher_ref("BAD"))
    assert reply.status_code == 400
    assert (
        reply.json()["key"]
        == {
            "expired": "voucher_expired",
            "disabled": "voucher_disabled",
            "not_active": "voucher_not_active",
        }[problem]
    )
    assert balance(http, "CARD") == 5000
    assert http.get("/v1/vouchers/CARD").json()["redemption"]["redeemed_quantity"] == 0
    assert http.get("/v1/orders").json()["total"] == 0


@pytest.mark.parametrize(
    ("refs", "status", "key"),
    [
        ([{"object": "voucher", "id": "NOPE"}], 404, "resource_not_found"),
        (
            [{"object": "voucher", "id": "CARD", "gift": {"credits": 9000}}],
            400,
            "gift_amount_exceeded",
        ),
        ([{"object": "voucher", "id": "CARD", "gift": {"credits": -1}}], 400, "invalid_payload"),
        ([{"object": "voucher", "id": "CARD", "gift": {"credits": "10"}}], 400, "invalid_payload"),
    ],
)
def test_bad_input_changes_nothing(
    http: httpx.Client, refs: list[dict[str, Any]], status: int, key: str
) -> None:
    """Unknown codes, credits above the balance, negative or non-integer credits: 4xx, no change."""
    gift_voucher(http, "CARD", 5000)
    reply = http.post("/v1/redemptions", json={"redeemables": refs, "order": {"amount": 10000}})
    assert reply.status_code == status
    assert reply.json()["key"] == key
    assert balance(http, "CARD") == 5000
    assert http.get("/v1/orders").json()["total"] == 0


def test_rollback_of_unknown_redemption_is_404(http: httpx.Client) -> None:
    """Rolling back a redemption that does not exist is 404 on both endpoints."""
    assert http.post("/v1/redemptions/r_nope/rollback").status_code == 404
    assert http.post("/v1/redemptions/r_nope/rollbacks").status_code == 404


def test_rollback_restores_counter_and_order(
    server: RunningServer, project: Project, http: httpx.Client
) -> None:
    """A rollback restores the voucher counter and the order's discount; twice is 400."""
    discount_voucher(http, "TEN", AMOUNT, redemption={"quantity": 1})
    redeemed = redeem(http, voucher_ref("TEN"), customer={"source_id": "c-3"}).json()
    rid = redeemed["redemptions"][0]["id"]
    reply = http.post(f"/v1/redemptions/{rid}/rollback?reason=mistake", json={})
    assert reply.status_code == 200, reply.text
    rollback = reply.json()
    assert rollback["object"] == "redemption_rollback"
    assert rollback["id"].startswith("rr_")
    assert rollback["redemption"] == rid
    assert rollback["reason"] == "mistake"
    assert http.get("/v1/vouchers/TEN").json()["redemption"]["redeemed_quantity"] == 0
    order = http.get(f"/v1/orders/{redeemed['order']['id']}").json()
    assert order["discount_amount"] == 0
    assert order["redemptions"][rid]["rollback_id"] == rollback["id"]
    assert http.get(f"/v1/redemptions/{rid}").json()["status"] == "ROLLED_BACK"
    again = http.post(f"/v1/redemptions/{rid}/rollback", json={})
    assert again.status_code == 400
    assert again.json()["key"] == "already_rolled_back"
    for row in _events(server, project, "redemption.rollback"):
        assert data_errors(row["type"], row["data"]) == []
    types = [row["type"] for row in outbox(server, project)]
    assert types.count("redemption.rollback.succeeded") == 1
    assert types.count("redemption.rollback.failed") == 1
    assert "customer.redemption.rollback.succeeded" in types
    assert redeem(http, voucher_ref("TEN")).status_code == 200


def test_idempotency_key_replays_the_redemption(http: httpx.Client) -> None:
    """The same Idempotency-Key and body give the same redemption; another body is 409."""
    gift_voucher(http, "CARD", 5000)
    body = {"redeemables": [voucher_ref("CARD", 700)], "order": {"amount": 1000}}
    headers = {"Idempotency-Key": "k-1"}
    first = http.post("/v1/redemptions", json=body, headers=headers).json()
    second = http.post("/v1/redemptions", json=body, headers=headers).json()
    assert first["redemptions"][0]["id"] == second["redemptions"][0]["id"]
    assert balance(http, "CARD") == 4300
    other = http.post("/v1/redemptions", json={**body, "metadata": {"x": 1}}, headers=headers)
    assert other.status_code == 409


def test_list_filters(server: RunningServer, http: httpx.Client) -> None:
    """filters[...] by voucher code, result, customer, campaign and created_at narrow the list."""
    discount_voucher(http, "A1", AMOUNT)
    discount_voucher(http, "B2", AMOUNT, redemption={"quantity": 1})
    assert redeem(http, voucher_ref("A1"), customer={"source_id": "ann"}).status_code == 200
    assert redeem(http, voucher_ref("B2"), customer={"source_id": "bob"}).status_code == 200
    assert redeem(http, voucher_ref("B2"), customer={"source_id": "bob"}).status_code == 400

    def codes(params: dict[str, str]) -> list[str]:
        body = http.get("/v1/redemptions", params=params).json()
        return [r["voucher"]["code"] for r in body["redemptions"]]

    assert codes({"filters[voucher_code][conditions][$is]": "A1"}) == ["A1"]
    assert codes({"filters[voucher_code][conditions][$in]": "B2"}) == ["B2", "B2"]
    assert codes({"result": "FAILURE"}) == ["B2"]
    assert codes({"filters[result][conditions][$is]": "SUCCESS"}) == ["B2", "A1"]
    assert codes({"customer": "ann"}) == ["A1"]
    assert codes({"order": "created_at"}) == ["A1", "B2", "B2"]
    later = (server.clock.now() + timedelta(minutes=1)).isoformat()
    assert codes({"created_at[after]": later}) == []
    assert codes({"created_at[before]": later}) == ["B2", "B2", "A1"]
    bad = http.get("/v1/redemptions", params={"filters[nope][conditions][$is]": "x"})
    assert bad.status_code == 400
