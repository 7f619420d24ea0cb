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
