"""The official SDK's ``from_dict`` updates send null for every field not mentioned: those
fields stay as they were (docs/compat/null-policy.md)."""

from __future__ import annotations

from typing import Any

import httpx
import voucherify
from voucherify.api.campaigns_api import CampaignsApi
from voucherify.api.customers_api import CustomersApi
from voucherify.api.orders_api import OrdersApi
from voucherify.api.products_api import ProductsApi
from voucherify.api.vouchers_api import VouchersApi
from voucherify.models.campaigns_update_request_body import CampaignsUpdateRequestBody
from voucherify.models.customers_update_request_body import CustomersUpdateRequestBody
from voucherify.models.orders_update_request_body import OrdersUpdateRequestBody
from voucherify.models.products_update_request_body import ProductsUpdateRequestBody
from voucherify.models.vouchers_update_request_body import VouchersUpdateRequestBody

from tests.api.loyalty_helpers import card, join, ok, order_rule, programme

VOLATILE = {"updated_at", "summary", "loyalty", "assets", "publish", "redemption"}


def unchanged_but(before: dict[str, Any], after: dict[str, Any], *changed: str) -> None:
    """Every field but ``changed`` (and timestamps/derived figures) is as it was."""
    skip = VOLATILE | set(changed)
    assert {k: v for k, v in after.items() if k not in skip} == {
        k: v for k, v in before.items() if k not in skip
    }


def test_sdk_customer_update_keeps_unmentioned_fields(
    sdk: voucherify.ApiClient, http: httpx.Client
) -> None:
    """update_customer(from_dict({"name"})) keeps email, phone, address, metadata, birthdate."""
    body = {
        "source_id": "keep",
        "name": "N1",
        "email": "k@example.com",
        "phone": "+48 500",
        "description": "regular",
        "birthdate": "1990-01-02",
        "address": {"city": "Warsaw", "country": "PL"},
        "metadata": {"tier": "gold"},
    }
    before = ok(http.post("/v1/customers", json=body))
    CustomersApi(sdk).update_customer("keep", CustomersUpdateRequestBody.from_dict({"name": "N2"}))
    after = ok(http.get("/v1/customers/keep"))
    assert after["name"] == "N2"
    unchanged_but(before, after, "name")


def test_sdk_order_update_keeps_items_and_amount(
    sdk: voucherify.ApiClient, http: httpx.Client
) -> None:
    """update_order(from_dict({"status": "PAID"})) keeps items, amount and metadata."""
    body = {
        "source_id": "ord-keep",
        "items": [{"source_id": "sku-1", "quantity": 2, "price": 2500}],
        "metadata": {"channel": "web"},
        "customer": {"source_id": "buyer"},
    }
    before = ok(http.post("/v1/orders", json=body))
    assert before["amount"] == 5000
    OrdersApi(sdk).update_order("ord-keep", OrdersUpdateRequestBody.from_dict({"status": "PAID"}))
    after = ok(http.get("/v1/orders/ord-keep"))
    assert (after["status"], after["amount"]) == ("PAID", 5000)
    unchanged_but(before, after, "status", "customer", "paid_at")


def test_sdk_order_paid_update_earns_as_plain_json_does(
    sdk: voucherify.ApiClient, http: httpx.Client
) -> None:
    """The issue's case: from_dict({"status": "PAID"}) on a 5000 order earns the order.paid
    rule's 50 points, exactly as the same update sent as plain JSON."""
    club = programme(http)
    order_rule(http, club["id"])
    codes = [join(http, club["id"], who)["code"] for who in ("sdk-payer", "json-payer")]
    for who in ("sdk-payer", "json-payer"):
        body = {"source_id": f"ord-{who}", "customer": {"source_id": who}}
        items = [{"source_id": "sku-1", "quantity": 2, "price": 2500}]
        ok(http.post("/v1/orders", json={**body, "items": items}))
    paid = OrdersUpdateRequestBody.from_dict({"status": "PAID"})
    OrdersApi(sdk).update_order("ord-sdk-payer", paid)
    ok(http.put("/v1/orders/ord-json-payer", json={"status": "PAID"}))
    balances = [card(http, code)["loyalty_card"]["balance"] for code in codes]
    assert balances == [50, 50]


def test_sdk_campaign_update_keeps_unmentioned_fields(
    sdk: voucherify.ApiClient, http: httpx.Client
) -> None:
    """update_campaign(from_dict({"description"})) keeps dates, metadata, category, options."""
    body = {
        "name": "Keep",
        "campaign_type": "DISCOUNT_COUPONS",
        "type": "STATIC",
        "start_date": "2026-01-01T00:00:00Z",
        "expiration_date": "2027-01-01T00:00:00Z",
        "metadata": {"region": "EU"},
        "category": "spring",
        "join_once": True,
        "voucher": {"type": "DISCOUNT_VOUCHER", "discount": {"type": "AMOUNT", "amount_off": 100}},
    }
    ok(http.post("/v1/categories", json={"name": "spring", "hierarchy": 1}))
    before = ok(http.post("/v1/campaigns", json=body))
    update = CampaignsUpdateRequestBody.from_dict({"description": "now described"})
    CampaignsApi(sdk).update_campaign(before["id"], update)
    after = ok(http.get(f"/v1/campaigns/{before['id']}"))
    assert after["description"] == "now described"
    unchanged_but(before, after, "description", "vouchers_generation_status")


def test_sdk_voucher_update_keeps_unmentioned_fields(
    sdk: voucherify.ApiClient, http: httpx.Client
) -> None:
    """update_voucher(from_dict({"active": False})) of a gift card keeps its other fields."""
    body = {
        "type": "GIFT_VOUCHER",
        "gift": {"amount": 5000},
        "category": "cards",
        "start_date": "2026-01-01T00:00:00Z",
        "expiration_date": "2027-01-01T00:00:00Z",
        "additional_info": "shelf 3",
        "metadata": {"batch": 7},
    }
    ok(http.post("/v1/categories", json={"name": "cards", "hierarchy": 1}))
    before = ok(http.post("/v1/vouchers/KEEP-GIFT", json=body))
    update = VouchersUpdateRequestBody.from_dict({"active": False})
    VouchersApi(sdk).update_voucher("KEEP-GIFT", update)
    after = ok(http.get("/v1/vouchers/KEEP-GIFT"))
    assert after["active"] is False
    unchanged_but(before, after, "active")


def test_sdk_product_update_keeps_unmentioned_fields(
    sdk: voucherify.ApiClient, http: httpx.Client
) -> None:
    """update_product(from_dict({"name"})) keeps price, attributes, metadata and image."""
    body = {
        "name": "Mug",
        "source_id": "mug-keep",
        "price": 1200,
        "attributes": ["color"],
        "metadata": {"color": "red"},
        "image_url": "https://example.com/mug.png",
    }
    before = ok(http.post("/v1/products", json=body))
    ProductsApi(sdk).update_product(
        "mug-keep", ProductsUpdateRequestBody.from_dict({"name": "Cup"})
    )
    after = ok(http.get("/v1/products/mug-keep"))
    assert after["name"] == "Cup"
    unchanged_but(before, after, "name")
