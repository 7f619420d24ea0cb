"""Gift-card balance adjustments: exact numbers in responses, ledger rows and seed events."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from openvoucher.catalog import vouchers
from tests.api.catalog_helpers import outbox
from tests.support.receiver import Receiver, running_receiver
from tests.support.server import Project, RunningServer
from tests.support.webhook_spec import (
    data_errors,
    project_envelope_errors,
    verify_standard,
    verify_voucherify,
)


def gift_errors(event_type: str, data: dict[str, Any]) -> list[str]:
    """Schema errors of a gift event's data, with one relaxation.

    The spec's strict ``Gift`` requires ``balance`` in ``campaign.voucher.gift``, but a campaign
    template has no balance and Voucherify's own seed payload sends only ``amount`` and
    ``effect`` there; everything else is checked as is.
    """
    campaign = data.get("campaign")
    if campaign and campaign["voucher"].get("gift"):
        gift = {"balance": None, **campaign["voucher"]["gift"]}
        campaign = {**campaign, "voucher": {**campaign["voucher"], "gift": gift}}
        data = {**data, "campaign": campaign}
    return data_errors(event_type, data)


def gift_card(http: httpx.Client, code: str = "GIFT-1", amount: int = 5000) -> dict[str, Any]:
    """A gift card issued in a GIFT_VOUCHERS campaign."""
    campaign = http.post(
        "/v1/campaigns",
        json={
            "name": f"Gifts {code}",
            "campaign_type": "GIFT_VOUCHERS",
            "voucher": {"type": "GIFT_VOUCHER", "gift": {"amount": amount}},
        },
    ).json()
    reply = http.post(f"/v1/campaigns/{campaign['id']}/vouchers/{code}", json={})
    assert reply.status_code == 200, reply.text
    card: dict[str, Any] = reply.json()
    return card


def give_holder(server: RunningServer, project: Project, http: httpx.Client, code: str) -> str:
    """Make a new customer the card's holder (what a publication does); the customer id."""
    customer = http.post("/v1/customers", json={"source_id": "holder-1", "name": "Ada"}).json()
    with server.container.uow.write(project.id) as tx:
        vouchers.set_holder(tx, vouchers.require(tx, code), customer["id"])
    return str(customer["id"])


def events(server: RunningServer, project: Project, kind: str) -> list[dict[str, Any]]:
    """The data of the project's outbox events of one type, oldest first."""
    return [row["data"] for row in outbox(server, project) if row["type"] == kind]


def test_addition_answers_and_emits_exact_numbers(
    server: RunningServer, project: Project, http: httpx.Client
) -> None:
    """+1200 on a 5000 card: response, voucher, transaction and both seed events agree."""
    card = gift_card(http)
    reply = http.post(
        "/v1/vouchers/GIFT-1/balance", json={"amount": 1200, "source_id": "pos-7", "reason": "gift"}
    )
    assert reply.status_code == 200, reply.text
    expected_balance = {
        "amount": 1200,
        "total": 6200,
        "balance": 6200,
        "type": "gift_voucher",
        "operation_type": "MANUAL",
        "object": "balance",
        "related_object": {"type": "voucher", "id": card["id"]},
    }
    assert reply.json() == expected_balance
    voucher = http.get("/v1/vouchers/GIFT-1").json()
    assert voucher["gift"] == {"amount": 6200, "balance": 6200, "effect": "APPLY_TO_ORDER"}
    assert voucher["redemption"]["redeemed_amount"] == 0
    (added,) = events(server, project, "voucher.gift.balance_added")
    assert gift_errors("voucher.gift.balance_added", added) == []
    assert added["balance"] == expected_balance
    assert added["voucher"]["gift"]["balance"] == 6200
    assert added["campaign"]["id"] == card["campaign_id"]
    transaction = added["transaction"]
    assert transaction["type"] == "CREDITS_ADDITION"
    assert transaction["id"].startswith("vtx_")
    assert (transaction["source_id"], transaction["reason"], transaction["source"]) == (
        "pos-7",
        "gift",
        "API",
    )
    assert transaction["details"] == {"balance": expected_balance}
    (created,) = events(server, project, "voucher.gift.transaction.created")
    assert gift_errors("voucher.gift.transaction.created", created) == []
    assert created["transaction"] == transaction
    assert created["balance"] == expected_balance
    assert (created["holder"], created["order"], created["redemption"], created["rollback"]) == (
        None,
        None,
        None,
        None,
    )
    assert events(server, project, "customer.voucher.gift.balance_added") == []


def test_removal_lowers_total_and_counts_subtracted(
    server: RunningServer, project: Project, http: httpx.Client
) -> None:
    """-2000 on a 5000 card: balance and total 3000, only a transaction event."""
    card = gift_card(http)
    reply = http.post("/v1/vouchers/GIFT-1/balance", json={"amount": -2000, "reason": "fraud"})
    assert reply.status_code == 200, reply.text
    assert reply.json()["amount"] == -2000
    assert (reply.json()["total"], reply.json()["balance"]) == (3000, 3000)
    gift = http.get(f"/v1/vouchers/{card['id']}").json()["gift"]
    assert (gift["amount"], gift["balance"]) == (3000, 3000)
    assert events(server, project, "voucher.gift.balance_added") == []
    (created,) = events(server, project, "voucher.gift.transaction.created")
    assert gift_errors("voucher.gift.transaction.created", created) == []
    assert created["transaction"]["type"] == "CREDITS_REMOVAL"
    assert created["transaction"]["details"]["balance"]["amount"] == -2000
    assert created["balance"]["balance"] == 3000


def test_holder_gets_customer_event(
    server: RunningServer, project: Project, http: httpx.Client
) -> None:
    """A card with a holder also emits customer.voucher.gift.balance_added and names the holder."""
    gift_card(http)
    holder_id = give_holder(server, project, http, "GIFT-1")
    http.post("/v1/vouchers/GIFT-1/balance", json={"amount": 300})
    (customer_event,) = events(server, project, "customer.voucher.gift.balance_added")
    assert gift_errors("customer.voucher.gift.balance_added", customer_event) == []
    assert customer_event["customer"]["id"] == holder_id
    assert customer_event["balance"]["balance"] == 5300
    (created,) = events(server, project, "voucher.gift.transaction.created")
    assert created["holder"] == {
        "id": holder_id,
        "source_id": "holder-1",
        "name": "Ada",
        "metadata": {},
        "object": "customer",
    }
    assert created["voucher"]["holder_id"] == holder_id


@pytest.mark.parametrize(
    ("body", "key"),
    [
        ({"amount": -5001}, "invalid_add_balance_params"),
        ({"amount": 0}, "invalid_payload"),
        ({"amount": 12.5}, "invalid_payload"),
        ({"amount": "100"}, "invalid_payload"),
        ({}, "invalid_payload"),
        ({"amount": 10**13}, "invalid_payload"),
    ],
)
def test_bad_adjustments_change_nothing(
    server: RunningServer, project: Project, http: httpx.Client, body: dict[str, Any], key: str
) -> None:
    """Overdraft, zero, fraction, string, none, huge: 400, card and ledger unchanged."""
    gift_card(http)
    reply = http.post("/v1/vouchers/GIFT-1/balance", json=body)
    assert (reply.status_code, reply.json()["key"]) == (400, key)
    assert http.get("/v1/vouchers/GIFT-1").json()["gift"]["balance"] == 5000
    assert http.get("/v1/vouchers/GIFT-1/transactions").json()["data"] == []
    assert events(server, project, "voucher.gift.transaction.created") == []


def test_non_gift_and_unknown_vouchers(http: httpx.Client) -> None:
    """A discount voucher has no balance (400); an unknown code is 404."""
    http.post(
        "/v1/vouchers/TENOFF",
        json={"type": "DISCOUNT_VOUCHER", "discount": {"type": "AMOUNT", "amount_off": 1000}},
    )
    reply = http.post("/v1/vouchers/TENOFF/balance", json={"amount": 100})
    assert (reply.status_code, reply.json()["key"]) == (400, "invalid_voucher_type")
    missing = http.post("/v1/vouchers/NOPE/balance", json={"amount": 100})
    assert (missing.status_code, missing.json()["key"]) == (404, "not_found")


def test_idempotency_key_replays_and_rejects_other_bodies(http: httpx.Client) -> None:
    """Same key and body: the stored response, applied once; same key, other body: 409."""
    gift_card(http)
    headers = {"Idempotency-Key": "topup-1"}
    first = http.post("/v1/vouchers/GIFT-1/balance", json={"amount": 700}, headers=headers)
    again = http.post("/v1/vouchers/GIFT-1/balance", json={"amount": 700}, headers=headers)
    assert first.status_code == again.status_code == 200
    assert first.json() == again.json()
    assert first.json()["balance"] == 5700
    other = http.post("/v1/vouchers/GIFT-1/balance", json={"amount": 800}, headers=headers)
    assert (other.status_code, other.json()["key"]) == (409, "idempotency_key_reused")
    assert http.get("/v1/vouchers/GIFT-1").json()["gift"]["balance"] == 5700
    assert len(http.get("/v1/vouchers/GIFT-1/transactions").json()["data"]) == 1


def test_transactions_are_paged_newest_first(http: httpx.Client) -> None:
    """Five changes, pages of two: newest first, has_more and more_starting_after chain."""
    gift_card(http)
    for amount in (100, 200, -50, 300, -25):
        assert http.post("/v1/vouchers/GIFT-1/balance", json={"amount": amount}).status_code == 200
    seen: list[int] = []
    after: str | None = None
    while True:
        params: dict[str, Any] = {"limit": 2}
        if after:
            params["starting_after_id"] = after
        page = http.get("/v1/vouchers/GIFT-1/transactions", params=params).json()
        assert (page["object"], page["data_ref"]) == ("list", "data")
        seen += [row["details"]["balance"]["amount"] for row in page["data"]]
        if not page["has_more"]:
            break
        after = page["more_starting_after"]
        assert after == page["data"][-1]["id"]
    assert seen == [-25, 300, -50, 200, 100]
    oldest = http.get("/v1/vouchers/GIFT-1/transactions", params={"order": "id"}).json()
    assert [row["details"]["balance"]["balance"] for row in oldest["data"]] == [
        5100,
        5300,
        5250,
        5550,
        5525,
    ]
    bad = http.get("/v1/vouchers/GIFT-1/transactions", params={"limit": 0})
    assert (bad.status_code, bad.json()["key"]) == (400, "invalid_query_params")


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    """A loopback receiver recording every webhook."""
    with running_receiver() as running:
        yield running


def test_balance_added_is_delivered_signed(
    server: RunningServer, project: Project, http: httpx.Client, receiver: Receiver
) -> None:
    """A project webhook receives voucher.gift.balance_added with the exact numbers, signed."""
    with httpx.Client(base_url=server.base_url, headers=server.management_headers) as client:
        hook = client.post(
            f"/management/v1/projects/{project.id}/webhooks",
            json={"target_url": receiver.url + "/gift", "events": ["voucher.gift.balance_added"]},
        )
    assert hook.status_code == 200, hook.text
    card = gift_card(http, amount=16200)
    http.post("/v1/vouchers/GIFT-1/balance", json={"amount": -4700})
    http.post("/v1/vouchers/GIFT-1/balance", json={"amount": 1200})
    (got,) = receiver.wait_count(1)
    payload = got.json()
    assert project_envelope_errors(payload) == []
    assert gift_errors("voucher.gift.balance_added", payload["data"]) == []
    assert payload["type"] == "voucher.gift.balance_added"
    assert payload["data"]["balance"]["amount"] == 1200
    assert payload["data"]["balance"]["total"] == 12700
    assert payload["data"]["balance"]["balance"] == 12700
    assert payload["data"]["voucher"]["id"] == card["id"]
    assert payload["data"]["voucher"]["gift"] == {
        "amount": 12700,
        "balance": 12700,
        "effect": "APPLY_TO_ORDER",
    }
    assert verify_voucherify(got.body, project.webhook_token, got.headers["x-voucherify-signature"])
    assert verify_standard(got.headers, got.body, project.webhook_token)
