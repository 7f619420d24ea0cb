"""A stack's vouchers read as lean rows (``prepared.LeanSelect``): the same values, of the same
types, as SQLAlchemy's own rows of the statement, on both databases."""

from __future__ import annotations

from datetime import UTC, datetime

from openvoucher.adapters.db import prepared
from openvoucher.adapters.db.types import utc_from_sqlite
from openvoucher.catalog import campaigns, categories, vouchers
from openvoucher.catalog.model import CategoryFields
from openvoucher.catalog.repositories.vouchers import BY_CODES_OR_IDS, VoucherRepository
from tests.support.contexts import Context

DATED = {
    "type": "GIFT_VOUCHER",
    "gift": {"amount": 700},
    "start_date": "2026-01-01T00:00:00Z",
    "expiration_date": "2027-01-01T10:00:00.123456+02:00",
    "metadata": {"list": [1, 2.5, None], "text": "é"},
}


def _stack(ctx: Context) -> list[str]:
    """A dated gift card, a discount voucher in a category, and a campaign's code."""
    category = categories.create(ctx.uow, ctx.project_id, CategoryFields("first", 1))
    vouchers.create(ctx.uow, ctx.project_id, dict(DATED), "DATED")
    discount = {"type": "PERCENT", "percent_off": 5}
    body = {"type": "DISCOUNT_VOUCHER", "discount": discount, "category_id": category.id}
    vouchers.create(ctx.uow, ctx.project_id, body, "IN-CATEGORY")
    campaign = {
        "name": "Lean",
        "campaign_type": "DISCOUNT_COUPONS",
        "voucher": {"type": "DISCOUNT_VOUCHER", "discount": discount},
        "start_date": "2026-02-01T00:00:00Z",
    }
    campaign_id = campaigns.create(ctx.uow, ctx.project_id, campaign)["id"]
    vouchers.create(ctx.uow, ctx.project_id, {"campaign_id": campaign_id}, "OF-CAMPAIGN")
    return ["DATED", "IN-CATEGORY", "OF-CAMPAIGN"]


def test_lean_rows_equal_sqlalchemy_rows(ctx: Context) -> None:
    """Every column of every row equals SQLAlchemy's value, with the same type."""
    codes = _stack(ctx)
    with ctx.uow.read(ctx.project_id) as tx:
        lean = prepared.for_dialect(tx.conn, BY_CODES_OR_IDS)
        params = {prepared.PROJECT: ctx.project_id, "_idents": codes}
        fast = sorted(lean.rows(tx.conn, params), key=lambda row: row["code"])
        slow = sorted(prepared.all_rows(tx.conn, lean.source, params), key=lambda r: r["code"])
        found = VoucherRepository(tx.conn, tx.project_id).many_by_code_or_id(codes)
    assert [row["code"] for row in fast] == sorted(codes)
    assert fast == slow
    for mine, theirs in zip(fast, slow, strict=True):
        assert list(mine) == list(theirs)
        assert {k: type(v) for k, v in mine.items()} == {k: type(v) for k, v in theirs.items()}
    dated = found["DATED"]
    assert dated["start_date"] == datetime(2026, 1, 1, tzinfo=UTC)
    assert dated["expiration_date"] == datetime(2027, 1, 1, 8, 0, 0, 123456, tzinfo=UTC)
    assert dated["attrs"]["metadata"] == DATED["metadata"]
    assert found["IN-CATEGORY"]["category_name"] == "first"
    of_campaign = found["OF-CAMPAIGN"]
    assert of_campaign["campaign_name"] == "Lean"
    assert of_campaign["campaign_attrs"]["start_date"].startswith("2026-02-01T00:00:00")
    assert of_campaign["campaign_active"] is True


def test_sqlite_text_reads_as_aware_utc() -> None:
    """SQLite's naive text and text with an offset both read as the aware UTC instant."""
    naive = utc_from_sqlite("2026-12-07 22:01:07.851645")
    assert naive == datetime(2026, 12, 7, 22, 1, 7, 851645, tzinfo=UTC)
    assert naive.tzinfo is UTC
    assert utc_from_sqlite("2026-12-07 22:01:07") == datetime(2026, 12, 7, 22, 1, 7, tzinfo=UTC)
    shifted = utc_from_sqlite("2026-12-07T22+02:00")
    assert shifted == datetime(2026, 12, 7, 20, tzinfo=UTC)
    assert shifted.tzinfo is UTC
