"""Re-importing standalone codes by CSV updates them.

Spec ``POST /v1/vouchers/importCSV``: "You cannot import the same codes to a single Voucherify
project. You can, however, upload the same codes to update them."
"""

from __future__ import annotations

from typing import Any

import httpx

from tests.api.catalog_helpers import discount_campaign, wait_for_action
from tests.api.redemption_helpers import discount_voucher, gift_voucher


def _import(http: httpx.Client, text: str) -> dict[str, Any]:
    files = {"file": ("vouchers.csv", text.encode(), "text/csv")}
    reply = http.post("/v1/vouchers/importCSV", files=files)
    assert reply.status_code == 202, reply.text
    result: dict[str, Any] = wait_for_action(http, reply.json()["async_action_id"])["result"]
    return result


def test_same_codes_update_their_vouchers(http: httpx.Client) -> None:
    """Non-empty cells replace the voucher's value, dates, limit, active flag and metadata
    keys; empty cells keep what it had; a gift card keeps what was spent of it."""
    discount_voucher(
        http,
        "SAVE",
        {"type": "AMOUNT", "amount_off": 500},
        redemption={"quantity": 3},
        metadata={"source": "web", "keep": "yes"},
    )
    gift_voucher(http, "CARD", 5000)
    paid = {"redeemables": [{"id": "CARD", "gift": {"credits": 1200}}], "order": {"amount": 1200}}
    assert http.post("/v1/redemptions", json=paid).status_code == 200
    text = (
        "Code,Voucher Type,Value,Discount Type,Expiration Date,Redemption Limit,Active,source\n"
        "SAVE,DISCOUNT_VOUCHER,15,PERCENT,2040-01-01T00:00:00Z,,false,shop\n"
        "CARD,GIFT_VOUCHER,8000,,,10,,\n"
        "NEW-1,DISCOUNT_VOUCHER,100,AMOUNT,,,,\n"
    )
    result = _import(http, text)
    assert (result["done_count"], result["failed_count"]) == (3, 0)
    save = http.get("/v1/vouchers/SAVE").json()
    assert save["discount"]["type"] == "PERCENT"
    assert save["discount"]["percent_off"] == 15
    assert save["expiration_date"].startswith("2040-01-01T00:00:00")
    assert save["redemption"]["quantity"] == 3
    assert save["active"] is False
    assert save["metadata"] == {"source": "shop", "keep": "yes"}
    card = http.get("/v1/vouchers/CARD").json()
    assert (card["gift"]["amount"], card["gift"]["balance"]) == (8000, 6800)
    assert card["redemption"]["quantity"] == 10
    assert http.get("/v1/vouchers/NEW-1").status_code == 200
    assert http.get("/v1/vouchers").json()["total"] == 3


def test_rows_that_cannot_update_fail_alone(http: httpx.Client) -> None:
    """Changing a voucher's type, or re-importing a campaign's code as standalone, fails that
    row and changes nothing; the other rows are imported."""
    gift_voucher(http, "GIFTY", 1000)
    campaign = discount_campaign(http, "Owned", vouchers_count=1)
    owned = http.get("/v1/vouchers", params={"campaign_id": campaign["id"]}).json()["vouchers"]
    code = owned[0]["code"]
    text = (
        "Code,Voucher Type,Value,Discount Type\n"
        "GIFTY,DISCOUNT_VOUCHER,10,PERCENT\n"
        f"{code},DISCOUNT_VOUCHER,10,PERCENT\n"
        "FRESH,GIFT_VOUCHER,100,\n"
    )
    result = _import(http, text)
    assert (result["done_count"], result["failed_count"]) == (1, 2)
    reasons = {f["code"]: (f["field"], f["reason"]) for f in result["failed"]}
    assert reasons["GIFTY"][0] == "Voucher Type"
    assert "cannot change" in reasons["GIFTY"][1]
    assert "belongs to a campaign" in reasons[code][1]
    assert http.get("/v1/vouchers/GIFTY").json()["type"] == "GIFT_VOUCHER"
