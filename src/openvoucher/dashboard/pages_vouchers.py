"""Vouchers: search by code (exact or prefix), detail with assets, validity, publications,
redemptions and ledger; balance adjustments, publication to a customer, enable/disable."""

from __future__ import annotations

from typing import Any

from starlette.responses import Response

from openvoucher.api.schemas.balances import BalanceUpdate
from openvoucher.api.schemas.publications import PublicationCreate, as_command
from openvoucher.catalog import publications, vouchers
from openvoucher.catalog.repositories.publications import PublicationFilter
from openvoucher.catalog.repositories.vouchers import VoucherFilter
from openvoucher.checkout import redemption_reads as redemptions
from openvoucher.dashboard.forms import FormError, as_schema, money_cents, required_text
from openvoucher.dashboard.web import Page, Pages, field_errors
from openvoucher.gift_cards import credits as gift_cards
from openvoucher.gift_cards import transactions
from openvoucher.gift_cards.model import BalanceChange
from openvoucher.gift_cards.presenters.transactions import transaction
from openvoucher.kernel.errors import VoucherifyError

pages = Pages()


def code_filter(code: str, match: str, after: str | None) -> VoucherFilter:
    """Exact match, or a prefix through the code index; ``after``: the keyset cursor."""
    if code and match != "prefix":
        return VoucherFilter(code=code)
    return VoucherFilter(code_prefix=code or None, code_after=after)


def keyset_page(
    page: Page, refs: dict[str, str | None], filters: VoucherFilter, size: int = 25
) -> dict[str, Any]:
    """A page of vouchers in code order after ``?after=`` (an index range, never an offset),
    with the cursor of the next page and how many follow from this page on."""
    rows, total = vouchers.list_vouchers(
        page.uow, page.project_id, refs, filters, order="code", limit=size, offset=0
    )
    following = rows[-1]["code"] if total > len(rows) else None
    return {"rows": rows, "total": total, "after": filters.code_after, "next_after": following}


@pages.get("/vouchers")
def voucher_list(page: Page) -> Response:
    """A page of vouchers in code order, or those matching a code (exact or prefix)."""
    code = (page.query.get("code") or "").strip()
    match = page.query.get("match") or "exact"
    after = page.query.get("after") or None
    listed = keyset_page(page, {}, code_filter(code, match, after))
    if listed["total"] == 1 and code and match == "exact":
        return page.redirect(f"/vouchers/{listed['rows'][0]['code']}")
    return page.render("vouchers.html", code=code, match=match, **listed)


def _detail(page: Page, code: str) -> dict[str, Any]:
    voucher = vouchers.get(page.uow, page.project_id, code)
    ledger, more = transactions.page(
        page.uow, page.project_id, code, limit=50, newest_first=True, after_id=None
    )
    published = publications.list_publications(
        page.uow,
        page.project_id,
        {},
        PublicationFilter(voucher_code=voucher["code"]),
        order="-created_at",
        limit=20,
        offset=0,
    )
    redeemed = redemptions.of_voucher(
        page.uow, page.project_id, voucher["code"], limit=20, offset=0
    )
    return {
        "voucher": voucher,
        "ledger": [transaction(r) for r in ledger],
        "ledger_more": more,
        "publications": published.get("publications", []),
        "redemptions": redeemed.get("redemption_entries", []),
    }


@pages.get("/vouchers/{code}")
def voucher_detail(page: Page) -> Response:
    """One voucher with its publications, redemptions and ledger."""
    return page.render("voucher.html", **_detail(page, page.path["code"]))


def _again(page: Page, errors: dict[str, str], form: str) -> Response:
    """The detail page again with the failed form's input and messages (422)."""
    values = {name: page.field(name) for name in ("amount", "reason", "customer", "email")}
    context = _detail(page, page.path["code"])
    return page.render("voucher.html", 422, errors=errors, values=values, failed=form, **context)


@pages.post("/vouchers/{code}/balance")
def adjust_balance(page: Page) -> Response:
    """Add or remove credits (or points) with a reason, as ``POST /v1/vouchers/{code}/balance``."""
    code = page.path["code"]
    try:
        kind = vouchers.get(page.uow, page.project_id, code)["type"]
        raw = page.field("amount")
        amount = money_cents(raw, "amount") if kind == "GIFT_VOUCHER" else int(raw or "x")
        reason = required_text(page.field("reason"), "reason", "A reason")
        body = as_schema(BalanceUpdate, {"amount": amount, "reason": reason})
        gift_cards.update_balance(
            page.uow, page.project_id, code, BalanceChange(body.amount, reason=body.reason)
        )
    except ValueError as error:
        errors = error.errors if isinstance(error, FormError) else {"amount": "Whole points only."}
        return _again(page, errors, "balance")
    except VoucherifyError as error:
        return _again(page, field_errors(error, ("amount", "reason")), "balance")
    return page.redirect(f"/vouchers/{code}", done="balance")


@pages.post("/vouchers/{code}/publish")
def publish(page: Page) -> Response:
    """Publish the voucher to a customer (by source id), as ``POST /v1/publications``."""
    code = page.path["code"]
    try:
        source_id = required_text(page.field("customer"), "customer", "A customer source id")
        customer: dict[str, Any] = {"source_id": source_id}
        if page.field("email"):
            customer["email"] = page.field("email")
        body = as_schema(PublicationCreate, {"voucher": code, "customer": customer})
        publications.create(page.uow, page.project_id, as_command(body), False)
    except FormError as error:
        return _again(page, error.errors, "publish")
    except VoucherifyError as error:
        return _again(page, field_errors(error, ("customer", "email")), "publish")
    return page.redirect(f"/vouchers/{code}", done="publish")


@pages.post("/vouchers/{code}/active")
def set_active(page: Page) -> Response:
    """Enable or disable the voucher."""
    code = page.path["code"]
    vouchers.set_active(page.uow, page.project_id, code, page.field("active") == "true")
    return page.redirect(f"/vouchers/{code}")
