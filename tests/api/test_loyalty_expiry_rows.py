"""The rows the points expiration job writes in bulk read back as the ORM path writes them."""

from __future__ import annotations

from datetime import UTC, datetime

import httpx
from sqlalchemy import func, select

from openvoucher.adapters.db.schema.catalog import vouchers
from openvoucher.adapters.db.schema.ledger import voucher_transactions as vtx
from openvoucher.adapters.db.schema.loyalty import loyalty_point_buckets as buckets
from openvoucher.loyalty.points_expiration import expire_due_points
from tests.api.catalog_helpers import outbox
from tests.api.loyalty_helpers import card, clock_at, join, order_rule, pay, programme
from tests.support.server import Project, RunningServer

MEMBERS = ("ann", "ben", "cid")
JOINED = datetime(2031, 3, 1, 9, 0, tzinfo=UTC)
EXPIRED = datetime(2033, 1, 1, 0, 0, tzinfo=UTC)
"""Whole seconds: a driver's own datetime text drops ``.000000``, the ORM's keeps it."""


def _expire_three(http: httpx.Client, server: RunningServer, project: Project) -> list[str]:
    with clock_at(server, JOINED):
        club = programme(http)
        order_rule(http, club["id"])
        codes = [join(http, club["id"], name)["code"] for name in MEMBERS]
        for name in MEMBERS:
            pay(http, name, 5_000)
    with clock_at(server, EXPIRED):
        assert expire_due_points(server.container.uow, project.id, EXPIRED) == 3
    return codes


def test_bulk_rows_match_exact_time_filters(
    http: httpx.Client, server: RunningServer, project: Project
) -> None:
    """Ledger rows, cards and buckets written in bulk store their time as the ORM does: an
    equality filter on the time read back finds every one of them."""
    codes = _expire_three(http, server, project)
    assert [card(http, code)["loyalty_card"]["balance"] for code in codes] == [0, 0, 0]
    with server.container.engine.connect() as conn:
        expired = vtx.c.type == "POINTS_EXPIRATION"
        mine = vtx.c.project_id == project.id
        moment = conn.execute(select(vtx.c.created_at).where(mine, expired)).scalars().first()
        assert moment == EXPIRED
        same = select(func.count()).select_from(vtx).where(mine, expired)
        assert conn.execute(same.where(vtx.c.created_at == moment)).scalar_one() == 3
        cards = select(func.count()).where(
            vouchers.c.project_id == project.id, vouchers.c.updated_at == moment
        )
        assert conn.execute(cards).scalar_one() == 3
        gone = select(func.count()).where(
            buckets.c.project_id == project.id,
            buckets.c.status == "EXPIRED",
            buckets.c.points == 0,
            buckets.c.updated_at == moment,
        )
        assert conn.execute(gone).scalar_one() == 3


def test_bulk_ids_sort_in_insertion_order(
    http: httpx.Client, server: RunningServer, project: Project
) -> None:
    """Outbox events and the job's ledger rows get ids of the usual shape that sort in the
    order they were written."""
    _expire_three(http, server, project)
    events = [row["id"] for row in outbox(server, project)]
    assert events == sorted(events)
    assert all(len(ident) == len("evt_") + 24 and ident.isascii() for ident in events)
    with server.container.engine.connect() as conn:
        query = (
            select(vtx.c.id)
            .where(vtx.c.project_id == project.id, vtx.c.type == "POINTS_EXPIRATION")
            .order_by(vtx.c.seq)
        )
        ledger = list(conn.execute(query).scalars())
    assert len(ledger) == 3
    assert ledger == sorted(ledger)
    assert all(ident.startswith("vtx_") and len(ident) == 28 for ident in ledger)
