"""A record stored deeper than any encoder renders (before the edge limits, or written by
other means) never makes a read or a list fail: rendering is bounded (docs/compat/limits.md)."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from sqlalchemy import text

from openvoucher.kernel.bounded import RENDER_DEPTH
from tests.support.server import RunningServer

DEPTHS = [300, 3000]
"""Deeper than orjson encodes (254 levels: the issue's poison records), and deeper than orjson
and ``json`` decode (~1 000 levels)."""


def _nested_text(depth: int) -> str:
    return '{"k":' * depth + '"leaf"' + "}" * depth


def _depth(value: Any) -> int:
    depth = 0
    while isinstance(value, dict) and "k" in value:
        value, depth = value["k"], depth + 1
    return depth


def _poison(server: RunningServer, customer_id: str, depth: int) -> None:
    """Store metadata nested ``depth`` levels on the customer, bypassing the API."""
    attrs = '{"metadata": {"deep": ' + _nested_text(depth) + "}}"
    engine = server.container.engine
    value = "CAST(:attrs AS jsonb)" if engine.dialect.name == "postgresql" else ":attrs"
    with engine.begin() as conn:
        sql = text(f"UPDATE customers SET attrs = {value} WHERE id = :id")
        assert conn.execute(sql, {"attrs": attrs, "id": customer_id}).rowcount == 1


@pytest.mark.parametrize("depth", DEPTHS)
def test_deep_stored_customer_reads_and_lists(
    server: RunningServer, http: httpx.Client, depth: int
) -> None:
    """A customer stored 300 or 3000 levels deep is read, listed (at most 64 levels rendered)
    and updated."""
    created = http.post("/v1/customers", json={"source_id": "poison", "name": "P"})
    assert created.status_code == 200, created.text
    http.post("/v1/customers", json={"source_id": "healthy"})
    _poison(server, created.json()["id"], depth)
    read = http.get("/v1/customers/poison")
    assert read.status_code == 200, read.text
    assert 0 < _depth(read.json()["metadata"]["deep"]) <= RENDER_DEPTH
    listed = http.get("/v1/customers", params={"limit": 100})
    assert listed.status_code == 200, listed.text
    assert {c["source_id"] for c in listed.json()["customers"]} == {"poison", "healthy"}
    updated = http.put("/v1/customers/poison", json={"name": "P2"})
    assert updated.status_code == 200, updated.text
    assert http.get("/v1/customers", params={"limit": 100}).status_code == 200
