"""``/v1/exports``: every exported object's CSV, filters, order, paging, deletion, errors."""

from __future__ import annotations

import httpx
import pytest
from sqlalchemy import func, select

from openvoucher.adapters.db.schema.exports import export_parts
from openvoucher.platform import exports
from openvoucher.platform.repositories import export_rows
from openvoucher.platform.repositories.exports import ExportRepository
from tests.api.catalog_helpers import wait_for_action
from tests.api.export_helpers import export_rows as exported
from tests.api.export_helpers import finished
from tests.api.redemption_helpers import discount_voucher, gift_voucher, redeem, voucher_ref
from tests.support.server import Project, RunningServer

VOUCHER_COLUMNS = [
    *("code", "voucher_type", "value", "discount_type", "gift_balance", "active"),
    *("metadata", "metadata.tier"),
]
REDEMPTION_COLUMNS = [
    *("id", "object", "voucher_code", "customer_source_id", "customer_name"),
    *("order_amount", "result"),
]


def test_voucher_export_columns_filters_and_order(http: httpx.Client) -> None:
    """Chosen columns (metadata whole and by key) of the vouchers a filter keeps, by code."""
    amount = {"type": "AMOUNT", "amount_off": 500}
    discount_voucher(http, "AAA-1", amount, metadata={"tier": "gold"})
    gift_voucher(http, "BBB-2", 3000)
    discount_voucher(http, "AAA-3", {"type": "PERCENT", "percent_off": 15}, active=False)
    rows = exported(
        http,
        "voucher",
        order="-code",
        fields=VOUCHER_COLUMNS,
        filters={"junction": "and", "code": {"conditions": {"$starts_with": ["AAA"]}}},
    )
    assert rows == [
        VOUCHER_COLUMNS,
        ["AAA-3", "DISCOUNT_VOUCHER", "15", "PERCENT", "", "false", "{}", ""],
        ["AAA-1", "DISCOUNT_VOUCHER", "500", "AMOUNT", "", "true", '{"tier":"gold"}', "gold"],
    ]
    default = exported(http, "voucher", order="code")
    assert default == [
        ["code", "voucher_type", "value", "discount_type"],
        ["AAA-1", "DISCOUNT_VOUCHER", "500", "AMOUNT"],
        ["AAA-3", "DISCOUNT_VOUCHER", "15", "PERCENT"],
        ["BBB-2", "GIFT_VOUCHER", "3000", ""],
    ]


def test_customer_and_order_exports(http: httpx.Client) -> None:
    """Customers by name with address and order totals; orders filtered by status."""
    for source_id, name, city in (("c-2", "Zoe", "Oslo"), ("c-1", "Ann", "Rome")):
        body = {"source_id": source_id, "name": name, "address": {"city": city}}
        assert http.post("/v1/customers", json=body).status_code == 200
    paid = http.post(
        "/v1/orders", json={"source_id": "o-1", "amount": 2500, "status": "PAID"}
    ).json()
    http.post("/v1/orders", json={"source_id": "o-2", "amount": 900, "status": "CREATED"})
    customers = exported(
        http,
        "customer",
        order="name",
        fields=["name", "source_id", "address_city", "orders_total_count", "loyalty_points"],
    )
    assert customers == [
        ["name", "source_id", "address_city", "orders_total_count", "loyalty_points"],
        ["Ann", "c-1", "Rome", "0", "0"],
        ["Zoe", "c-2", "Oslo", "0", "0"],
    ]
    orders = exported(http, "order", filters={"status": {"conditions": {"$in": ["PAID"]}}})
    assert orders == [["id", "source_id", "status"], [paid["id"], "o-1", "PAID"]]
    amounts = exported(
        http, "order", order="created_at", fields=["source_id", "amount", "total_amount"]
    )
    assert amounts == [
        ["source_id", "amount", "total_amount"],
        ["o-1", "2500", "2500"],
        ["o-2", "900", "900"],
    ]


def test_redemption_and_publication_exports(http: httpx.Client) -> None:
    """A redemption's code, customer and order amount; a publication's code and customer."""
    discount_voucher(http, "RED-1", {"type": "AMOUNT", "amount_off": 300})
    customer = {"source_id": "pat", "name": "Pat"}
    published = http.post("/v1/publications", json={"voucher": "RED-1", "customer": customer})
    assert published.status_code == 200, published.text
    redeemed = redeem(http, voucher_ref("RED-1"), customer=customer, order={"amount": 2000})
    assert redeemed.status_code == 200, redeemed.text
    redemption = redeemed.json()["redemptions"][0]
    rows = exported(
        http,
        "redemption",
        fields=REDEMPTION_COLUMNS,
    )
    assert rows == [
        REDEMPTION_COLUMNS,
        [redemption["id"], "redemption", "RED-1", "pat", "Pat", "2000", "SUCCESS"],
    ]
    publications = exported(
        http, "publication", fields=["voucher_code", "customer_source_id", "channel", "campaign"]
    )
    assert publications == [
        ["voucher_code", "customer_source_id", "channel", "campaign"],
        ["RED-1", "pat", "API", ""],
    ]


def test_a_large_export_is_written_in_parts(
    server: RunningServer, project: Project, http: httpx.Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Rows are read and written a page at a time: 5 rows in pages of 2 make 3 parts + header."""
    monkeypatch.setattr(export_rows, "BATCH", 2)
    for number in range(5):
        http.post("/v1/customers", json={"source_id": f"p-{number}", "name": f"N{number}"})
    reply = http.post(
        "/v1/exports",
        json={"exported_object": "customer", "parameters": {"order": "source_id"}},
    )
    rows = exported(http, "customer", order="source_id")
    assert rows == [["name", "source_id"]] + [[f"N{n}", f"p-{n}"] for n in range(5)]
    count = select(func.count()).where(export_parts.c.export_id == reply.json()["id"])
    finished(http, reply.json()["id"])
    with server.container.engine.connect() as conn:
        assert conn.execute(count).scalar_one() == 4


def test_list_page_and_delete(http: httpx.Client) -> None:
    """Exports list newest first with paging; a deleted export and its file are gone."""
    ids = [
        http.post("/v1/exports", json={"exported_object": kind}).json()["id"]
        for kind in ("order", "customer", "voucher")
    ]
    for ident in ids:
        finished(http, ident)
    first = http.get("/v1/exports", params={"limit": 2}).json()
    assert (first["object"], first["data_ref"], first["total"]) == ("list", "exports", 3)
    second = http.get("/v1/exports", params={"limit": 2, "page": 2}).json()
    listed = [item["id"] for item in first["exports"] + second["exports"]]
    assert sorted(listed) == sorted(ids)
    oldest = http.get("/v1/exports", params={"order": "created_at", "limit": 1}).json()
    assert oldest["exports"][0]["exported_object"] == "order"
    url = http.get(f"/v1/exports/{ids[0]}").json()["result"]["url"]
    assert http.delete(f"/v1/exports/{ids[0]}").status_code == 204
    assert http.get(f"/v1/exports/{ids[0]}").status_code == 404
    assert http.get(url).status_code == 404
    assert http.delete(f"/v1/exports/{ids[0]}").status_code == 404
    assert http.get("/v1/exports").json()["total"] == 2


@pytest.mark.parametrize(
    ("body", "detail"),
    [
        ({"exported_object": "product"}, "exported_object"),
        ({"exported_object": "order", "parameters": {"fields": ["nope"]}}, "nope"),
        ({"exported_object": "order", "parameters": {"order": "-code"}}, "order"),
        (
            {"exported_object": "customer", "parameters": {"filters": {"x": {"conditions": {}}}}},
            "x",
        ),
        (
            {
                "exported_object": "order",
                "parameters": {"filters": {"amount": {"conditions": {"$after": ["1"]}}}},
            },
            "$after",
        ),
    ],
)
def test_bad_parameters_are_400(http: httpx.Client, body: dict[str, object], detail: str) -> None:
    """Unknown objects, columns, orders, filter fields and operators are 400 invalid_payload."""
    reply = http.post("/v1/exports", json=body)
    assert reply.status_code == 400, reply.text
    assert reply.json()["key"] == "invalid_payload"
    assert detail in reply.json()["details"]
    assert http.get("/v1/exports").json()["total"] == 0


def test_an_export_deleted_before_it_runs_ends_its_action(
    server: RunningServer, project: Project, http: httpx.Client
) -> None:
    """The action of an export deleted before it ran finishes and says so; no file is left."""
    uow = server.container.uow
    with uow.write(project.id) as tx:
        checked = exports.parameters("order", None)
        row = exports.schedule(tx, "order", checked, "req-1")
        ExportRepository(tx.conn, tx.project_id).delete(row.id)
    assert row.async_action_id is not None
    done = wait_for_action(http, row.async_action_id)
    assert (done["status"], done["result"]["message"]) == ("DONE", "The export was deleted")
    assert http.get(f"/v1/exports/{row.id}").status_code == 404
    parts = select(func.count()).where(export_parts.c.export_id == row.id)
    with server.container.engine.connect() as conn:
        assert conn.execute(parts).scalar_one() == 0
