"""What v2 earning rules gave: the programme's points-earnings and earning-rules reports, a
member's daily report of one rule, and a member's benefit transactions."""

from __future__ import annotations

from typing import Any

from openvoucher.api.params import choice_param, int_param
from openvoucher.api.routes.loyalty_v2.params import id_filters, report_window
from openvoucher.api.routing import ApiRequest, Routes
from openvoucher.loyalty.repositories.v2_earnings import (
    BENEFIT_FILTER_FIELDS,
    REPORT_FILTER_FIELDS,
)
from openvoucher.loyalty.v2 import benefit_grants, earning_reports

routes = Routes()
PROGRAM = "/v2/loyalties/programs/{programId}"
MEMBER = PROGRAM + "/members/{memberId}"
RULE_FIELDS = {"earning_rule_id": REPORT_FILTER_FIELDS["earning_rule_id"]}


@routes.get(PROGRAM + "/reports/points-earnings/summary")
def points_earnings_summary(request: ApiRequest) -> dict[str, Any]:
    """Points the programme's rules gave per rule, earning item and wallet, in total."""
    query = (id_filters(request, REPORT_FILTER_FIELDS), None)
    ident = request.path["programId"]
    return earning_reports.points_earnings(request.uow, request.project_id, ident, query)


@routes.get(PROGRAM + "/reports/points-earnings/daily")
def points_earnings_daily(request: ApiRequest) -> dict[str, Any]:
    """Points the programme's rules gave per rule, earning item, wallet and period."""
    query = (id_filters(request, REPORT_FILTER_FIELDS), report_window(request))
    ident = request.path["programId"]
    return earning_reports.points_earnings(request.uow, request.project_id, ident, query)


@routes.get(PROGRAM + "/reports/earning-rules/summary")
def earning_rules_summary(request: ApiRequest) -> dict[str, Any]:
    """How often each of the programme's rules fired, in total."""
    query = (id_filters(request, RULE_FIELDS), None)
    ident = request.path["programId"]
    return earning_reports.earning_rules(request.uow, request.project_id, ident, query)


@routes.get(PROGRAM + "/reports/earning-rules/daily")
def earning_rules_daily(request: ApiRequest) -> dict[str, Any]:
    """How often each of the programme's rules fired, per period."""
    query = (id_filters(request, RULE_FIELDS), report_window(request))
    ident = request.path["programId"]
    return earning_reports.earning_rules(request.uow, request.project_id, ident, query)


@routes.get(MEMBER + "/earning-rules/{earningRuleId}/reports/daily")
def member_earning_rule_daily(request: ApiRequest) -> dict[str, Any]:
    """How often the rule fired for the member, per period."""
    path = (
        request.path["programId"],
        request.path["memberId"],
        request.path["earningRuleId"],
    )
    return earning_reports.member_rule(
        request.uow, request.project_id, path, report_window(request)
    )


@routes.get(MEMBER + "/benefits/transactions")
def list_member_benefit_transactions(request: ApiRequest) -> dict[str, Any]:
    """A page of the member's benefit grants (cursor, order by creation, filters by benefit
    and creation time)."""
    order = choice_param(request.query, "order", {"created_at", "-created_at"}, "-created_at")
    window = (
        request.query.get("cursor"),
        int_param(request.query, "limit", 10, low=1, high=100),
        order != "created_at",
    )
    return benefit_grants.transactions(
        request.uow,
        request.project_id,
        (request.path["programId"], request.path["memberId"]),
        window,
        id_filters(request, BENEFIT_FILTER_FIELDS),
    )
