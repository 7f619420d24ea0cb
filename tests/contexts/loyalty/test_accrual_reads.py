"""What a paid order reads to earn points (v1 and v2 rules): each row it needs, once."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import event

from openvoucher.checkout import orders
from openvoucher.loyalty import earning_rules, programmes
from openvoucher.loyalty.v2 import components, members, programs
from tests.support.contexts import Context

V1_RULE = {
    "event": "order.paid",
    "loyalty": {
        "type": "PROPORTIONAL",
        "calculation_type": "ORDER_AMOUNT",
        "order": {"amount": {"every": 100, "points": 1}},
    },
}


@contextmanager
def _statements(ctx: Context) -> Iterator[list[str]]:
    """The SQL statements run on the container's engine while the block runs."""
    seen: list[str] = []

    def hook(_conn: Any, _cursor: Any, statement: str, *_rest: Any) -> None:
        seen.append(" ".join(statement.split()))

    event.listen(ctx.container.engine, "before_cursor_execute", hook)
    try:
        yield seen
    finally:
        event.remove(ctx.container.engine, "before_cursor_execute", hook)


def _reads(seen: list[str], table: str) -> int:
    return sum(1 for s in seen if s.startswith("SELECT") and f" FROM {table} " in f"{s} ")


def _v2_member(ctx: Context, source_id: str) -> tuple[str, str, str]:
    """A v2 programme earning 1 point per 100 of a paid order; (programme, member, card)."""
    uow, project_id = ctx.uow, ctx.project_id
    wallet = components.create(
        uow, project_id, "card_definition", {"name": "W", "status": "ACTIVE"}
    )
    effect = {
        "type": "POINTS_PROPORTIONAL",
        "points_proportional": {
            "calculation_type": "PRE_DISCOUNT_ORDER_AMOUNT",
            "card_definition_id": wallet["id"],
            "order": {"amount": {"every": 100, "value": 1}},
        },
    }
    rule = {
        "name": "R",
        "status": "ACTIVE",
        "trigger": {"event": "customer.order.paid"},
        "earnings": [{"effects": [effect]}],
    }
    found = components.create(uow, project_id, "earning_rule", rule)
    body = {
        "name": "Club",
        "status": "ACTIVE",
        "card_definitions": [{"id": wallet["id"]}],
        "earning_rules": [{"id": found["id"]}],
    }
    club = programs.create(uow, project_id, body)
    customer = orders.create(uow, project_id, {"amount": 1, "customer": {"source_id": source_id}})
    joined = members.create(uow, project_id, club["id"], {"customer_id": customer["customer_id"]})
    return club["id"], joined["id"], joined["cards"][0]["card"]["id"]


def test_v2_paid_order_reads_programme_and_wallet_once(ctx: Context) -> None:
    """A v2 member's paid order earns its points reading v2 components in two statements."""
    club, member, card = _v2_member(ctx, "ann")
    paid = {"status": "PAID", "amount": 10_000, "customer": {"source_id": "ann"}}
    with _statements(ctx) as seen:
        orders.create(ctx.uow, ctx.project_id, paid)
    assert _reads(seen, "loyalty_v2_objects") == 2  # programme + wallets, assigned rules
    assert _reads(seen, "loyalty_v2_cards") == 1
    found = members.get(ctx.uow, ctx.project_id, club, member)["cards"][0]["card"]
    assert (found["id"], found["balance"]) == (card, {"points": 100, "pending_points": 0})


def test_v1_paid_order_reads_its_campaign_once(ctx: Context) -> None:
    """A v1 member's paid order reads the programme once: the tier check takes its settings
    from the card row."""
    club = programmes.create_programme(
        ctx.uow, ctx.project_id, {"name": "Club", "voucher": {"loyalty_card": {"points": 0}}}, None
    )
    earning_rules.create(ctx.uow, ctx.project_id, club["id"], [V1_RULE])
    programmes.add_member(ctx.uow, ctx.project_id, club["id"], {"customer": {"source_id": "bob"}})
    paid = {"status": "PAID", "amount": 2_500, "customer": {"source_id": "bob"}}
    with _statements(ctx) as seen:
        orders.create(ctx.uow, ctx.project_id, paid)
    assert _reads(seen, "campaigns") == 1
    assert _reads(seen, "reward_assignments") == 1
    card = programmes.add_member(
        ctx.uow, ctx.project_id, club["id"], {"customer": {"source_id": "bob"}}
    )
    assert card["loyalty_card"]["points"] == 25
