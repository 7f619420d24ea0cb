"""Bulk async updates of vouchers and customers, and the customer CSV import."""

from __future__ import annotations

import httpx
import voucherify
from voucherify.api.async_actions_api import AsyncActionsApi
from voucherify.api.customers_api import CustomersApi
from voucherify.api.vouchers_api import VouchersApi
from voucherify.models.customers_metadata_update_in_bulk_request_body import (
    CustomersMetadataUpdateInBulkRequestBody,
)
from voucherify.models.customers_update_in_bulk_request_body import (
    CustomersUpdateInBulkRequestBody,
)
from voucherify.models.vouchers_metadata_update_in_bulk_request_body import (
    VouchersMetadataUpdateInBulkRequestBody,
)
from voucherify.models.vouchers_update_in_bulk_item_request_body import (
    VouchersUpdateInBulkItemRequestBody,
)

from tests.api.catalog_helpers import event_types, wait_for_action
from tests.api.test_metadata_enforcement import define
from tests.support.server import Project, RunningServer


def voucher(http: httpx.Client, code: str, metadata: dict[str, object]) -> None:
    """A standalone discount voucher with ``metadata``."""
    made = http.post(
        f"/v1/vouchers/{code}",
        json={
            "type": "DISCOUNT_VOUCHER",
            "discount": {"type": "AMOUNT", "amount_off": 100},
            "metadata": metadata,
        },
    )
    assert made.status_code == 200, made.text


def test_sdk_vouchers_bulk_update_merges_metadata(
    server: RunningServer, project: Project, sdk: voucherify.ApiClient, http: httpx.Client
) -> None:
    """Each code gets its metadata merged and a voucher.updated; unknown codes are errors."""
    voucher(http, "BULK-A", {"keep": 1})
    voucher(http, "BULK-B", {})
    queued = VouchersApi(sdk).update_vouchers_in_bulk(
        [
            VouchersUpdateInBulkItemRequestBody(code="BULK-A", metadata={"lang": "en"}),
            VouchersUpdateInBulkItemRequestBody(code="BULK-B", metadata={"lang": "de"}),
            VouchersUpdateInBulkItemRequestBody(code="NOPE", metadata={"lang": "fr"}),
        ]
    )
    action = wait_for_action(http, queued.async_action_id)
    parsed = AsyncActionsApi(sdk).get_async_action(queued.async_action_id)
    assert (parsed.type, parsed.status, parsed.progress) == ("VOUCHERS.BULK_UPDATE", "DONE", 100)
    result = action["result"]
    assert (result["done_count"], result["failed_count"]) == (2, 1)
    assert result["errors"] == [
        {
            "message": "Resource not found",
            "details": "Cannot find voucher with id NOPE",
            "key": "not_found",
            "code": "NOPE",
        }
    ]
    assert http.get("/v1/vouchers/BULK-A").json()["metadata"] == {"keep": 1, "lang": "en"}
    assert http.get("/v1/vouchers/BULK-B").json()["metadata"] == {"lang": "de"}
    assert event_types(server, project).count("voucher.updated") == 2


def test_sdk_vouchers_metadata_update_follows_the_schema(
    server: RunningServer, project: Project, sdk: voucherify.ApiClient, http: httpx.Client
) -> None:
    """The same metadata goes to every code; schema violations are reported per code."""
    voucher(http, "META-A", {})
    voucher(http, "META-B", {})
    define(server, project, "voucher", properties={"lang": {"type": "string", "max_length": 2}})
    api = VouchersApi(sdk)
    good = api.update_vouchers_metadata_in_bulk(
        VouchersMetadataUpdateInBulkRequestBody(codes=["META-A", "META-B"], metadata={"lang": "en"})
    )
    action = wait_for_action(http, good.async_action_id)
    assert (action["type"], action["result"]["done_count"]) == ("VOUCHERS.METADATA_UPDATE", 2)
    assert http.get("/v1/vouchers/META-B").json()["metadata"] == {"lang": "en"}
    bad = api.update_vouchers_metadata_in_bulk(
        VouchersMetadataUpdateInBulkRequestBody(codes=["META-A"], metadata={"lang": "english"})
    )
    result = wait_for_action(http, bad.async_action_id)["result"]
    assert (result["done_count"], result["failed_count"]) == (0, 1)
    assert result["errors"][0]["details"] == "metadata.lang must be at most 2 characters long"
    assert http.get("/v1/vouchers/META-A").json()["metadata"] == {"lang": "en"}


def test_sdk_customers_bulk_update_upserts(
    server: RunningServer, project: Project, sdk: voucherify.ApiClient, http: httpx.Client
) -> None:
    """Known source ids are updated, unknown ones created, with customer.* events."""
    http.post("/v1/customers", json={"source_id": "ann", "name": "Ann", "metadata": {"a": 1}})
    queued = CustomersApi(sdk).update_customers_in_bulk(
        [
            CustomersUpdateInBulkRequestBody(source_id="ann", email="ann@example.com"),
            CustomersUpdateInBulkRequestBody(source_id="bob", name="Bob", metadata={"b": 2}),
        ]
    )
    action = wait_for_action(http, queued.async_action_id)
    assert (action["type"], action["status"]) == ("CUSTOMERS.BULK_UPDATE", "DONE")
    assert action["result"] == {"done_count": 2, "failed_count": 0, "errors": []}
    ann = http.get("/v1/customers/ann").json()
    assert (ann["name"], ann["email"], ann["metadata"]) == ("Ann", "ann@example.com", {"a": 1})
    assert http.get("/v1/customers/bob").json()["metadata"] == {"b": 2}
    types = event_types(server, project)
    assert (types.count("customer.created"), types.count("customer.updated")) == (2, 1)


def test_sdk_customers_metadata_update(
    server: RunningServer, project: Project, sdk: voucherify.ApiClient, http: httpx.Client
) -> None:
    """Metadata merges into each listed customer; unknown source ids become customers;
    a schema violation fails that customer only."""
    http.post("/v1/customers", json={"source_id": "ann", "metadata": {"a": 1}})
    api = CustomersApi(sdk)
    queued = api.update_customers_metadata_in_bulk(
        CustomersMetadataUpdateInBulkRequestBody(source_ids=["ann", "cat"], metadata={"vip": True})
    )
    action = wait_for_action(http, queued.async_action_id)
    assert (action["type"], action["result"]["done_count"]) == ("CUSTOMERS.METADATA_UPDATE", 2)
    assert http.get("/v1/customers/ann").json()["metadata"] == {"a": 1, "vip": True}
    assert http.get("/v1/customers/cat").json()["metadata"] == {"vip": True}
    define(server, project, "customer", properties={"vip": {"type": "boolean"}})
    bad = api.update_customers_metadata_in_bulk(
        CustomersMetadataUpdateInBulkRequestBody(source_ids=["ann"], metadata={"vip": "yes"})
    )
    errors = wait_for_action(http, bad.async_action_id)["result"]["errors"]
    assert [(e["key"], e["source_id"]) for e in errors] == [("invalid_payload", "ann")]


def test_bulk_bodies(http: httpx.Client) -> None:
    """Empty bodies queue empty actions; a non-array or an item without its id is 400."""
    for path in (
        "/v1/vouchers/bulk/async",
        "/v1/vouchers/metadata/async",
        "/v1/customers/bulk/async",
        "/v1/customers/metadata/async",
    ):
        for content in (b"", b"{}"):
            response = http.post(
                path, content=content, headers={"Content-Type": "application/json"}
            )
            assert response.status_code == 202, (path, response.text)
            assert wait_for_action(http, response.json()["async_action_id"])["status"] == "DONE"
    for path, body in (
        ("/v1/vouchers/bulk/async", {"code": "X"}),
        ("/v1/vouchers/bulk/async", [{"metadata": {}}]),
        ("/v1/customers/bulk/async", [{"name": "no source id"}]),
        ("/v1/customers/metadata/async", {"source_ids": "ann"}),
    ):
        assert http.post(path, json=body).status_code == 400, (path, body)


CUSTOMERS_CSV = (
    "Name,Email,Source_id,Address_City,Address_Country,Id,Tier,Visits\n"
    "Ann,ann@example.com,ann,Berlin,DE,cust_ignored,gold,3\n"
    "Bob,,bob,,,,,\n"
    "Too,many,cells,,,,,,extra\n"
    "Eve,,eve,,,,,often\n"
)


def test_sdk_customers_csv_import(
    server: RunningServer, project: Project, sdk: voucherify.ApiClient, http: httpx.Client
) -> None:
    """Standard columns map to fields and the address, others to metadata typed by the
    schema; bad rows (also metadata the schema refuses) are reported."""
    define(server, project, "customer", properties={"Visits": {"type": "number"}})
    http.post("/v1/customers", json={"source_id": "ann", "metadata": {"since": 2020}})
    queued = CustomersApi(sdk).import_customers_using_csv(file=CUSTOMERS_CSV.encode())
    action = wait_for_action(http, queued.async_action_id)
    assert (action["type"], action["status"]) == ("CUSTOMERS.IMPORT_CSV", "DONE")
    result = action["result"]
    assert (result["done_count"], result["failed_count"]) == (2, 2)
    assert result["failed"] == [
        {"row": 4, "reason": "The row has more cells than the header"},
        {"row": 5, "source_id": "eve", "reason": "metadata.Visits must be a number"},
    ]
    ann = http.get("/v1/customers/ann").json()
    assert (ann["name"], ann["email"]) == ("Ann", "ann@example.com")
    assert (ann["address"]["city"], ann["address"]["country"]) == ("Berlin", "DE")
    assert ann["metadata"] == {"since": 2020, "Tier": "gold", "Visits": 3}
    assert http.get("/v1/customers/bob").json()["name"] == "Bob"


def test_customers_csv_needs_a_file_and_header(http: httpx.Client) -> None:
    """No file, or a file without a header, is 400 before anything is queued."""
    assert http.post("/v1/customers/importCSV", data={"x": "1"}).status_code == 400
    empty = http.post("/v1/customers/importCSV", files={"file": ("c.csv", b"\n")})
    assert (empty.status_code, empty.json()["message"]) == (400, "Invalid CSV file")


def test_sdk_permanent_deletion_forgets_the_customer(
    sdk: voucherify.ApiClient, http: httpx.Client
) -> None:
    """The customer, their orders and custom events are removed; the record parses in the SDK."""
    made = http.post("/v1/customers", json={"source_id": "gone", "email": "g@example.com"}).json()
    order = http.post("/v1/orders", json={"amount": 500, "customer": {"id": made["id"]}}).json()
    tracked = http.post("/v1/events", json={"event": "visited", "customer": {"id": made["id"]}})
    assert tracked.status_code == 200, tracked.text
    deletion = CustomersApi(sdk).customer_permanently_deletion("gone")
    assert deletion.id.startswith("del_")
    assert (deletion.related_object, deletion.related_object_id) == ("customer", made["id"])
    assert (deletion.status, deletion.object) == ("DONE", "pernament_deletion")
    assert (deletion.data_json.customer, deletion.data_json.orders) == (1, 1)
    assert deletion.data_json.events == 1
    assert http.get("/v1/customers/gone").status_code == 404
    assert http.get(f"/v1/orders/{order['id']}").status_code == 404
    again = http.post("/v1/customers/gone/permanent-deletion")
    assert (again.status_code, again.json()["key"]) == (404, "not_found")
