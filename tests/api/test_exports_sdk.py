"""The official Python SDK schedules, follows, lists and deletes exports."""

from __future__ import annotations

import time

import httpx
import voucherify
from voucherify.api.exports_api import ExportsApi
from voucherify.api.orders_api import OrdersApi
from voucherify.models import (
    ExportOrderFields,
    ExportOrderOrder,
    ExportsCreateRequestBody,
    ExportsCreateRequestBodyParameters,
    OrdersExportCreateRequestBody,
    OrdersExportCreateRequestBodyParameters,
    ParameterOrderListExports,
)

from tests.api.export_helpers import exported_rows


def _done(exports: ExportsApi, export_id: str) -> voucherify.ExportsGetResponseBody:
    deadline = time.monotonic() + 20
    got = exports.get_export(export_id)
    while got.status != "DONE" and time.monotonic() < deadline:
        time.sleep(0.05)
        got = exports.get_export(export_id)
    return got


def test_sdk_exports(sdk: voucherify.ApiClient, http: httpx.Client) -> None:
    """Create (generic and orders), get, list and delete parse into the SDK's strict models."""
    http.post("/v1/orders", json={"source_id": "sdk-1", "amount": 1200, "status": "PAID"})
    exports = ExportsApi(sdk)
    body = ExportsCreateRequestBody(
        exported_object="customer",
        parameters=ExportsCreateRequestBodyParameters(
            order="-created_at", fields=["name", "source_id"], filters={"junction": "and"}
        ),
    )
    created = exports.create_export(body)
    assert (created.status, created.exported_object, created.result) == (
        "SCHEDULED",
        "customer",
        None,
    )
    assert created.parameters.filters == {"junction": "and"}
    scheduled = OrdersApi(sdk).create_order_export(
        OrdersExportCreateRequestBody(
            parameters=OrdersExportCreateRequestBodyParameters(
                order=ExportOrderOrder("created_at"),
                fields=[ExportOrderFields("source_id"), ExportOrderFields("amount")],
            )
        )
    )
    assert scheduled.exported_object == "order"
    assert scheduled.parameters.fields == ["source_id", "amount"]
    done = _done(exports, scheduled.id)
    assert done.status == "DONE"
    assert done.result.url.endswith(f"/v1/exports/{scheduled.id}?token=" + done.result.url[-32:])
    assert http.get(done.result.url).text == "source_id,amount\nsdk-1,1200\n"
    token = done.result.url.rsplit("token=", 1)[1]
    assert exports.download_export(scheduled.id, token=token) == "source_id,amount\nsdk-1,1200\n"
    _done(exports, created.id)
    listed = exports.list_exports(limit=1, page=2, order=ParameterOrderListExports("created_at"))
    assert (listed.total, len(listed.exports)) == (2, 1)
    assert listed.exports[0].id == scheduled.id
    assert listed.exports[0].status == "DONE"
    exports.delete_export(created.id)
    assert [item.id for item in exports.list_exports().exports] == [scheduled.id]


def test_orders_export_over_http(http: httpx.Client) -> None:
    """``POST /v1/orders/export`` with an empty body writes the three default columns."""
    order = http.post("/v1/orders", json={"source_id": "x-1", "amount": 10}).json()
    rows = exported_rows(http, http.post("/v1/orders/export"))
    assert rows == [["id", "source_id", "status"], [order["id"], "x-1", order["status"]]]
