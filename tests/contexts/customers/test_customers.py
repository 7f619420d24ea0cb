"""Customers through their use cases: upsert by source_id and read by either id."""

from __future__ import annotations

from openvoucher.customers import customers
from tests.support.contexts import Context


def test_customer_upserts_and_reads_by_id_or_source_id(ctx: Context) -> None:
    """Creating twice with one source_id keeps one customer, read by id and by source_id."""
    first = customers.create(ctx.uow, ctx.project_id, {"source_id": "ann", "name": "Ann"})
    again = customers.create(ctx.uow, ctx.project_id, {"source_id": "ann", "name": "Anne"})
    assert again["id"] == first["id"]
    by_id = customers.get(ctx.uow, ctx.project_id, first["id"])
    assert by_id == customers.get(ctx.uow, ctx.project_id, "ann")
    assert by_id["name"] == "Anne"
