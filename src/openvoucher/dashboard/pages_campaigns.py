"""Campaigns: list with filters, create (gift, discount, loyalty, referral), enable/disable,
more codes, CSV import and export; the async action page with its progress bar."""

from __future__ import annotations

import csv
import io
from collections.abc import Generator
from typing import Any

from starlette.datastructures import UploadFile
from starlette.responses import JSONResponse, Response, StreamingResponse

from openvoucher.api.schemas.campaigns import CampaignCreate, CampaignUpdate
from openvoucher.api.schemas.vouchers import given
from openvoucher.catalog import campaigns, imports
from openvoucher.catalog.repositories.campaigns import CampaignFilter
from openvoucher.catalog.repositories.vouchers import VoucherFilter
from openvoucher.dashboard.campaign_forms import (
    CREATABLE,
    MAX_TIER_ROWS,
    REFERRAL_FIELDS,
    campaign_body,
    form_values,
    metadata_lines,
    metadata_text,
    referral_program,
    referral_values,
    service_errors,
    tier_rows,
)
from openvoucher.dashboard.forms import FormError, as_schema, whole_number
from openvoucher.dashboard.pages_vouchers import keyset_page
from openvoucher.dashboard.web import Page, Pages, field_errors, pager
from openvoucher.kernel.errors import VoucherifyError
from openvoucher.platform import async_actions, exports
from openvoucher.platform.presenters.async_actions import async_action

pages = Pages()

TYPES = ("GIFT_VOUCHERS", "DISCOUNT_COUPONS", "LOYALTY_PROGRAM", "REFERRAL_PROGRAM", "PROMOTION")
STATUSES = ("DONE", "IN_PROGRESS", "FAILED", "DRAFT", "MODIFYING")
EDITABLE = ("description", "start_date", "expiration_date")
EDIT_FIELDS = (*EDITABLE, "metadata")


@pages.get("/campaigns")
def campaign_list(page: Page) -> Response:
    """A page of campaigns filtered by type and status."""
    kind = page.query.get("type") if page.query.get("type") in TYPES else None
    status = page.query.get("status") if page.query.get("status") in STATUSES else None
    number, limit, offset = pager(page.query)
    rows, total = campaigns.list_campaigns(
        page.uow,
        page.project_id,
        CampaignFilter(campaign_type=kind, campaign_status=status),
        order="-created_at",
        limit=limit,
        offset=offset,
    )
    return page.render(
        "campaigns.html",
        rows=rows,
        total=total,
        number=number,
        limit=limit,
        kind=kind or "",
        state=status or "",
        types=TYPES,
        statuses=STATUSES,
    )


@pages.get("/campaigns/new")
def new_campaign(page: Page) -> Response:
    """The creation form."""
    asked = page.query.get("type") or ""
    kind = asked if asked in CREATABLE else "GIFT_VOUCHERS"
    values = {"campaign_type": kind, "vouchers_count": "10", "length": "8"}
    return _creation_form(page, values, {})


def _creation_form(
    page: Page, values: dict[str, str], errors: dict[str, str], status: int = 200
) -> Response:
    rows = tier_rows(page)
    return page.render(
        "campaign_new.html",
        status,
        values=values,
        errors=errors,
        types=CREATABLE,
        tier_rows=rows,
        more_tiers=min(rows + 2, MAX_TIER_ROWS),
    )


@pages.post("/campaigns/new")
def create_campaign(page: Page) -> Response:
    """Create the campaign through the same use case as ``POST /v1/campaigns``."""
    try:
        fields = given(as_schema(CampaignCreate, campaign_body(page)))
        created = campaigns.create(page.uow, page.project_id, fields, None)
    except FormError as error:
        return _creation_form(page, form_values(page), error.errors, 422)
    except VoucherifyError as error:
        return _creation_form(page, form_values(page), service_errors(error), 422)
    return page.redirect(f"/campaigns/{created['id']}", done="created")


@pages.get("/campaigns/{campaign_id}")
def campaign_detail(page: Page) -> Response:
    """One campaign and a page of its codes (code order, keyset)."""
    campaign = campaigns.get(page.uow, page.project_id, page.path["campaign_id"])
    after = page.query.get("after") or None
    listed = keyset_page(page, {"campaign": campaign["id"]}, VoucherFilter(code_after=after))
    return page.render(
        "campaign.html", referral=referral_values(campaign), **_shown(campaign), **listed
    )


def _shown(campaign: dict[str, Any]) -> dict[str, Any]:
    """The campaign and its metadata as the edit form's lines."""
    return {"campaign": campaign, "metadata_text": metadata_text(campaign.get("metadata"))}


@pages.post("/campaigns/{campaign_id}")
def edit_campaign(page: Page) -> Response:
    """Change the description and validity, as ``PUT /v1/campaigns/{id}``."""
    ident = page.path["campaign_id"]
    fields: dict[str, Any] = {name: page.field(name) or None for name in EDITABLE}
    try:
        changed = given(as_schema(CampaignUpdate, {**fields, **_metadata_change(page, ident)}))
        campaigns.update(page.uow, page.project_id, ident, changed)
    except (FormError, VoucherifyError) as error:
        errors = error.errors if isinstance(error, FormError) else field_errors(error, EDIT_FIELDS)
        fields["metadata"] = page.field("metadata")
        campaign = campaigns.get(page.uow, page.project_id, ident)
        listed = keyset_page(page, {"campaign": campaign["id"]}, VoucherFilter())
        return page.render(
            "campaign.html",
            422,
            errors=errors,
            values=fields,
            referral=referral_values(campaign),
            **_shown(campaign),
            **listed,
        )
    return page.redirect(f"/campaigns/{ident}", done="saved")


def _metadata_change(page: Page, ident: str) -> dict[str, Any]:
    """The form's metadata over the stored one: keys left out of the form are unset (no
    change when the form has no metadata field)."""
    if page.form is None or "metadata" not in page.form:
        return {}
    typed = metadata_lines(page.field("metadata"))
    stored = campaigns.get(page.uow, page.project_id, ident).get("metadata") or {}
    change: dict[str, Any] = {"metadata": typed}
    gone = [key for key in stored if key not in typed]
    if gone:
        change["unset_metadata_fields"] = gone
    return change


@pages.post("/campaigns/{campaign_id}/referral")
def edit_referral(page: Page) -> Response:
    """Change a referral programme's settings, as ``PUT /v1/campaigns/{id}`` with
    ``referral_program``."""
    ident = page.path["campaign_id"]
    try:
        settings = referral_program(page)
        changed = given(as_schema(CampaignUpdate, {"referral_program": settings}))
        changed["referral_program"] = settings  # explicit nulls kept (no reward: none)
        campaigns.update(page.uow, page.project_id, ident, changed)
    except (FormError, VoucherifyError) as error:
        errors = error.errors if isinstance(error, FormError) else service_errors(error)
        campaign = campaigns.get(page.uow, page.project_id, ident)
        listed = keyset_page(page, {"campaign": campaign["id"]}, VoucherFilter())
        values = {name: page.field(name) for name in REFERRAL_FIELDS}
        return page.render(
            "campaign.html",
            422,
            referral_errors=errors,
            referral=values,
            **_shown(campaign),
            **listed,
        )
    return page.redirect(f"/campaigns/{ident}", done="referral")


@pages.post("/campaigns/{campaign_id}/active")
def set_active(page: Page) -> Response:
    """Enable or disable the campaign."""
    ident = page.path["campaign_id"]
    campaigns.set_active(page.uow, page.project_id, ident, page.field("active") == "true")
    return page.redirect(f"/campaigns/{ident}")


@pages.post("/campaigns/{campaign_id}/vouchers")
def generate(page: Page) -> Response:
    """Generate more codes: one at once, more through an async action."""
    ident = page.path["campaign_id"]
    try:
        count = whole_number(page.field("count"), "count", low=1)
        voucher, action_id = campaigns.add_vouchers(page.uow, page.project_id, ident, {}, count)
    except (FormError, VoucherifyError) as error:
        message = error.errors.get("count", "") if isinstance(error, FormError) else error.details
        return page.redirect(f"/campaigns/{ident}", problem=message)
    if voucher is not None:
        return page.redirect(f"/vouchers/{voucher['code']}")
    return page.redirect(f"/actions/{action_id}")


def _csv_rows(upload: UploadFile) -> Generator[list[str], None, None]:
    """The records of an uploaded CSV (UTF-8, optional BOM)."""
    upload.file.seek(0)
    text = io.TextIOWrapper(upload.file, encoding="utf-8-sig", newline="")
    try:
        yield from csv.reader(text)
    except (UnicodeDecodeError, csv.Error) as error:
        raise FormError({"file": f"The file is not a readable UTF-8 CSV: {error}"}) from None
    finally:
        text.detach()


@pages.post("/campaigns/{campaign_id}/import")
def import_csv(page: Page) -> Response:
    """Stage a CSV of codes, as ``POST /v1/campaigns/{id}/importCSV``; its progress page."""
    ident = page.path["campaign_id"]
    upload = page.form.get("file") if page.form is not None else None
    if not isinstance(upload, UploadFile) or not upload.filename:
        return page.redirect(f"/campaigns/{ident}", problem="Choose a CSV file to import.")
    rows = _csv_rows(upload)
    try:
        action_id = imports.start_csv(page.uow, page.project_id, rows, ident, None)
    except (FormError, VoucherifyError) as error:
        message = str(error) if isinstance(error, FormError) else error.details
        return page.redirect(f"/campaigns/{ident}", problem=message)
    finally:
        rows.close()
    return page.redirect(f"/actions/{action_id}")


@pages.post("/campaigns/{campaign_id}/export")
def export_codes(page: Page) -> Response:
    """Schedule a CSV of the campaign's vouchers, as ``POST /v1/exports``."""
    campaign = campaigns.get(page.uow, page.project_id, page.path["campaign_id"])
    row = exports.create(page.uow, page.project_id, "voucher", {"campaign_id": campaign["id"]}, "")
    return page.redirect(f"/actions/{row.async_action_id}", export=row.id)


def _action(page: Page) -> dict[str, Any]:
    return async_action(async_actions.get(page.uow, page.project_id, page.path["action_id"]))


@pages.get("/actions/{action_id}")
def action_page(page: Page) -> Response:
    """An async action's progress (refreshing until done) and its result."""
    action = _action(page)
    download = None
    export_id = page.query.get("export")
    if export_id and action["status"] == "DONE":
        download = exports.get(page.uow, page.project_id, export_id)
    return page.render("action.html", action=action, download=download)


@pages.get("/exports/{export_id}")
def download_export(page: Page) -> Response:
    """A finished export's CSV, streamed a part at a time (the session stands for the token)."""
    row = exports.get(page.uow, page.project_id, page.path["export_id"])
    parts = exports.download(page.uow, page.project_id, row.id, row.token)
    disposition = f'attachment; filename="{row.exported_object}-{row.id}.csv"'
    return StreamingResponse(
        (part.encode() for part in parts),
        media_type="text/csv; charset=utf-8",
        headers={"content-disposition": disposition, "cache-control": "no-store"},
    )


@pages.get("/actions/{action_id}/progress")
def action_progress(page: Page) -> Response:
    """The action's status and progress as JSON (polled by the progress bar)."""
    action = _action(page)
    return JSONResponse({"status": action["status"], "progress": action["progress"]})
