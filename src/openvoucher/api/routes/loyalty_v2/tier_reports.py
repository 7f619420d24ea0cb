"""``/v2/loyalties/programs/{programId}``: a member's tier transactions and the programme's
tiers reports."""

from __future__ import annotations

from datetime import date
from typing import Any

from openvoucher.api.filters import filters_param
from openvoucher.api.params import int_param, invalid_query
from openvoucher.api.routing import ApiRequest, Routes
from openvoucher.loyalty.repositories.v2_tiers import REPORT_FILTERS, TRANSACTION_FILTERS
from openvoucher.loyalty.v2 import tier_reports

routes = Routes()
PROGRAM = "/v2/loyalties/programs/{programId}"


def _descending(request: ApiRequest, field: str, default: str) -> bool:
    """Whether the one ``order`` field (``field`` or ``-field``) descends."""
    given = request.query.getlist("order") or request.query.getlist("order[]") or [default]
    if len(given) != 1 or given[0].lstrip("-") != field:
        raise invalid_query(f"order must be {field} or -{field}")
    return given[0].startswith("-")


def _day(request: ApiRequest, name: str) -> date:
    try:
        return date.fromisoformat(request.query.get(name) or "")
    except ValueError:
        raise invalid_query(f"'{name}' must be a date (YYYY-MM-DD)") from None


@routes.get(PROGRAM + "/members/{memberId}/tiers/transactions")
def list_member_tier_transactions(request: ApiRequest) -> dict[str, Any]:
    """A page of the member's tier joins, upgrades, downgrades, prolongations and exits."""
    query = (
        request.query.get("cursor"),
        int_param(request.query, "limit", 10, low=1, high=100),
        _descending(request, "created_at", "-created_at"),
        filters_param(request.query, TRANSACTION_FILTERS),
    )
    path = (request.path["programId"], request.path["memberId"])
    return tier_reports.transactions(request.uow, request.project_id, path, query)


@routes.get(PROGRAM + "/reports/tiers/daily")
def tiers_daily_report(request: ApiRequest) -> dict[str, Any]:
    """Tier movements per day, week, month or quarter, structure and tier."""
    window = (
        _day(request, "start_date"),
        _day(request, "end_date"),
        request.query.get("resolution") or "",
    )
    filters = filters_param(request.query, REPORT_FILTERS)
    ident = request.path["programId"]
    return tier_reports.daily(request.uow, request.project_id, ident, window, filters)


@routes.get(PROGRAM + "/reports/tiers/summary")
def tiers_summary_report(request: ApiRequest) -> dict[str, Any]:
    """All-time tier movements per structure and tier."""
    order = (
        int_param(request.query, "limit", 100, low=1, high=100),
        _descending(request, "id", "-id"),
    )
    filters = filters_param(request.query, REPORT_FILTERS)
    ident = request.path["programId"]
    return tier_reports.summary(request.uow, request.project_id, ident, order, filters)
