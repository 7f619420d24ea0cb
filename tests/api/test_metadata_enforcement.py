"""Metadata schemas enforced where metadata is written: 400 and nothing stored."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
import voucherify
from voucherify.api.customers_api import CustomersApi
from voucherify.models.customers_create_request_body import CustomersCreateRequestBody

from tests.api.catalog_helpers import event_types, wait_for_action
from tests.api.promotion_helpers import promotion, tier, tier_ids
from tests.support.server import Project, RunningServer


def define(server: RunningServer, project: Project, related: str, **schema: Any) -> None:
    """Store a metadata schema for ``related`` through the management API."""
    with httpx.Client(base_url=server.base_url, headers=server.management_headers) as management:
        created = management.post(
            f"/management/v1/projects/{project.id}/metadata-schemas",
            json={"related_object": related, **schema},
        )
    assert created.status_code == 200, created.text


def refused(response: httpx.Response, *details: str) -> None:
    """A Voucherify-style 400 whose details name every given problem."""
    assert response.status_code == 400, response.text
    body = response.json()
    assert (body["code"], body["key"], body["message"]) == (
        400,
        "invalid_payload",
        "Invalid metadata",
    )
    for detail in details:
        assert detail in body["details"]
    assert body["request_id"]


CUSTOMER_SCHEMA = {
    "allow_defined_only": True,
    "properties": {
        "tier": {"type": "string", "eq": ["gold", "silver"], "optional": False},
        "age": {"type": "number", "gte": 18},
        "address": {"type": "object", "object_type": "address"},
    },
}


def test_customer_metadata_is_checked_on_create_and_update(
    server: RunningServer, project: Project, http: httpx.Client
) -> None:
    """Create and update refuse bad metadata (type, value, required, undefined, nested)."""
    define(server, project, "address", properties={"zip": {"type": "string", "exact_length": 5}})
    define(server, project, "customer", **CUSTOMER_SCHEMA)
    refused(
        http.post("/v1/customers", json={"source_id": "c1", "metadata": {"age": "20", "x": 1}}),
        "metadata.tier is required",
        "metadata.age must be a number",
        "metadata.x is not defined in the metadata schema",
    )
    assert http.get("/v1/customers").json()["total"] == 0
    good = {"tier": "gold", "age": 30, "address": {"zip": "12345"}}
    created = http.post("/v1/customers", json={"source_id": "c1", "metadata": good})
    assert created.status_code == 200, created.text
    bad = {"tier": "gold", "address": {"zip": "1"}}
    refused(
        http.put("/v1/customers/c1", json={"metadata": bad}),
        "metadata.address.zip must be exactly 5 characters long",
    )
    assert http.put("/v1/customers/c1", json={"name": "No metadata"}).status_code == 200
    assert http.get("/v1/customers/c1").json()["metadata"] == good
    assert event_types(server, project).count("customer.updated") == 1


def test_sdk_parses_customers_that_follow_the_schema(
    server: RunningServer, project: Project, sdk: voucherify.ApiClient
) -> None:
    """The official SDK creates a customer with valid metadata; invalid raises a 400."""
    define(server, project, "customer", **CUSTOMER_SCHEMA)
    api = CustomersApi(sdk)
    made = api.create_customer(
        CustomersCreateRequestBody(source_id="c2", metadata={"tier": "silver"})
    )
    assert made.metadata == {"tier": "silver"}
    with pytest.raises(voucherify.ApiException) as caught:
        api.create_customer(CustomersCreateRequestBody(source_id="c3", metadata={"tier": "x"}))
    assert caught.value.status == 400


@pytest.mark.parametrize(
    ("related", "path", "body"),
    [
        ("product", "/v1/products", {"name": "P"}),
        (
            "voucher",
            "/v1/vouchers",
            {"type": "DISCOUNT_VOUCHER", "discount": {"type": "AMOUNT", "amount_off": 100}},
        ),
        (
            "campaign",
            "/v1/campaigns",
            {
                "name": "C",
                "campaign_type": "DISCOUNT_COUPONS",
                "voucher": {
                    "type": "DISCOUNT_VOUCHER",
                    "discount": {"type": "AMOUNT", "amount_off": 100},
                },
            },
        ),
        ("order", "/v1/orders", {"amount": 1000}),
        (
            "reward",
            "/v1/rewards",
            {"name": "R", "parameters": {"coin": {"exchange_ratio": 1, "points_ratio": 10}}},
        ),
    ],
)
def test_other_resources_refuse_bad_metadata(
    server: RunningServer,
    project: Project,
    http: httpx.Client,
    related: str,
    path: str,
    body: dict[str, Any],
) -> None:
    """Products, vouchers, campaigns, orders and rewards follow their own schema."""
    define(server, project, related, properties={"level": {"type": "number", "lte": 3}})
    refused(http.post(path, json={**body, "metadata": {"level": 4}}), "metadata.level")
    assert http.post(path, json={**body, "metadata": {"level": 3}}).status_code == 200


def test_order_items_and_redemptions_follow_their_schemas(
    server: RunningServer, project: Project, http: httpx.Client
) -> None:
    """Order items use ``order_item``, redemptions ``redemption``; a refusal stores nothing."""
    define(server, project, "order_item", properties={"gift": {"type": "boolean"}})
    define(
        server, project, "redemption", properties={"channel": {"type": "string", "optional": False}}
    )
    item = {"product_id": "p", "quantity": 1, "price": 100, "metadata": {"gift": "yes"}}
    refused(http.post("/v1/orders", json={"items": [item]}), "metadata.gift must be a boolean")
    voucher = http.post(
        "/v1/vouchers/SAVE10",
        json={"type": "DISCOUNT_VOUCHER", "discount": {"type": "AMOUNT", "amount_off": 10}},
    )
    assert voucher.status_code == 200, voucher.text
    stack = {
        "redeemables": [{"object": "voucher", "id": "SAVE10"}],
        "order": {"amount": 1000},
    }
    refused(http.post("/v1/redemptions", json=stack), "metadata.channel is required")
    assert http.get("/v1/redemptions").json()["total"] == 0
    done = http.post("/v1/redemptions", json={**stack, "metadata": {"channel": "web"}})
    assert done.status_code == 200, done.text


def test_publications_tiers_and_earning_rules_follow_their_schemas(
    server: RunningServer, project: Project, http: httpx.Client
) -> None:
    """Publications, loyalty tiers and earning rules check metadata; other changes do not."""
    for related in ("publication", "loyalty_tier", "earning_rule"):
        define(server, project, related, properties={"team": {"type": "string", "eq": ["a"]}})
    voucher = {"type": "DISCOUNT_VOUCHER", "discount": {"type": "AMOUNT", "amount_off": 10}}
    assert http.post("/v1/vouchers/PUB-M", json=voucher).status_code == 200
    publish = {"voucher": "PUB-M", "customer": {"source_id": "p"}, "metadata": {"team": "b"}}
    refused(http.post("/v1/publications", json=publish), "metadata.team must be one of a")
    assert http.get("/v1/vouchers/PUB-M").json()["holder_id"] is None
    published = http.post("/v1/publications", json={**publish, "metadata": {"team": "a"}})
    assert published.status_code == 200, published.text
    club = http.post(
        "/v1/loyalties",
        json={"name": "Club", "voucher": {"type": "LOYALTY_CARD", "loyalty_card": {"points": 0}}},
    ).json()
    tiers = f"/v1/loyalties/{club['id']}/tiers"
    tier = {"name": "Base", "points": {"from": 0}, "metadata": {"team": "b"}}
    refused(http.post(tiers, json=[tier]), "metadata.team")
    made = http.post(tiers, json=[{**tier, "metadata": {"team": "a"}}])
    assert made.status_code == 200, made.text
    renamed = http.put(f"{tiers}/{made.json()[0]['id']}", json={"name": "Gold"})
    assert renamed.status_code == 200, renamed.text
    rules = f"/v1/loyalties/{club['id']}/earning-rules"
    rule = {
        "event": "order.paid",
        "loyalty": {"type": "FIXED", "points": 5},
        "metadata": {"team": 1},
    }
    refused(http.post(rules, json=[rule]), "metadata.team must be a string")
    assert http.post(rules, json=[{**rule, "metadata": {}}]).status_code == 200


def test_voucher_imports_and_campaign_vouchers_follow_the_voucher_schema(
    server: RunningServer, project: Project, http: httpx.Client
) -> None:
    """Imports report metadata the schema refuses as a failed row (CSV text typed first);
    vouchers added to a campaign with metadata are checked too."""
    define(server, project, "voucher", properties={"Zone": {"type": "number", "lte": 9}})
    text = (
        "Code,Voucher Type,Value,Discount Type,Zone\n"
        "IMP-OK,DISCOUNT_VOUCHER,100,AMOUNT,7\n"
        "IMP-BAD,DISCOUNT_VOUCHER,100,AMOUNT,12\n"
    )
    queued = http.post("/v1/vouchers/importCSV", files={"file": ("v.csv", text.encode())})
    assert queued.status_code == 202, queued.text
    result = wait_for_action(http, queued.json()["async_action_id"])["result"]
    assert (result["done_count"], result["failed_count"]) == (1, 1)
    failure = result["failed"][0]
    assert (failure["code"], failure["field"]) == ("IMP-BAD", "metadata")
    assert failure["reason"] == "metadata.Zone must be less than or equal to 9"
    assert http.get("/v1/vouchers/IMP-OK").json()["metadata"] == {"Zone": 7}
    campaign = http.post(
        "/v1/campaigns",
        json={
            "name": "Zoned",
            "campaign_type": "DISCOUNT_COUPONS",
            "voucher": {
                "type": "DISCOUNT_VOUCHER",
                "discount": {"type": "AMOUNT", "amount_off": 1},
            },
        },
    ).json()
    added = http.post(
        f"/v1/campaigns/{campaign['id']}/vouchers/Z-1", json={"metadata": {"Zone": 10}}
    )
    refused(added, "metadata.Zone")
    assert http.get("/v1/vouchers/Z-1").status_code == 404


def test_promotion_tier_metadata_is_checked(
    server: RunningServer, project: Project, http: httpx.Client
) -> None:
    """Adding or updating a promotion tier refuses metadata that breaks its schema."""
    define(server, project, "promotion_tier", properties={"slot": {"type": "number"}})
    off = {"type": "AMOUNT", "amount_off": 100}
    campaign = promotion(http, "Spring", tier("Ten off", off, metadata={"slot": 1}))
    (tier_id,) = tier_ids(campaign)
    refused(
        http.post(
            f"/v1/promotions/{campaign['id']}/tiers",
            json={"name": "Bad", "action": {"discount": off}, "metadata": {"slot": "x"}},
        ),
        "metadata.slot must be a number",
    )
    refused(
        http.put(f"/v1/promotions/tiers/{tier_id}", json={"metadata": {"slot": "y"}}),
        "metadata.slot must be a number",
    )
    assert http.get(f"/v1/promotions/tiers/{tier_id}").json()["metadata"] == {"slot": 1}
    assert len(http.get(f"/v1/promotions/{campaign['id']}/tiers").json()["tiers"]) == 1
