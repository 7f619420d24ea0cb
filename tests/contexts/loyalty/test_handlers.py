"""Loyalty's reactions, reached through the bootstrap table inside the order's transaction."""

from __future__ import annotations

from typing import Any

from openvoucher.adapters.db.unit_of_work import SqlUnitOfWork
from openvoucher.checkout import orders
from openvoucher.kernel.unit_of_work import UnitOfWork
from openvoucher.loyalty import earning_rules, programmes
from tests.support.contexts import Context


def _programme_with_order_rule(uow: UnitOfWork, project_id: str) -> dict[str, Any]:
    loyalty_card = {"points": 0, "expiration_rules": {"period_type": "MONTH", "period_value": 12}}
    fields = {
        "name": "Club",
        "voucher": {
            "type": "LOYALTY_CARD",
            "loyalty_card": loyalty_card,
            "code_config": {"pattern": "LC-#####"},
        },
    }
    programme = programmes.create_programme(uow, project_id, fields, None)
    rule = {
        "event": "order.paid",
        "source": {"banner": "Basic points"},
        "loyalty": {
            "type": "PROPORTIONAL",
            "calculation_type": "ORDER_TOTAL_AMOUNT",
            "order": {"total_amount": {"every": 100, "points": 1}},
        },
    }
    earning_rules.create(uow, project_id, programme["id"], [rule])
    return programme


def _points(uow: UnitOfWork, project_id: str, programme_id: str, source_id: str) -> int:
    card = programmes.add_member(
        uow, project_id, programme_id, {"customer": {"source_id": source_id}}
    )
    return int(card["loyalty_card"]["points"])


def test_paid_order_accrues_points_through_the_reaction_table(ctx: Context) -> None:
    """A PAID order of a member earns the order.paid rule's points in the order's transaction."""
    programme = _programme_with_order_rule(ctx.uow, ctx.project_id)
    assert _points(ctx.uow, ctx.project_id, programme["id"], "ann") == 0
    order = {"amount": 2500, "status": "PAID", "customer": {"source_id": "ann"}}
    orders.create(ctx.uow, ctx.project_id, order)
    assert _points(ctx.uow, ctx.project_id, programme["id"], "ann") == 25


def test_without_the_table_nothing_reacts(ctx: Context) -> None:
    """A unit of work without bootstrap's reaction table runs no earning rules."""
    programme = _programme_with_order_rule(ctx.uow, ctx.project_id)
    _points(ctx.uow, ctx.project_id, programme["id"], "bob")
    bare = SqlUnitOfWork(ctx.uow.engine, ctx.uow.clock)
    order = {"amount": 2500, "status": "PAID", "customer": {"source_id": "bob"}}
    orders.create(bare, ctx.project_id, order)
    assert _points(ctx.uow, ctx.project_id, programme["id"], "bob") == 0
