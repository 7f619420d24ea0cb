"""Loyalty v2 earning reports, read from what each rule firing gave (``loyalty_v2_earnings``,
append-only, written with the ledger rows it names): a programme's points earnings per earning
rule, earning item and wallet, its earning rules' firings, and one member's firings of one rule;
in total or per day, week, month or quarter of the project's calendar."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from openvoucher.kernel import project_time
from openvoucher.kernel.filters import Filters
from openvoucher.kernel.unit_of_work import Tx, UnitOfWork
from openvoucher.loyalty.domain import v2_reports
from openvoucher.loyalty.repositories.v2_earnings import earnings_of_program, fires_of_member
from openvoucher.loyalty.v2.components import require
from openvoucher.loyalty.v2.members import require_member
from openvoucher.platform import project_zone

CREDITS = ("POINTS", "PENDING_POINTS")
EVERYTHING = ("POINTS", "PENDING_POINTS", "BENEFIT")
Window = tuple[date, date, str]
Group = tuple[str, ...]


@dataclass(frozen=True)
class Slots:
    """A report window on the project's calendar: its periods (first days), the UTC instants
    it spans, and the period a moment falls in (``at``; None outside the window)."""

    firsts: list[date]
    between: tuple[datetime, datetime]
    at: Callable[[Any], date | None]


def _slots(tx: Tx, window: Window) -> Slots:
    start, end, resolution = window
    firsts = v2_reports.checked_periods(start, end, resolution)
    zone = project_zone.zone_name(tx)
    known = set(firsts)

    def at(moment: Any) -> date | None:
        day = project_time.local_date(moment, zone)
        first = v2_reports.period_start(day, resolution)
        return first if start <= day <= end and first in known else None

    since = project_time.to_utc(start, zone)
    return Slots(firsts, (since, project_time.to_utc(end + timedelta(days=1), zone)), at)


def _program_rows(
    uow: UnitOfWork,
    project_id: str,
    program_id: str,
    query: tuple[Filters | None, Window | None],
    kinds: tuple[str, ...],
) -> tuple[list[tuple[date | None, dict[str, Any]]], list[date]]:
    """The programme's rows meeting the filters, each with its period (None in total), and
    the window's periods."""
    filters, window = query
    with uow.read(project_id) as tx:
        require(tx, "program", program_id)
        slots = _slots(tx, window) if window is not None else None
        between = slots.between if slots is not None else None
        rows = earnings_of_program(
            tx.conn, tx.project_id, program_id, (filters, tx.now, between), kinds
        )
    if slots is None:
        return [(None, r) for r in rows], []
    placed = [(slots.at(r["created_at"]), r) for r in rows]
    return [(at, r) for at, r in placed if at is not None], slots.firsts


def _points_figures(rows: list[dict[str, Any]]) -> dict[str, int]:
    return {
        "success_count": len(rows),
        "points": sum(int(r["points"]) for r in rows if r["kind"] == "POINTS"),
        "pending_points": sum(int(r["points"]) for r in rows if r["kind"] == "PENDING_POINTS"),
    }


def _points_group(row: dict[str, Any]) -> Group:
    return (row["earning_rule_id"], row["earning_item_id"] or "", row["card_definition_id"])


def _points_keys(group: Group) -> dict[str, Any]:
    rule, item, wallet = group
    return {
        "earning_rule_id": rule,
        **({"earning_item_id": item} if item else {}),
        "card_definition_id": wallet,
    }


def points_earnings(
    uow: UnitOfWork,
    project_id: str,
    program_id: str,
    query: tuple[Filters | None, Window | None],
) -> dict[str, Any]:
    """Points the programme's rules gave, per rule, earning item and wallet: how many credits
    (``success_count``), the points given at once and those held as pending; in total or
    (``query``'s window) per period."""
    placed, firsts = _program_rows(uow, project_id, program_id, query, CREDITS)
    return _report(
        placed,
        firsts,
        (_points_group, _points_keys, _points_figures),
        "program_points_earnings",
    )


def _rule_figures(rows: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "success_count": len({r["fire_id"] for r in rows}),
        "failures_count": 0,
        "failures_breakdown": {"cooldown": 0, "frequency": 0},
    }


def earning_rules(
    uow: UnitOfWork,
    project_id: str,
    program_id: str,
    query: tuple[Filters | None, Window | None],
) -> dict[str, Any]:
    """How often each of the programme's rules fired (a firing: one paid order of one
    member, whatever it gave); rules never fail (no trigger limits are enforced)."""
    placed, firsts = _program_rows(uow, project_id, program_id, query, EVERYTHING)
    return _report(
        placed,
        firsts,
        (lambda r: (r["earning_rule_id"],), lambda g: {"earning_rule_id": g[0]}, _rule_figures),
        "program_earning_rules",
    )


def _report(
    placed: list[tuple[date | None, dict[str, Any]]],
    firsts: list[date],
    shape: tuple[
        Callable[[dict[str, Any]], Group],
        Callable[[Group], dict[str, Any]],
        Callable[[list[dict[str, Any]]], dict[str, Any]],
    ],
    name: str,
) -> dict[str, Any]:
    """Entries per group (in the order groups first appear), per period when ``firsts``."""
    group_of, keys, figures = shape
    groups = list(dict.fromkeys(group_of(r) for _at, r in placed))
    if not firsts:
        data = [
            {
                **keys(g),
                **figures([r for _at, r in placed if group_of(r) == g]),
                "object": f"{name}_summary_report",
            }
            for g in groups
        ]
        return {"data": data, "object": "report"}
    data = [
        {
            "date": first.isoformat(),
            **keys(g),
            **figures([r for at, r in placed if at == first and group_of(r) == g]),
            "object": f"{name}_daily_report",
        }
        for first in firsts
        for g in groups
    ]
    return {"data": data, "object": "report"}


def member_rule(
    uow: UnitOfWork, project_id: str, path: tuple[str, str, str], window: Window
) -> dict[str, Any]:
    """How often the rule fired for the member per period (``path``: programme, member,
    earning rule; 404 for any unknown)."""
    program_id, member_id, rule_id = path
    with uow.read(project_id) as tx:
        require(tx, "program", program_id)
        require_member(tx, program_id, member_id)
        require(tx, "earning_rule", rule_id)
        slots = _slots(tx, window)
        fires = fires_of_member(tx.conn, tx.project_id, (member_id, rule_id), slots.between)
    counts = dict.fromkeys(slots.firsts, 0)
    for row in fires:
        if (at := slots.at(row["created_at"])) is not None:
            counts[at] += 1
    return {
        "data": [
            {"date": f.isoformat(), "count": n, "object": "earning_rule_daily_report"}
            for f, n in counts.items()
        ],
        "object": "report",
    }
