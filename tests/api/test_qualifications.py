"""``POST /v1/qualifications``: only vouchers that would validate, by scenario, paged."""

from __future__ import annotations

import httpx

from openvoucher.catalog import vouchers
from tests.api.redemption_helpers import discount_voucher, gift_voucher
from tests.support.server import Project, RunningServer

AMOUNT = {"type": "AMOUNT", "amount_off": 500}


def _codes(body: dict[str, object]) -> list[str]:
    data = body["redeemables"]["data"]  # type: ignore[index]
    return [entry["id"] for entry in data]  # type: ignore[union-attr]


def test_only_usable_vouchers_qualify(http: httpx.Client) -> None:
    """Disabled, used-up and empty vouchers are left out; the rest come with their result."""
    discount_voucher(http, "GOOD", AMOUNT)
    discount_voucher(http, "OFF", AMOUNT, active=False)
    discount_voucher(http, "USED", AMOUNT, redemption={"quantity": 1})
    http.post("/v1/redemptions", json={"redeemables": [{"id": "USED"}], "order": {"amount": 900}})
    gift_voucher(http, "EMPTY", 0)
    gift_voucher(http, "CARD", 3000)
    body = http.post("/v1/qualifications", json={"order": {"amount": 2000}}).json()
    assert sorted(_codes(body)) == ["CARD", "GOOD"]
    card = next(e for e in body["redeemables"]["data"] if e["id"] == "CARD")
    assert card["result"]["gift"]["credits"] == 2000
    assert card["order"]["total_amount"] == 0
    assert body["order"]["amount"] == 2000


def test_wallet_scenario_and_paging(
    server: RunningServer, project: Project, http: httpx.Client
) -> None:
    """CUSTOMER_WALLET returns the customer's vouchers only; limit and starting_after (the
    created_at of the last entry, a date-time as the spec says) page."""
    customer = http.post("/v1/customers", json={"source_id": "w"}).json()
    for code in ("W1", "W2", "W3"):
        discount_voucher(http, code, AMOUNT)
        with server.container.uow.write(project.id) as tx:
            vouchers.set_holder(tx, vouchers.require(tx, code), customer["id"])
    discount_voucher(http, "PUBLIC", AMOUNT)
    request = {"customer": {"id": customer["id"]}, "scenario": "CUSTOMER_WALLET"}
    first = http.post("/v1/qualifications", json={**request, "options": {"limit": 2}}).json()
    assert len(_codes(first)) == 2
    assert first["redeemables"]["has_more"] is True
    after = first["redeemables"]["more_starting_after"]
    rest = http.post(
        "/v1/qualifications", json={**request, "options": {"limit": 2, "starting_after": after}}
    ).json()
    assert sorted(_codes(first) + _codes(rest)) == ["W1", "W2", "W3"]
    assert rest["redeemables"]["has_more"] is False
    assert after == first["redeemables"]["data"][-1]["created_at"]
    bad = http.post("/v1/qualifications", json={**request, "options": {"starting_after": "W1"}})
    assert (bad.status_code, bad.json()["key"]) == (400, "invalid_payload")
    null = {**request, "options": {"limit": 2, "starting_after": "null"}}
    assert _codes(http.post("/v1/qualifications", json=null).json()) == _codes(first)
    public = http.post("/v1/qualifications", json={"scenario": "AUDIENCE_ONLY"}).json()
    assert _codes(public) == ["PUBLIC"]


def test_unpublished_campaign_codes_show_as_their_campaign(http: httpx.Client) -> None:
    """A campaign's codes no one holds come back as one ``campaign`` entry (its id and name,
    no campaign_id); a code published to the customer stays a ``voucher``; the resource_type
    filter tells them apart (spec QualificationsOption.filters.resource_type)."""
    made = http.post(
        "/v1/campaigns",
        json={
            "name": "Bosch 10",
            "campaign_type": "DISCOUNT_COUPONS",
            "vouchers_count": 3,
            "voucher": {"type": "DISCOUNT_VOUCHER", "discount": AMOUNT},
        },
    )
    assert made.status_code == 200, made.text
    campaign = made.json()
    published = http.post(
        "/v1/publications",
        json={"customer": {"source_id": "john"}, "campaign": {"name": "Bosch 10"}},
    )
    assert published.status_code == 200, published.text
    code = published.json()["voucher"]["code"]
    ask = {"customer": {"source_id": "john"}, "order": {"amount": 2000}}
    data = http.post("/v1/qualifications", json=ask).json()["redeemables"]["data"]
    assert sorted((e["object"], e["id"]) for e in data) == [
        ("campaign", campaign["id"]),
        ("voucher", code),
    ]
    shown = next(e for e in data if e["object"] == "campaign")
    assert shown["name"] == "Bosch 10"
    assert "campaign_id" not in shown
    assert shown["result"]["discount"]["amount_off"] == 500
    only = {"filters": {"resource_type": {"conditions": {"$in": ["campaign"]}}}}
    data = http.post("/v1/qualifications", json={**ask, "options": only}).json()
    assert _codes(data) == [campaign["id"]]
