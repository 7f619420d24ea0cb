"""Loyalty: programmes with tiers, earning rules, rewards and members; an order.paid earning
rule form; a member's points buckets and upcoming expiries."""

from __future__ import annotations

from typing import Any

from starlette.responses import Response

from openvoucher.api.schemas.loyalties import EarningRuleBody, TierBody
from openvoucher.api.schemas.webhooks import plain
from openvoucher.catalog import vouchers
from openvoucher.catalog.repositories.vouchers import VoucherFilter
from openvoucher.dashboard.forms import (
    FormError,
    as_schema,
    money_cents,
    required_text,
    whole_number,
)
from openvoucher.dashboard.web import Page, Pages, field_errors, pager
from openvoucher.gift_cards.presenters.transactions import transaction
from openvoucher.kernel.errors import VoucherifyError
from openvoucher.loyalty import earning_rules, loyalty_members, rewards, tiers
from openvoucher.loyalty import programmes as loyalty

pages = Pages()


@pages.get("/loyalty")
def programme_list(page: Page) -> Response:
    """The project's loyalty programmes."""
    number, limit, offset = pager(page.query)
    rows, total = loyalty.list_programmes(
        page.uow, page.project_id, order="-created_at", limit=limit, offset=offset
    )
    return page.render("loyalty.html", rows=rows, total=total, number=number, limit=limit)


MEMBERS_PER_PAGE = 25
"""Members are listed in code order, a page at a time after ``?after=<code>`` (a range on the
campaign's code index, like the campaign page: docs/adr/0073)."""


def _programme_context(page: Page) -> dict[str, Any]:
    ident = page.path["campaign_id"]
    programme = loyalty.get_programme(page.uow, page.project_id, ident)
    after = page.query.get("after") or None
    members, total = loyalty.list_members(
        page.uow,
        page.project_id,
        ident,
        VoucherFilter(code_after=after),
        page.query.get("customer") or None,
        order="code",
        limit=MEMBERS_PER_PAGE,
        offset=0,
    )
    levels, _ = tiers.list_tiers(page.uow, page.project_id, ident, limit=100, offset=0)
    rules, _ = earning_rules.list_rules(page.uow, page.project_id, ident, limit=100, offset=0)
    offered = rewards.list_assignments(
        page.uow, page.project_id, limit=100, offset=0, ident=programme["id"]
    )
    return {
        "programme": programme,
        "members": members,
        "total": total,
        "after": after,
        "next_after": members[-1]["code"] if total > len(members) and members else None,
        "tiers": levels,
        "rules": rules,
        "assignments": offered.get("data", []),
        "reward_names": _reward_names(page, offered.get("data", [])),
    }


def _reward_names(page: Page, offered: list[dict[str, Any]]) -> dict[str, str]:
    """The names of the rewards a programme offers (at most 100 assignments are listed)."""
    names: dict[str, str] = {}
    for item in offered:
        ident = str(item["reward_id"])
        if ident not in names:
            names[ident] = str(rewards.get_reward(page.uow, page.project_id, ident)["name"])
    return names


@pages.get("/loyalty/{campaign_id}")
def programme_page(page: Page) -> Response:
    """One programme: tiers, earning rules, rewards, members."""
    return page.render(
        "programme.html", values={"every": "1.00", "points": "1"}, **_programme_context(page)
    )


def rule_body(page: Page) -> dict[str, Any]:
    """An ``order.paid`` rule: fixed points per order, or points for every amount spent."""
    banner = required_text(page.field("banner"), "banner", "A name")
    points = whole_number(page.field("points"), "points", low=1)
    if page.field("kind") == "FIXED":
        earn: dict[str, Any] = {"type": "FIXED", "points": points}
    else:
        every = money_cents(page.field("every"), "every")
        if every <= 0:
            raise FormError({"every": "The amount must be above zero."})
        earn = {
            "type": "PROPORTIONAL",
            "calculation_type": "ORDER_TOTAL_AMOUNT",
            "order": {"total_amount": {"every": every, "points": points}},
        }
    body = {"event": "order.paid", "source": {"banner": banner}, "loyalty": earn}
    return plain(as_schema(EarningRuleBody, body))


@pages.post("/loyalty/{campaign_id}/earning-rules")
def add_rule(page: Page) -> Response:
    """Add an earning rule, as ``POST /v1/loyalties/{id}/earning-rules``."""
    ident = page.path["campaign_id"]
    try:
        earning_rules.create(page.uow, page.project_id, ident, [rule_body(page)])
    except (FormError, VoucherifyError) as error:
        errors = (
            error.errors
            if isinstance(error, FormError)
            else field_errors(error, ("banner", "points", "every"))
        )
        values = {name: page.field(name) for name in ("banner", "points", "every", "kind")}
        return page.render(
            "programme.html", 422, errors=errors, values=values, **_programme_context(page)
        )
    return page.redirect(f"/loyalty/{ident}", done="rule")


def tier_body(page: Page) -> dict[str, Any]:
    """A tier: a name and its points range (``to`` empty: no upper bound)."""
    name = required_text(page.field("tier_name"), "tier_name", "A tier name")
    low = whole_number(page.field("tier_from"), "tier_from", low=0)
    points: dict[str, Any] = {"from": low}
    if page.field("tier_to"):
        points["to"] = whole_number(page.field("tier_to"), "tier_to", low=low)
    return plain(as_schema(TierBody, {"name": name, "points": points}))


@pages.post("/loyalty/{campaign_id}/tiers")
def add_tier(page: Page) -> Response:
    """Add a tier, as ``POST /v1/loyalties/{id}/tiers``."""
    ident = page.path["campaign_id"]
    try:
        tiers.create(page.uow, page.project_id, ident, [tier_body(page)])
    except (FormError, VoucherifyError) as error:
        names = ("tier_name", "tier_from", "tier_to")
        errors = error.errors if isinstance(error, FormError) else {"tier_from": error.details}
        values = {name: page.field(name) for name in names}
        return page.render(
            "programme.html", 422, errors=errors, values=values, **_programme_context(page)
        )
    return page.redirect(f"/loyalty/{ident}", done="tier")


@pages.get("/loyalty/{campaign_id}/members/{member_id}")
def member_page(page: Page) -> Response:
    """A member's card, points buckets (soonest expiry first) and transactions."""
    ident, member_id = page.path["campaign_id"], page.path["member_id"]
    buckets, _ = loyalty_members.points_expiration(
        page.uow, page.project_id, ident, member_id, limit=50, offset=0
    )
    ledger, _ = loyalty_members.transactions(
        page.uow, page.project_id, member_id, ident, limit=50, newest_first=True, after_id=None
    )
    card = vouchers.get(page.uow, page.project_id, member_id)
    return page.render(
        "member.html", card=card, buckets=buckets, ledger=[transaction(r) for r in ledger]
    )
