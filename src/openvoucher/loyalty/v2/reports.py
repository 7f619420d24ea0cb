"""Loyalty v2 reports read from the shared ledger: a card's points per day, week, month or
quarter (``…/cards/{id}/reports/daily``) and a programme's spending (``…/reports/spending``)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from openvoucher.kernel import project_time
from openvoucher.kernel.unit_of_work import UnitOfWork
from openvoucher.loyalty.domain import v2_reports
from openvoucher.loyalty.presenters.v2_members import lifetime
from openvoucher.loyalty.repositories.v2_members import CardRepository, spends_of_program
from openvoucher.loyalty.v2.cards import require_card
from openvoucher.loyalty.v2.components import require
from openvoucher.platform import project_zone

FIELDS = {
    "total": "points_total",
    "earned": "points_earned",
    "added": "points_added",
    "purchased": "points_purchased",
    "purchased_reversed": "points_purchased_reversed",
    "subtracted": "points_subtracted",
    "expired": "points_expired",
    "spent": "points_spent",
    "refunded": "points_refunded",
    "returned": "points_returned",
    "locked": "points_locked",
    "unlocked": "points_unlocked",
}


def card_report(
    uow: UnitOfWork,
    project_id: str,
    path: tuple[str, str, str],
    window: tuple[date, date, str],
) -> dict[str, Any]:
    """The card's points changes per period of ``window`` (start, end, resolution), on the
    project's calendar: what the lifetime bucket counts, but per period."""
    start, end, resolution = window
    firsts = v2_reports.periods(start, end, resolution)
    with uow.read(project_id) as tx:
        card = require_card(tx, *path)
        zone = project_zone.zone_name(tx)
        cards = CardRepository(tx.conn, tx.project_id)
        moves = cards.transactions(card["voucher_id"], 0, 1_000_000, False)
        held = cards.pending_entries(card["voucher_id"])
    totals: dict[date, dict[str, int]] = {first: {} for first in firsts}
    pending: dict[date, dict[str, int]] = {first: {} for first in firsts}

    def slot(moment: datetime) -> date | None:
        day = project_time.local_date(moment, zone)
        first = v2_reports.period_start(day, resolution)
        return first if start <= day <= end and first in totals else None

    for row in moves:
        if (at := slot(row["created_at"])) is not None:
            totals[at][row["type"]] = totals[at].get(row["type"], 0) + abs(int(row["amount"]))
    for row in held:
        if (at := slot(row["created_at"])) is not None:
            pending[at]["PENDING"] = pending[at].get("PENDING", 0) + int(row["points"])
        if row["status"] != "PENDING" and (at := slot(row["updated_at"])) is not None:
            pending[at][row["status"]] = pending[at].get(row["status"], 0) + int(row["points"])
    return {"data": [_entry(f, totals[f], pending[f]) for f in firsts], "object": "report"}


def _entry(first: date, totals: dict[str, int], pending: dict[str, int]) -> dict[str, Any]:
    figures = lifetime(totals, {})
    held = pending.get("PENDING", 0)
    return {
        "date": first.isoformat(),
        **{FIELDS[k]: v for k, v in figures["points"].items()},
        "pending_points_total": held,
        "pending_points_activated": pending.get("ACTIVATED", 0),
        "pending_points_canceled": pending.get("CANCELED", 0),
        "object": "card_daily_report",
    }


def _spent(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The spends that stand: order payments, and purchases not refunded."""
    return [
        r
        for r in rows
        if r["kind"] == "order_payment"
        or (r["attrs"].get("type") == "PURCHASE" and r["attrs"].get("status") == "APPROVED")
    ]


def _spending(rows: list[dict[str, Any]]) -> dict[str, int]:
    orders = [r for r in rows if r["kind"] == "order_payment"]
    rewards = [r for r in rows if r["kind"] != "order_payment"]
    return {
        "success": len(rows),
        "success_on_reward": len(rewards),
        "success_on_order": len(orders),
        "points": sum(int(r["points"]) for r in rows),
        "points_on_rewards": sum(int(r["points"]) for r in rewards),
        "points_on_order": sum(int(r["points"]) for r in orders),
        "amount_on_order": sum(int(r["attrs"]["payment"]["amount"]) for r in orders),
    }


def spending(
    uow: UnitOfWork,
    project_id: str,
    program_id: str,
    window: tuple[date, date, str] | None,
) -> dict[str, Any]:
    """Points spent in the programme per wallet (order payments and reward purchases that
    stand), in total or (``window``) per period on the project's calendar."""
    with uow.read(project_id) as tx:
        require(tx, "program", program_id)
        rows = _spent(spends_of_program(tx.conn, tx.project_id, program_id))
        zone = project_zone.zone_name(tx)
    wallets = sorted({r["card_definition_id"] for r in rows})
    if window is None:
        data = [
            {
                "card_definition_id": w,
                **_spending([r for r in rows if r["card_definition_id"] == w]),
                "object": "spending_summary_report",
            }
            for w in wallets
        ]
        return {"data": data, "object": "report"}
    start, end, resolution = window
    firsts = v2_reports.periods(start, end, resolution)
    found = []
    for first in firsts:
        for w in wallets:
            mine = [
                r
                for r in rows
                if r["card_definition_id"] == w
                and start <= (day := project_time.local_date(r["created_at"], zone)) <= end
                and v2_reports.period_start(day, resolution) == first
            ]
            found.append(
                {
                    "date": first.isoformat(),
                    "card_definition_id": w,
                    **_spending(mine),
                    "object": "spending_daily_report",
                }
            )
    return {"data": found, "object": "report"}
