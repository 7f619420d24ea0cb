"""Product collections (STATIC and AUTO_UPDATE) through HTTP and the official SDK, and
``applicable_to``/``inapplicable_to`` entries that name them."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
import voucherify
from voucherify.api.product_collections_api import ProductCollectionsApi
from voucherify.api.validations_api import ValidationsApi
from voucherify.exceptions import NotFoundException
from voucherify.models.product_collections_create_request_body import (
    ProductCollectionsCreateRequestBody,
)
from voucherify.models.validations_validate_request_body import ValidationsValidateRequestBody

from tests.api.redemption_helpers import discount_voucher, voucher_ref

SHIRTS_OVER_30 = {
    "junction": "and",
    "metadata.kind": {"conditions": {"$is": ["shirt"]}},
    "price": {"conditions": {"$more_than": [3000]}},
}


def _catalog(http: httpx.Client) -> dict[str, str]:
    """Red (2900) and blue (3100) shirts, a mug (1700) with a SKU mug-1 (1500)."""
    ids = {}
    for source, price, kind in (
        ("red", 2900, "shirt"),
        ("blue", 3100, "shirt"),
        ("mug", 1700, "mug"),
    ):
        body = {"source_id": source, "name": source, "price": price, "metadata": {"kind": kind}}
        reply = http.post("/v1/products", json=body)
        assert reply.status_code == 200, reply.text
        ids[source] = reply.json()["id"]
    sku = http.post(
        f"/v1/products/{ids['mug']}/skus", json={"source_id": "mug-1", "sku": "Mug", "price": 1500}
    )
    assert sku.status_code == 200, sku.text
    ids["mug-1"] = sku.json()["id"]
    return ids


def _static(http: httpx.Client, ids: dict[str, str]) -> dict[str, Any]:
    members = [
        {"id": ids["red"], "object": "product"},
        {"id": ids["mug-1"], "object": "sku", "product_id": ids["mug"]},
    ]
    reply = http.post(
        "/v1/product-collections",
        json={"type": "STATIC", "name": "Red and mugs", "products": members},
    )
    assert reply.status_code == 200, reply.text
    created: dict[str, Any] = reply.json()
    return created


def _auto(http: httpx.Client) -> dict[str, Any]:
    body = {"type": "AUTO_UPDATE", "name": "Dear shirts", "filter": SHIRTS_OVER_30}
    reply = http.post("/v1/product-collections", json=body)
    assert reply.status_code == 200, reply.text
    created: dict[str, Any] = reply.json()
    return created


def test_sdk_static_collection_lifecycle(sdk: voucherify.ApiClient, http: httpx.Client) -> None:
    """Create, get, list, list products and delete a STATIC collection with the SDK."""
    ids = _catalog(http)
    api = ProductCollectionsApi(sdk)
    members = [
        {"id": ids["red"], "object": "product"},
        {"id": ids["mug-1"], "object": "sku", "product_id": ids["mug"]},
    ]
    created = api.create_product_collection(
        ProductCollectionsCreateRequestBody.from_dict(
            {"type": "STATIC", "name": "Red and mugs", "products": members}
        )
    )
    assert created.id.startswith("pc_")
    assert (created.type, created.object, created.name) == (
        "STATIC",
        "products_collection",
        "Red and mugs",
    )
    assert [(p.id, p.object, p.product_id) for p in created.products] == [
        (ids["red"], "product", None),
        (ids["mug-1"], "sku", ids["mug"]),
    ]
    assert api.get_product_collection(created.id).products[1].id == ids["mug-1"]
    _auto(http)
    listed = api.list_product_collections()
    assert listed.total == 2
    assert [c.type for c in listed.data] == ["AUTO_UPDATE", "STATIC"]
    found = api.list_products_in_collection(created.id)
    assert found.total == 2
    product, sku = found.data
    assert (product.id, product.object, product.price) == (ids["red"], "product", 2900)
    assert (sku.id, sku.object, sku.price, sku.product_id) == (
        ids["mug-1"],
        "sku",
        1500,
        ids["mug"],
    )
    assert sku.product.name == "mug"
    api.delete_product_collection(created.id)
    with pytest.raises(NotFoundException) as raised:
        api.get_product_collection(created.id)
    assert raised.value.status == 404


def test_auto_update_collection_follows_its_filter(http: httpx.Client) -> None:
    """An AUTO_UPDATE collection lists the products meeting its filter, now and later."""
    ids = _catalog(http)
    created = _auto(http)
    assert created["filter"] == SHIRTS_OVER_30
    assert "products" not in created
    listed = http.get(f"/v1/product-collections/{created['id']}/products").json()
    assert (listed["total"], [p["id"] for p in listed["data"]]) == (1, [ids["blue"]])
    http.put(f"/v1/products/{ids['red']}", json={"price": 3500})
    listed = http.get(f"/v1/product-collections/{created['id']}/products?order=created_at").json()
    assert [p["id"] for p in listed["data"]] == [ids["red"], ids["blue"]]


def test_static_members_follow_deletions(http: httpx.Client) -> None:
    """Deleting a product takes it out of STATIC collections."""
    ids = _catalog(http)
    created = _static(http, ids)
    assert http.delete(f"/v1/products/{ids['red']}").status_code == 204
    fetched = http.get(f"/v1/product-collections/{created['id']}").json()
    assert [p["id"] for p in fetched["products"]] == [ids["mug-1"]]
    listed = http.get(f"/v1/product-collections/{created['id']}/products").json()
    assert listed["total"] == 1


def test_bad_collections_are_refused(http: httpx.Client) -> None:
    """Unknown products are 404; filters on unknown fields or AUTO_UPDATE without one are 400."""
    ids = _catalog(http)
    unknown = http.post(
        "/v1/product-collections",
        json={"name": "x", "products": [{"id": "prod_nope", "object": "product"}]},
    )
    assert (unknown.status_code, unknown.json()["key"]) == (404, "not_found")
    wrong_parent = http.post(
        "/v1/product-collections",
        json={
            "name": "x",
            "products": [{"id": ids["mug-1"], "object": "sku", "product_id": ids["red"]}],
        },
    )
    assert wrong_parent.status_code == 404
    bad_filter = {"junction": "and", "colour": {"conditions": {"$is": ["red"]}}}
    reply = http.post(
        "/v1/product-collections", json={"type": "AUTO_UPDATE", "name": "x", "filter": bad_filter}
    )
    assert (reply.status_code, reply.json()["key"]) == (400, "invalid_payload")
    reply = http.post("/v1/product-collections", json={"type": "AUTO_UPDATE", "name": "x"})
    assert reply.status_code == 400
    assert http.get("/v1/product-collections/pc_nope").status_code == 404
    assert http.get("/v1/product-collections").json()["total"] == 0


def _items(ids: dict[str, str]) -> list[dict[str, Any]]:
    """Red named by source id, blue by id, two mugs by SKU id."""
    return [
        {"source_id": "red", "related_object": "product", "quantity": 1, "price": 2900},
        {"product_id": ids["blue"], "quantity": 1, "price": 3100},
        {"sku_id": ids["mug-1"], "quantity": 2, "price": 1500},
    ]


def test_applicable_to_a_static_collection(sdk: voucherify.ApiClient, http: httpx.Client) -> None:
    """Items whose product or SKU is in a STATIC collection get the item discount (SDK too)."""
    ids = _catalog(http)
    created = _static(http, ids)
    target = {"object": "products_collection", "id": created["id"]}
    discount = {"type": "AMOUNT", "amount_off": 500, "effect": "APPLY_TO_ITEMS"}
    discount_voucher(http, "COLL", discount, applicable_to=[target])
    order = {"items": _items(ids)}
    data = http.post(
        "/v1/validations", json={"redeemables": [voucher_ref("COLL")], "order": order}
    ).json()
    assert data["valid"] is True, data
    assert [i["discount_amount"] for i in data["order"]["items"]] == [500, 0, 500]
    assert (data["order"]["items_discount_amount"], data["order"]["total_amount"]) == (1000, 8000)
    assert data["redeemables"][0]["applicable_to"]["data"] == [
        {
            "object": "products_collection",
            "id": created["id"],
            "effect": "APPLY_TO_EVERY",
            "order_item_indices": [0, 2],
        }
    ]
    valid = ValidationsApi(sdk).validate_stacked_discounts(
        ValidationsValidateRequestBody.from_dict(
            {"redeemables": [voucher_ref("COLL")], "order": order}
        )
    )
    entry = valid.redeemables[0].applicable_to.data[0]
    assert (entry.object, entry.id, entry.order_item_indices) == (
        "products_collection",
        created["id"],
        [0, 2],
    )
    assert [i.discount_amount for i in valid.order.items] == [500, 0, 500]


def test_auto_update_collection_in_both_lists(http: httpx.Client) -> None:
    """AUTO_UPDATE collections limit items by their filter, in applicable_to and inapplicable_to."""
    ids = _catalog(http)
    auto = _auto(http)
    static = _static(http, ids)
    ten = {"type": "PERCENT", "percent_off": 10, "effect": "APPLY_TO_ITEMS"}
    discount_voucher(
        http, "DEAR", ten, applicable_to=[{"object": "products_collection", "id": auto["id"]}]
    )
    half = {"type": "PERCENT", "percent_off": 50, "effect": "APPLY_TO_ITEMS"}
    excluded = [{"object": "products_collection", "id": static["id"]}]
    discount_voucher(http, "REST", half, inapplicable_to=excluded)
    order = {"items": _items(ids)}
    refs = [voucher_ref("DEAR"), voucher_ref("REST")]
    data = http.post("/v1/validations", json={"redeemables": refs, "order": order}).json()
    assert data["valid"] is True, data
    # blue: 310 (10 %), then 50 % of the 2790 left = 1395
    assert [i["discount_amount"] for i in data["order"]["items"]] == [0, 1705, 0]
    assert data["redeemables"][1]["inapplicable_to"]["data"][0]["order_item_indices"] == [0, 2]
    only_mugs = {"items": [_items(ids)[2]]}
    data = http.post(
        "/v1/validations", json={"redeemables": [voucher_ref("DEAR")], "order": only_mugs}
    ).json()
    assert data["valid"] is False
    assert data["inapplicable_redeemables"][0]["result"]["error"]["key"] == "order_rules_violated"
