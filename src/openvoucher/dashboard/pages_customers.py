"""Customers (search, a customer's wallet, loyalty cards, orders, redemptions, activity),
orders and redemptions (lists, details, rollback with a reason)."""

from __future__ import annotations

from typing import Any

from starlette.responses import Response

from openvoucher.checkout import orders, rollbacks
from openvoucher.checkout import redemption_reads as redemptions
from openvoucher.checkout.presenters.orders import order as present_order
from openvoucher.checkout.repositories.redemptions import RedemptionFilter
from openvoucher.customers import customer_redeemables, customers
from openvoucher.customers.presenters.customers import customer as present_customer
from openvoucher.customers.repositories.activity import ActivityQuery
from openvoucher.customers.repositories.customers import CustomerFilter
from openvoucher.dashboard.forms import FormError, required_text
from openvoucher.dashboard.web import Page, Pages, field_errors
from openvoucher.kernel.errors import NotFound, VoucherifyError
from openvoucher.kernel.filters import NO_FILTERS, Condition, Filters
from openvoucher.loyalty import programmes as loyalty

pages = Pages()

SEARCH_FIELDS = ("name", "email", "source_id")


PAGE_SIZE = 25


def customer_filter(field: str, text: str, after: str | None = None) -> CustomerFilter:
    """Customers whose name, email or source id starts with ``text`` (any case, through the
    field's ``lower()`` index), after the keyset cursor ``after`` (a customer id)."""
    return CustomerFilter(prefix=(field, text) if text else None, after_id=after)


def _keyset(rows: list[dict[str, Any]], total: int) -> str | None:
    """The next page's cursor: the last row's id when more rows follow."""
    return str(rows[-1]["id"]) if total > len(rows) and rows else None


@pages.get("/customers")
def customer_list(page: Page) -> Response:
    """A page of customers, newest first, searched by name, email or source id (prefix);
    later pages by a cursor (``?after=<customer id>``), never an offset."""
    text = (page.query.get("q") or "").strip()
    by = page.query.get("by") or ""
    field = by if by in SEARCH_FIELDS else "name"
    after = page.query.get("after") or None
    rows, total = customers.list_customers(
        page.uow,
        page.project_id,
        customer_filter(field, text, after),
        order="-created_at",
        limit=PAGE_SIZE,
        offset=0,
    )
    return page.render(
        "customers.html",
        rows=[present_customer(r) for r in rows],
        total=total,
        after=after,
        next_after=_keyset(rows, total),
        q=text,
        by=field,
        fields=SEARCH_FIELDS,
    )


def _customer_context(page: Page, ident: str) -> dict[str, Any]:
    found = customers.get(page.uow, page.project_id, ident)
    wallet = customer_redeemables.page(
        page.uow,
        page.project_id,
        found["id"],
        NO_FILTERS,
        limit=50,
        descending=True,
        after_id=None,
    )
    held = [item["redeemable"] for item in wallet.get("data", [])]
    by_customer = Condition("customer_id", "$is", (found["id"],), "string")
    order_rows, _ = orders.list_orders(
        page.uow,
        page.project_id,
        order="-created_at",
        limit=20,
        offset=0,
        filters=Filters(conditions=(by_customer,)),
    )
    redeemed = redemptions.list_redemptions(
        page.uow,
        page.project_id,
        RedemptionFilter(),
        found["id"],
        order="-created_at",
        limit=20,
        offset=0,
    )
    events, _ = customers.activity(
        page.uow, page.project_id, found["id"], ActivityQuery(customer_id="", limit=30)
    )
    cards = [h for h in held if h["voucher"]["type"] == "LOYALTY_CARD"]
    return {
        "customer": present_customer(found),
        "gift_cards": [h for h in held if h["voucher"]["type"] == "GIFT_VOUCHER"],
        "loyalty_cards": cards,
        "tiers": _tiers_of(page, cards),
        "coupons": [h for h in held if h["voucher"]["type"] == "DISCOUNT_VOUCHER"],
        "orders": [present_order(r) for r in order_rows],
        "redemptions": redeemed.get("redemptions", []),
        "activity": events,
    }


def _tiers_of(page: Page, cards: list[dict[str, Any]]) -> dict[str, str]:
    """The tier name of each loyalty card held (cards in no tier are left out)."""
    found: dict[str, str] = {}
    for held in cards:
        member_id = held["voucher"]["id"]
        levels = loyalty.member_tiers(page.uow, page.project_id, member_id)
        if levels:
            found[member_id] = str(levels[0].get("name") or levels[0].get("id"))
    return found


@pages.get("/customers/{customer_id}")
def customer_page(page: Page) -> Response:
    """One customer: wallet, loyalty cards, orders, redemptions and activity."""
    return page.render("customer.html", **_customer_context(page, page.path["customer_id"]))


@pages.get("/orders")
def order_list(page: Page) -> Response:
    """A page of orders, newest first; later pages by a cursor (``?after=<order id>``)."""
    after = page.query.get("after") or None
    rows, total = orders.list_orders(
        page.uow, page.project_id, order="-created_at", limit=PAGE_SIZE, offset=0, after_id=after
    )
    return page.render(
        "orders.html",
        rows=[present_order(r) for r in rows],
        total=total,
        after=after,
        next_after=_keyset(rows, total),
    )


@pages.get("/orders/{order_id}")
def order_page(page: Page) -> Response:
    """One order: items, totals and the discounts applied."""
    found = present_order(orders.get(page.uow, page.project_id, page.path["order_id"]))
    return page.render("order.html", order=found)


@pages.get("/redemptions")
def redemption_list(page: Page) -> Response:
    """A page of redemptions and rollbacks, newest first, by result; later pages by a cursor
    (``?after=<redemption id>``)."""
    result = (
        page.query.get("result") if page.query.get("result") in {"SUCCESS", "FAILURE"} else None
    )
    after = page.query.get("after") or None
    listing = redemptions.list_redemptions(
        page.uow,
        page.project_id,
        RedemptionFilter(result=result, after_id=after),
        None,
        order="-created_at",
        limit=PAGE_SIZE,
        offset=0,
    )
    rows = listing.get("redemptions", [])
    total = int(listing.get("total", 0))
    return page.render(
        "redemptions.html",
        rows=rows,
        total=total,
        after=after,
        next_after=_keyset(rows, total),
        result=result or "",
    )


def _redemption(page: Page) -> dict[str, Any]:
    return redemptions.get(page.uow, page.project_id, page.path["redemption_id"])


@pages.get("/redemptions/{redemption_id}")
def redemption_page(page: Page) -> Response:
    """One redemption: the redeemable, its discount, the order and a rollback form."""
    return page.render("redemption.html", redemption=_redemption(page))


@pages.post("/redemptions/{redemption_id}/rollback")
def rollback(page: Page) -> Response:
    """Roll the redemption back with a reason, as ``POST /v1/redemptions/{id}/rollback``."""
    ident = page.path["redemption_id"]
    try:
        reason = required_text(page.field("reason"), "reason", "A reason")
        done = rollbacks.rollback_one(page.uow, page.project_id, ident, {"reason": reason})
    except FormError as error:
        return _rollback_again(page, error.errors)
    except NotFound:
        raise
    except VoucherifyError as error:
        return _rollback_again(page, field_errors(error, ("reason",)))
    return page.redirect(f"/redemptions/{done['id']}", done="rolled back")


def _rollback_again(page: Page, errors: dict[str, str]) -> Response:
    values = {"reason": page.field("reason")}
    return page.render(
        "redemption.html", 422, redemption=_redemption(page), errors=errors, values=values
    )
