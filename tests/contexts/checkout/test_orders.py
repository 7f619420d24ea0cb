"""Orders through their use cases: created, then updated by source_id."""

from __future__ import annotations

from openvoucher.checkout import orders
from tests.support.contexts import Context


def test_order_upserts_by_source_id(ctx: Context) -> None:
    """A second create with the same source_id updates the order instead of adding one."""
    first = orders.create(ctx.uow, ctx.project_id, {"source_id": "o-1", "amount": 1000})
    again = orders.create(
        ctx.uow, ctx.project_id, {"source_id": "o-1", "amount": 1200, "status": "PAID"}
    )
    assert again["id"] == first["id"]
    stored = orders.get(ctx.uow, ctx.project_id, "o-1")
    assert (stored["amount"], stored["status"]) == (1200, "PAID")
