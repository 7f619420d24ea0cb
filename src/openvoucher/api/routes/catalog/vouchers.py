"""``/v1/vouchers``."""

from __future__ import annotations

from typing import Any

from openvoucher.api.filters import filters_param
from openvoucher.api.null_policy import without_nulls
from openvoucher.api.params import bool_param, choice_param, date_param, page_params
from openvoucher.api.routing import ApiRequest, Routes
from openvoucher.api.schemas.vouchers import VoucherCreate, VoucherUpdate, given
from openvoucher.catalog import vouchers, vouchers_hot
from openvoucher.catalog.repositories.vouchers import FILTER_FIELDS, VoucherFilter
from openvoucher.kernel.encoded import EncodedJson
from openvoucher.kernel.lists import listing

routes = Routes()

ORDERS = {"created_at", "-created_at", "updated_at", "-updated_at", "code", "-code"}


@routes.post("/v1/vouchers")
def create_voucher(request: ApiRequest) -> dict[str, Any]:
    """Create a voucher; without ``code`` one is generated from ``code_config``."""
    fields = given(request.json(VoucherCreate))
    return vouchers.create(request.uow, request.project_id, fields, fields.get("code"))


@routes.post("/v1/vouchers/{code}")
def create_voucher_with_code(request: ApiRequest) -> dict[str, Any]:
    """Create a voucher with the code in the path."""
    fields = given(request.json(VoucherCreate))
    return vouchers.create(request.uow, request.project_id, fields, request.path["code"])


@routes.get("/v1/vouchers/{code}")
def get_voucher(request: ApiRequest) -> dict[str, Any]:
    """By code."""
    return vouchers.get(request.uow, request.project_id, request.path["code"])


@routes.hot("/v1/vouchers/{code}")
def get_voucher_hot(request: ApiRequest) -> EncodedJson | None:
    """By code, on the event loop when the database allows (SQLite)."""
    return vouchers_hot.get_hot(request.uow, request.project_id, request.path["code"])


@routes.put("/v1/vouchers/{code}")
def update_voucher(request: ApiRequest) -> dict[str, Any]:
    """Change the given fields."""
    fields = without_nulls(given(request.json(VoucherUpdate)))
    return vouchers.update(request.uow, request.project_id, request.path["code"], fields)


@routes.delete("/v1/vouchers/{code}", status=204)
def delete_voucher(request: ApiRequest) -> None:
    """Move the voucher to the bin (its code stays taken), or with ``force=true`` remove it for
    good."""
    binned = not bool_param(request.query, "force")
    vouchers.delete(request.uow, request.project_id, request.path["code"], binned=binned)


@routes.post("/v1/vouchers/{code}/enable")
def enable_voucher(request: ApiRequest) -> dict[str, Any]:
    """Turn the voucher on."""
    return vouchers.set_active(request.uow, request.project_id, request.path["code"], True)


@routes.post("/v1/vouchers/{code}/disable")
def disable_voucher(request: ApiRequest) -> dict[str, Any]:
    """Turn the voucher off."""
    return vouchers.set_active(request.uow, request.project_id, request.path["code"], False)


@routes.get("/v1/vouchers")
def list_vouchers(request: ApiRequest) -> dict[str, Any]:
    """A page of vouchers, filterable by campaign, holder, category, code, ids, dates and
    ``filters[field][conditions][$op]``."""
    q = request.query
    page = page_params(q, max_page=99)
    filters = VoucherFilter(
        code=q.get("code") or None,
        ids=tuple(q.getlist("ids") + q.getlist("ids[]")),
        created_before=date_param(q, "created_at[before]"),
        created_after=date_param(q, "created_at[after]"),
        updated_before=date_param(q, "updated_at[before]"),
        updated_after=date_param(q, "updated_at[after]"),
        filters=filters_param(q, FILTER_FIELDS),
    )
    refs = {
        "campaign": q.get("campaign_id") or q.get("campaign") or None,
        "customer": q.get("customer") or None,
        "category": q.get("category") or None,
    }
    order = choice_param(q, "order", ORDERS, "-created_at")
    rendered, total = vouchers.list_vouchers(
        request.uow,
        request.project_id,
        refs,
        filters,
        order=order,
        limit=page.limit,
        offset=page.offset,
    )
    return listing(rendered, total, "vouchers")
