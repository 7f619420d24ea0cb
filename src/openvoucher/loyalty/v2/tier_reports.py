"""Loyalty v2 tier transactions of a member, and the programme's tiers reports, counted from
the tier transactions (the project's time zone deciding the day)."""

from __future__ import annotations

from datetime import date
from typing import Any

from openvoucher.kernel import project_time
from openvoucher.kernel.filters import Filters
from openvoucher.kernel.unit_of_work import UnitOfWork
from openvoucher.loyalty.domain import v2_reports, v2_tier_rules
from openvoucher.loyalty.domain.v2_card_definitions import invalid
from openvoucher.loyalty.presenters import v2 as present
from openvoucher.loyalty.presenters import v2_tiers as shown
from openvoucher.loyalty.repositories.v2_tiers import TierTransactionRepository
from openvoucher.loyalty.v2.components import decode_cursor, require, windowed
from openvoucher.loyalty.v2.members import require_member
from openvoucher.platform import project_zone

CURSOR = "lcrsttx_"
MAX_PERIODS = {"day": 90, "week": 12, "month": 12, "quarter": 4}
"""The longest window of each resolution (the spec's limits)."""


def transactions(
    uow: UnitOfWork,
    project_id: str,
    path: tuple[str, str],
    query: tuple[str | None, int, bool, Filters | None],
) -> dict[str, Any]:
    """``GET …/members/{memberId}/tiers/transactions``: a page of the member's tier
    transactions (``query``: cursor, limit, newest first, filters)."""
    program_id, member_id = path
    cursor, limit, newest, filters = query
    offset = decode_cursor(CURSOR, cursor)
    with uow.read(project_id) as tx:
        require(tx, "program", program_id)
        require_member(tx, program_id, member_id)
        rows = TierTransactionRepository(tx.conn, tx.project_id).page(
            member_id, filters, (offset, limit, newest), tx.now
        )
    page, following = windowed(rows, CURSOR, offset, limit)
    return present.page([shown.transaction(r) for r in page], following)


def daily(
    uow: UnitOfWork,
    project_id: str,
    program_id: str,
    window: tuple[date, date, str],
    filters: Filters | None,
) -> dict[str, Any]:
    """``GET …/reports/tiers/daily``: tier movements per period, structure and tier."""
    start, end, resolution = window
    firsts = v2_reports.periods(start, end, resolution)
    if len(firsts) > MAX_PERIODS[resolution]:
        raise invalid(f"a {resolution} report covers at most {MAX_PERIODS[resolution]} periods")
    with uow.read(project_id) as tx:
        require(tx, "program", program_id)
        zone = project_zone.zone_name(tx)
        rows = TierTransactionRepository(tx.conn, tx.project_id).of_program(
            program_id, filters, tx.now
        )
    dated = []
    for row in rows:
        day = project_time.local_date(row["created_at"], zone)
        if start <= day <= end:
            dated.append((v2_reports.period_start(day, resolution), row["attrs"]))
    counted = v2_tier_rules.by_period(dated)
    keys = sorted({key for found in counted.values() for key in found})
    data = [
        shown.daily_entry(first, key, counted.get(first, {}).get(key, {}))
        for first in firsts
        for key in keys
    ]
    return {"data": data, "object": "report"}


def summary(
    uow: UnitOfWork,
    project_id: str,
    program_id: str,
    order: tuple[int, bool],
    filters: Filters | None,
) -> dict[str, Any]:
    """``GET …/reports/tiers/summary``: all-time tier movements per structure and tier
    (``order``: the limit, and whether ids descend)."""
    limit, descending = order
    with uow.read(project_id) as tx:
        require(tx, "program", program_id)
        rows = TierTransactionRepository(tx.conn, tx.project_id).of_program(
            program_id, filters, tx.now
        )
    counted = v2_tier_rules.counted(row["attrs"] for row in rows)
    entries = [shown.summary_entry(key, found) for key, found in counted.items()]
    entries.sort(key=lambda entry: str(entry["id"]), reverse=descending)
    return {"data": entries[:limit], "object": "report"}
