"""Loyalty v2 in the tests: its operations and a client that checks every response.

``tests/support/data/loyalty_v2.json`` is derived from ``LoyaltyV2.json`` by
``scripts/derive_loyalty_v2.py`` (operations, response schemas; structure only), so the tests
read nothing outside the repository. :class:`V2` wraps an ``httpx.Client``: each response is
matched to its operation and validated against that operation's schema for the status (a
status the operation does not list is an error), and the operations seen are recorded.

One documented relaxation (``docs/compat/loyalty-v2.md``): ids the v1 API issues (orders,
products, SKUs, async actions, the ledger's card transactions) are not lowercase hex, so
their patterns are widened to what the system issues.
"""

from __future__ import annotations

import json
import re
from functools import cache
from pathlib import Path
from typing import Any

import httpx
from jsonschema import Draft202012Validator

DATA = Path(__file__).resolve().parent / "data" / "loyalty_v2.json"
WIDENED = {
    "^ord_[a-f0-9]+$": "^ord_[a-zA-Z0-9]+$",
    "^prod_[a-f0-9]+": "^prod_[a-zA-Z0-9]+",
    "^sku_[a-f0-9]+": "^sku_[a-zA-Z0-9]+",
    "^aa_[a-f0-9]+$": "^aa_[a-zA-Z0-9]+$",
    # a card transaction is the shared ledger's transaction, with the ledger's id
    # (a canceled pending-points entry has no ledger transaction: the entry stands for it)
    "^lctx_[a-f0-9]+$": "^(lctx_[a-f0-9]+|vtx_[a-zA-Z0-9]+|lopp_[a-zA-Z0-9]+)$",
    # pending points and expiry buckets are the ledger's, with the ledger's ids
    "^lcppb_[a-f0-9]+$": "^lopp_[a-zA-Z0-9]+$",
    "^lcpeb_[a-f0-9]+$": "^lpb_[a-zA-Z0-9]+$",
}
SEEN: set[str] = set()
"""operationIds a test received a validated response of (this session)."""


@cache
def derived() -> dict[str, Any]:
    """The derived file."""
    loaded: dict[str, Any] = json.loads(DATA.read_text(encoding="utf-8"))
    return loaded


def _widen(node: Any) -> Any:
    if isinstance(node, list):
        return [_widen(item) for item in node]
    if not isinstance(node, dict):
        return node
    out = {k: _widen(v) for k, v in node.items()}
    if isinstance(out.get("pattern"), str):
        out["pattern"] = WIDENED.get(out["pattern"], out["pattern"])
    return out


AMBIGUOUS = {("RewardPurchaseTransaction", "details")}
"""``oneOf`` branches that overlap in the spec itself (every purchase's details are valid
refund details too, whose keys are all optional): checked as ``anyOf``."""


@cache
def _components() -> dict[str, Any]:
    schemas = _widen(derived()["schemas"])
    for name, field in AMBIGUOUS:
        prop = schemas[name]["properties"][field]
        prop["anyOf"] = prop.pop("oneOf")
    return {"components": {"schemas": schemas}}


@cache
def _matchers() -> list[tuple[str, re.Pattern[str], dict[str, Any]]]:
    found = []
    for op in derived()["operations"]:
        regex = re.sub(r"\\\{[^}]+\\\}", "[^/]+", re.escape(op["path"]))
        found.append((op["method"], re.compile(f"^{regex}$"), op))
    # static segments win over parameters, as in the router
    return sorted(found, key=lambda m: m[2]["path"].count("{"))


def operation(method: str, path: str) -> dict[str, Any]:
    """The spec operation serving ``method path``."""
    for verb, regex, op in _matchers():
        if verb == method and regex.match(path):
            return op
    raise AssertionError(f"{method} {path} is no Loyalty v2 operation")


def errors(instance: Any, schema_name: str) -> list[str]:
    """Every validation error of ``instance`` against a derived schema."""
    root = {**_components(), "$ref": f"#/components/schemas/{schema_name}"}
    validator = Draft202012Validator(root)
    return [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(instance)]


def check(response: httpx.Response) -> None:
    """Fail unless the response parses against its operation's schema for its status."""
    op = operation(response.request.method, response.request.url.path)
    status = str(response.status_code)
    assert status in op["responses"], f"{op['operationId']}: status {status} not in the spec"
    name = op["responses"][status]
    if name is not None:
        found = errors(response.json(), name)
        assert not found, f"{op['operationId']} {status} vs {name}: {found[:5]}"
    SEEN.add(op["operationId"])


class V2:
    """An ``httpx.Client`` for ``/v2/loyalties`` whose every response is checked."""

    def __init__(self, client: httpx.Client) -> None:
        self.client = client

    def request(self, method: str, path: str, **kw: Any) -> httpx.Response:
        """Send, check, return."""
        response = self.client.request(method, path, **kw)
        check(response)
        return response

    def get(self, path: str, **kw: Any) -> httpx.Response:
        """GET."""
        return self.request("GET", path, **kw)

    def post(self, path: str, **kw: Any) -> httpx.Response:
        """POST."""
        return self.request("POST", path, **kw)

    def put(self, path: str, **kw: Any) -> httpx.Response:
        """PUT."""
        return self.request("PUT", path, **kw)

    def delete(self, path: str, **kw: Any) -> httpx.Response:
        """DELETE."""
        return self.request("DELETE", path, **kw)

    def ok(self, method: str, path: str, status: int = 200, **kw: Any) -> dict[str, Any]:
        """The JSON of a response that must have ``status``."""
        response = self.request(method, path, **kw)
        assert response.status_code == status, response.text
        body: dict[str, Any] = response.json()
        return body
