"""Products and SKUs through HTTP and through the official SDK."""

from __future__ import annotations

from datetime import UTC, datetime

import httpx
import voucherify
from voucherify.api.products_api import ProductsApi
from voucherify.models.products_create_request_body import ProductsCreateRequestBody
from voucherify.models.products_metadata_update_in_bulk_request_body import (
    ProductsMetadataUpdateInBulkRequestBody,
)
from voucherify.models.products_skus_create_request_body import ProductsSkusCreateRequestBody
from voucherify.models.products_skus_update_request_body import ProductsSkusUpdateRequestBody
from voucherify.models.products_update_in_bulk_request_body import (
    ProductsUpdateInBulkRequestBody,
)
from voucherify.models.products_update_request_body import ProductsUpdateRequestBody

from tests.api.catalog_helpers import wait_for_action
from tests.support.server import RunningServer

PHONE = {
    "source_id": "phone-1",
    "name": "Phone",
    "price": 49900,
    "attributes": ["color", "memory"],
    "metadata": {"brand": "Acme"},
    "image_url": "https://example.com/phone.png",
}


def test_sdk_product_and_sku_lifecycle(sdk: voucherify.ApiClient) -> None:
    """The official SDK parses every product and SKU response."""
    api = ProductsApi(sdk)
    created = api.create_product(ProductsCreateRequestBody(**PHONE))
    assert created.id.startswith("prod_")
    assert (created.name, created.price, created.object) == ("Phone", 49900, "product")
    assert created.attributes == ["color", "memory"]
    assert created.skus.total == 0
    sku = api.create_sku(
        created.id,
        ProductsSkusCreateRequestBody(
            source_id="phone-1-red", sku="Red phone", price=51900, attributes={"color": "red"}
        ),
    )
    assert sku.id.startswith("sku_")
    assert (sku.product_id, sku.price, sku.attributes) == (created.id, 51900, {"color": "red"})
    fetched = api.get_product("phone-1")
    assert fetched.skus.total == 1
    assert fetched.skus.data[0].sku == "Red phone"
    assert api.get_sku("phone-1-red").id == sku.id
    updated_sku = api.update_sku(created.id, sku.id, ProductsSkusUpdateRequestBody(price=100))
    assert (updated_sku.price, updated_sku.sku) == (100, "Red phone")
    assert updated_sku.updated_at is not None
    listed_skus = api.list_skus_in_product(created.id)
    assert (listed_skus.total, listed_skus.skus[0].price) == (1, 100)
    updated = api.update_product(created.id, ProductsUpdateRequestBody(name="Phone 2"))
    assert (updated.name, updated.price, updated.metadata) == ("Phone 2", 49900, {"brand": "Acme"})
    listed = api.list_products()
    assert (listed.total, listed.products[0].id) == (1, created.id)
    api.delete_sku(created.id, sku.id)
    assert api.list_skus_in_product(created.id).total == 0
    api.delete_product(created.id)
    assert api.list_products().total == 0


def test_product_shape(http: httpx.Client) -> None:
    """A created product has Voucherify's keys in order, an empty SKU list and integer price."""
    body = http.post("/v1/products", json=PHONE).json()
    assert list(body) == [
        "id",
        "source_id",
        "name",
        "price",
        "attributes",
        "metadata",
        "image_url",
        "created_at",
        "updated_at",
        "object",
        "skus",
    ]
    assert body["skus"] == {"object": "list", "data_ref": "data", "data": [], "total": 0}
    assert body["updated_at"] is None
    assert body["created_at"].endswith("Z")


def test_create_is_upsert_by_source_id(http: httpx.Client) -> None:
    """Creating with a known source_id updates that product instead of adding one."""
    first = http.post("/v1/products", json=PHONE).json()
    second = http.post("/v1/products", json={"source_id": "phone-1", "price": 100}).json()
    assert second["id"] == first["id"]
    assert (second["name"], second["price"]) == ("Phone", 100)
    assert second["updated_at"] is not None
    by_id = http.post("/v1/products", json={"id": first["id"], "name": "Renamed"}).json()
    assert (by_id["id"], by_id["name"]) == (first["id"], "Renamed")
    assert http.get("/v1/products").json()["total"] == 1


def test_unknown_product_and_sku_are_404(http: httpx.Client) -> None:
    """Unknown products, SKUs and ids answer 404 not_found."""
    assert http.get("/v1/products/nope").json()["key"] == "not_found"
    assert http.get("/v1/skus/nope").status_code == 404
    assert http.post("/v1/products", json={"id": "prod_missing"}).status_code == 404
    assert http.post("/v1/products/nope/skus", json={"sku": "x"}).status_code == 404
    product = http.post("/v1/products", json=PHONE).json()
    assert http.put(f"/v1/products/{product['id']}/skus/nope", json={}).status_code == 404
    assert http.delete(f"/v1/products/{product['id']}/skus/nope").status_code == 404


def test_bad_input_is_400(http: httpx.Client) -> None:
    """Wrong types, negative or fractional prices and oversized strings are 400."""
    for body in (
        {"name": 5},
        {"price": -1},
        {"price": 10.5},
        {"attributes": "color"},
        {"source_id": "x" * 301},
    ):
        response = http.post("/v1/products", json=body)
        assert response.status_code == 400, body
        assert response.json()["key"] == "invalid_payload"
    assert http.get("/v1/products?limit=101").json()["key"] == "invalid_query_params"
    assert http.get("/v1/products?order=code").status_code == 400


def test_sku_source_id_is_unique_across_products(http: httpx.Client) -> None:
    """A SKU source_id used by another product's SKU is a 409."""
    first = http.post("/v1/products", json={"name": "A"}).json()
    second = http.post("/v1/products", json={"name": "B"}).json()
    http.post(f"/v1/products/{first['id']}/skus", json={"source_id": "shared"})
    response = http.post(f"/v1/products/{second['id']}/skus", json={"source_id": "shared"})
    assert response.status_code == 409
    assert response.json()["key"] == "duplicate_found"
    again = http.post(f"/v1/products/{first['id']}/skus", json={"source_id": "shared", "price": 5})
    assert again.json()["price"] == 5
    assert http.get(f"/v1/products/{first['id']}").json()["skus"]["total"] == 1


def test_delete_product_removes_its_skus(http: httpx.Client) -> None:
    """Deleting a product answers 204 and its SKUs are gone too."""
    product = http.post("/v1/products", json={"name": "A"}).json()
    sku = http.post(f"/v1/products/{product['id']}/skus", json={"sku": "a1"}).json()
    assert http.delete(f"/v1/products/{product['id']}?force=true").status_code == 204
    assert http.get(f"/v1/skus/{sku['id']}").status_code == 404


def test_list_paging_order_and_dates(server: RunningServer, http: httpx.Client) -> None:
    """limit/page page through products; order and start_date/end_date apply."""
    ids = []
    server.clock.freeze()
    try:
        for day in range(1, 4):
            server.clock.set(datetime(2024, 1, day, 10, tzinfo=UTC))
            ids.append(http.post("/v1/products", json={"name": f"p{day}"}).json()["id"])
    finally:
        server.clock.unfreeze()
        server.clock.set(datetime.now(UTC))
    newest = http.get("/v1/products", params={"limit": 2}).json()
    assert (newest["total"], [p["id"] for p in newest["products"]]) == (3, ids[:0:-1])
    page2 = http.get("/v1/products", params={"limit": 2, "page": 2}).json()
    assert [p["id"] for p in page2["products"]] == [ids[0]]
    oldest = http.get("/v1/products", params={"order": "created_at"}).json()
    assert [p["id"] for p in oldest["products"]] == ids
    window = http.get(
        "/v1/products",
        params={"start_date": "2024-01-02T00:00:00Z", "end_date": "2024-01-02T23:59:59Z"},
    ).json()
    assert (window["total"], window["products"][0]["id"]) == (1, ids[1])


def test_sdk_bulk_update_upserts_by_source_id(
    sdk: voucherify.ApiClient, http: httpx.Client
) -> None:
    """Bulk update changes known products and creates unknown ones, reported by the action."""
    api = ProductsApi(sdk)
    http.post("/v1/products", json=PHONE)
    queued = api.update_products_in_bulk(
        [
            ProductsUpdateInBulkRequestBody(source_id="phone-1", price=1),
            ProductsUpdateInBulkRequestBody(source_id="tablet-1", name="Tablet", price=2),
        ]
    )
    action = wait_for_action(http, queued.async_action_id)
    assert (action["type"], action["status"]) == ("PRODUCTS.BULK_UPDATE", "DONE")
    assert action["result"] == {"done_count": 2, "failed_count": 0, "errors": []}
    assert http.get("/v1/products/phone-1").json()["price"] == 1
    assert http.get("/v1/products/tablet-1").json()["name"] == "Tablet"


def test_bulk_endpoints_accept_empty_bodies(http: httpx.Client) -> None:
    """An empty body or {} is a valid (empty) bulk request; another object is 400."""
    for path in ("/v1/products/bulk/async", "/v1/products/metadata/async"):
        for content in (b"", b"{}"):
            response = http.post(
                path, content=content, headers={"Content-Type": "application/json"}
            )
            assert response.status_code == 202, response.text
            action = wait_for_action(http, response.json()["async_action_id"])
            assert action["status"] == "DONE"
    wrong = http.post("/v1/products/bulk/async", json={"source_id": "x"})
    assert wrong.status_code == 400
    missing = http.post("/v1/products/bulk/async", json=[{"name": "no source id"}])
    assert missing.status_code == 400


def test_sdk_metadata_update_merges(sdk: voucherify.ApiClient, http: httpx.Client) -> None:
    """Bulk metadata merges into listed products and upserts unknown source ids."""
    http.post("/v1/products", json=PHONE)
    queued = ProductsApi(sdk).update_products_metadata_in_bulk(
        ProductsMetadataUpdateInBulkRequestBody(
            source_ids=["phone-1", "new-1"], metadata={"season": "winter"}
        )
    )
    action = wait_for_action(http, queued.async_action_id)
    assert (action["type"], action["result"]["done_count"]) == ("PRODUCTS.METADATA_UPDATE", 2)
    phone = http.get("/v1/products/phone-1").json()
    assert phone["metadata"] == {"brand": "Acme", "season": "winter"}
    assert http.get("/v1/products/new-1").json()["metadata"] == {"season": "winter"}


PRODUCTS_CSV = (
    "name,source_id,price,attributes,image_url,Color\n"
    'Shirt,shirt-1,1999,"color,size",https://example.com/s.png,blue\n'
    "Hat,hat-1,abc,,,\n"
    ",nameless,100,,,\n"
    "Sock,sock-1,250,,,green\n"
)


def test_sdk_products_csv_import_reports_row_errors(
    sdk: voucherify.ApiClient, http: httpx.Client
) -> None:
    """A products CSV imports good rows and reports each bad row with its line and reason."""
    queued = ProductsApi(sdk).import_products_using_csv(file=PRODUCTS_CSV.encode())
    action = wait_for_action(http, queued.async_action_id)
    assert (action["type"], action["status"]) == ("PRODUCTS.IMPORT_CSV", "DONE")
    result = action["result"]
    assert (result["done_count"], result["failed_count"]) == (2, 2)
    assert [(f["row"], f.get("source_id")) for f in result["failed"]] == [
        (3, "hat-1"),
        (4, "nameless"),
    ]
    assert "price" in result["failed"][0]["reason"]
    shirt = http.get("/v1/products/shirt-1").json()
    assert (shirt["price"], shirt["attributes"]) == (1999, ["color", "size"])
    assert shirt["metadata"] == {"Color": "blue"}
    assert http.get("/v1/products/hat-1").status_code == 404


def test_skus_csv_import(sdk: voucherify.ApiClient, http: httpx.Client) -> None:
    """A SKU CSV attaches SKUs to products by id or source id and reports unknown products."""
    product = http.post("/v1/products", json={"source_id": "shirt-1", "name": "Shirt"}).json()
    text = (
        "product_id,sku,source_id,price,attributes,fabric\n"
        "shirt-1,Blue S,shirt-1-bs,2100,\"{'color':'blue'}\",cotton\n"
        f"{product['id']},Red S,shirt-1-rs,2200,,\n"
        "ghost,Ghost,ghost-1,1,,\n"
    )
    queued = ProductsApi(sdk).import_skus_using_csv(file=text.encode())
    action = wait_for_action(http, queued.async_action_id)
    assert (action["type"], action["result"]["done_count"]) == ("SKUS.IMPORT_CSV", 2)
    assert action["result"]["failed"] == [
        {"row": 4, "source_id": "ghost-1", "reason": "The product_id matches no product"}
    ]
    blue = http.get("/v1/skus/shirt-1-bs").json()
    assert (blue["attributes"], blue["metadata"], blue["price"]) == (
        {"color": "blue"},
        {"fabric": "cotton"},
        2100,
    )


def test_csv_without_file_or_required_header_is_400(http: httpx.Client) -> None:
    """A missing file field or a CSV without its required columns is rejected up front."""
    assert http.post("/v1/products/importCSV", files={"other": b"x"}).status_code == 400
    response = http.post("/v1/skus/importCSV", files={"file": ("s.csv", b"sku,price\na,1\n")})
    assert response.status_code == 400
    assert "product_id" in response.json()["details"]
    latin = http.post(
        "/v1/products/importCSV", files={"file": ("p.csv", "name\ncaf\xe9\n".encode("latin-1"))}
    )
    assert latin.status_code == 400


def test_list_filters(http: httpx.Client) -> None:
    """filters[…] narrow the product list by columns and metadata; unknown fields are 400."""
    http.post("/v1/products", json={"name": "Cheap", "price": 100, "metadata": {"tier": "low"}})
    http.post("/v1/products", json={"name": "Dear", "price": 9000, "metadata": {"tier": "high"}})
    dear = http.get(
        "/v1/products", params={"filters[price][conditions][$more_than][0]": "1000"}
    ).json()
    assert [p["name"] for p in dear["products"]] == ["Dear"]
    low = http.get("/v1/products", params={"filters[metadata.tier][conditions][$is][0]": "low"})
    assert [p["name"] for p in low.json()["products"]] == ["Cheap"]
    bad = http.get("/v1/products", params={"filters[colour][conditions][$is][0]": "x"})
    assert bad.json()["key"] == "invalid_query_params"
