"""``GET /v1/customers/{customerId}/redeemables``: the vouchers a customer holds."""

from __future__ import annotations

import httpx
import voucherify
from voucherify.api.customers_api import CustomersApi

from tests.api.loyalty_helpers import join, ok, programme
from tests.api.redemption_helpers import discount_voucher, gift_voucher


def publish(http: httpx.Client, code: str, source_id: str = "pat") -> None:
    """Publish the voucher ``code`` to the customer ``source_id``."""
    body = {"voucher": code, "customer": {"source_id": source_id}}
    ok(http.post("/v1/publications", json=body))


def test_customer_redeemables(sdk: voucherify.ApiClient, http: httpx.Client) -> None:
    """Held coupons, gift cards and loyalty cards with their status; paging; filters; SDK."""
    discount_voucher(http, "COUPON", {"type": "AMOUNT", "amount_off": 100})
    gift_voucher(http, "EMPTY", 0)
    discount_voucher(http, "OFF", {"type": "AMOUNT", "amount_off": 100})
    discount_voucher(http, "NOT-MINE", {"type": "AMOUNT", "amount_off": 100})
    for code in ("COUPON", "EMPTY", "OFF"):
        publish(http, code)
    publish(http, "NOT-MINE", "someone-else")
    ok(http.post("/v1/vouchers/OFF/disable"))
    club = programme(http)
    card = join(http, club["id"], "pat")
    customer = ok(http.get("/v1/customers/pat"))
    listed = ok(http.get("/v1/customers/pat/redeemables", params={"limit": 100}))
    assert (listed["object"], listed["total"], listed["has_more"]) == ("list", 4, False)
    by_code = {
        item["redeemable"]["voucher"]["code"]: (
            item["voucher_type"],
            item["redeemable"]["status"],
            item["holder_role"],
            item["customer_id"],
        )
        for item in listed["data"]
    }
    assert by_code == {
        "COUPON": ("DISCOUNT_VOUCHER", "ACTIVE", "OWNER", customer["id"]),
        "EMPTY": ("GIFT_VOUCHER", "NO_BALANCE", "OWNER", customer["id"]),
        "OFF": ("DISCOUNT_VOUCHER", "DISABLED", "OWNER", customer["id"]),
        card["code"]: ("LOYALTY_CARD", "ACTIVE", "OWNER", customer["id"]),
    }
    ids = [item["id"] for item in listed["data"]]
    assert ids == sorted(ids)
    first = ok(http.get(f"/v1/customers/{customer['id']}/redeemables", params={"limit": 3}))
    assert (first["has_more"], first["more_starting_after"]) == (True, ids[2])
    rest = ok(http.get("/v1/customers/pat/redeemables", params={"starting_after_id": ids[2]}))
    assert [item["id"] for item in rest["data"]] == ids[3:]
    newest = ok(http.get("/v1/customers/pat/redeemables", params={"order": "-id", "limit": 1}))
    assert [item["id"] for item in newest["data"]] == ids[-1:]
    cards = ok(
        http.get(
            "/v1/customers/pat/redeemables",
            params={"filters[voucher_type][conditions][$is]": "LOYALTY_CARD"},
        )
    )
    assert [(i["campaign_id"], i["campaign_type"]) for i in cards["data"]] == [
        (club["id"], "LOYALTY_PROGRAM")
    ]
    parsed = CustomersApi(sdk).list_customer_redeemables("pat", limit=10)
    assert sorted(item.id for item in parsed.data) == ids
    assert http.get("/v1/customers/nobody/redeemables").status_code == 404
