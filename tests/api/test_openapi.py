"""``GET /openapi.json`` is the API as served: every route, the request schemas the server
validates with, our extensions marked; the copy in the repository is the same document."""

from __future__ import annotations

from pathlib import Path

import httpx
import msgspec
import orjson

from openvoucher.api.openapi import document, extensions
from openvoucher.api.routes import all_routes
from openvoucher.api.schemas.vouchers import VoucherCreate
from tests.support.scripts import load_script
from tests.support.server import RunningServer

ROOT = Path(__file__).resolve().parents[2]
HINT = "run `python scripts/compat_table.py && python scripts/openapi_doc.py`"


def test_the_served_document_lists_every_route(server: RunningServer) -> None:
    """Every method and path the server routes is an operation of the served document."""
    served = httpx.get(server.base_url + "/openapi.json").json()
    assert served["openapi"].startswith("3.1")
    operations = {(m.upper(), p) for p, item in served["paths"].items() for m in item}
    routes = {(spec.method, spec.path) for spec in all_routes()}
    assert routes <= operations
    assert ("GET", "/metrics") in operations


def test_request_bodies_are_the_servers_own_schemas() -> None:
    """A voucher's create body is msgspec's schema of the Struct the server decodes into."""
    doc = document(all_routes())
    operation = doc["paths"]["/v1/vouchers/{code}"]["post"]
    ref = operation["requestBody"]["content"]["application/json"]["schema"]["$ref"]
    assert ref == "#/components/schemas/VoucherCreate"
    _, expected = msgspec.json.schema_components(
        [VoucherCreate], ref_template="#/components/schemas/{name}"
    )
    assert doc["components"]["schemas"]["VoucherCreate"] == expected["VoucherCreate"]
    assert operation["parameters"][0]["name"] == "code"
    assert "x-openvoucher-extension" not in operation


def test_extensions_are_marked_as_the_compat_table_says() -> None:
    """Operations the compat table lists as extensions carry ``x-openvoucher-extension``."""
    table = (ROOT / "docs/compat/endpoints.md").read_text(encoding="utf-8")
    assert sorted(extensions()) == load_script("openapi_doc").extension_rows(table), HINT
    doc = document(all_routes())
    marked = {
        f"{m.upper()} {p}"
        for p, item in doc["paths"].items()
        for m, op in item.items()
        if op.get("x-openvoucher-extension")
    }
    assert marked == extensions()
    assert "POST /v1/_test/clock" in marked


def test_the_repository_copy_is_current() -> None:
    """docs/openapi.json is exactly what the server serves."""
    stored = (ROOT / "docs/openapi.json").read_bytes()
    assert stored == load_script("openapi_doc").document_bytes(), HINT
    assert orjson.loads(stored)["info"]["title"] == "openvoucher"
