"""Voucher imports: ``/v1/vouchers/import[CSV]`` and ``/v1/campaigns/{id}/import[CSV]``.

Each answers with ``{async_action_id}``; ``GET /v1/async-actions/{id}`` reports the outcome.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Generator
from typing import Any

from starlette.datastructures import UploadFile

from openvoucher.api.routing import ApiRequest, Routes
from openvoucher.catalog import imports
from openvoucher.kernel.errors import InvalidPayload

routes = Routes()

MAX_IMPORT_BYTES = 32 * 1024 * 1024
"""Voucherify takes 10 MB; we allow more (100 000 codes with several columns fit)."""


def _upload(request: ApiRequest) -> UploadFile:
    form = request.form
    upload = form.get("file") if form is not None else None
    if not isinstance(upload, UploadFile):
        raise InvalidPayload("Invalid payload", "Send the CSV as multipart/form-data field 'file'")
    return upload


def _rows(upload: UploadFile) -> Generator[list[str], None, None]:
    """The CSV records of the upload, read as a stream (UTF-8, optional BOM)."""
    upload.file.seek(0)
    text = io.TextIOWrapper(upload.file, encoding="utf-8-sig", newline="")
    try:
        yield from csv.reader(text)
    except UnicodeDecodeError:
        raise InvalidPayload("Invalid payload", "The CSV file must be UTF-8 text") from None
    except csv.Error as error:
        raise InvalidPayload("Invalid payload", f"The CSV file is malformed: {error}") from None
    finally:
        text.detach()


def _csv(request: ApiRequest, campaign: str | None) -> dict[str, Any]:
    upload = _upload(request)
    rows = _rows(upload)
    try:
        action_id = imports.start_csv(
            request.uow, request.project_id, rows, campaign, request.request_id
        )
    finally:
        rows.close()
        upload.file.close()
    return {"async_action_id": action_id}


def _json(request: ApiRequest, campaign: str | None) -> dict[str, Any]:
    items = request.json(list[Any])
    if not all(isinstance(item, dict) for item in items):
        raise InvalidPayload("Invalid payload", "The body must be a JSON array of voucher objects")
    if not items:
        raise InvalidPayload("Invalid payload", "The body must list at least one voucher")
    action_id = imports.start_json(
        request.uow, request.project_id, items, campaign, request.request_id
    )
    return {"async_action_id": action_id}


@routes.post("/v1/vouchers/importCSV", status=202, max_body=MAX_IMPORT_BYTES)
def import_vouchers_csv(request: ApiRequest) -> dict[str, Any]:
    """Queue an import of standalone vouchers from a CSV file (multipart field ``file``)."""
    return _csv(request, None)


@routes.post("/v1/vouchers/import", status=202, max_body=MAX_IMPORT_BYTES)
def import_vouchers(request: ApiRequest) -> dict[str, Any]:
    """Queue an import of standalone vouchers from a JSON array."""
    return _json(request, None)


@routes.post("/v1/campaigns/{campaignId}/importCSV", max_body=MAX_IMPORT_BYTES)
def import_campaign_csv(request: ApiRequest) -> dict[str, Any]:
    """Queue an import of vouchers into a campaign from a CSV file (200, as the spec says)."""
    return _csv(request, request.path["campaignId"])


@routes.post("/v1/campaigns/{campaignId}/import", status=202, max_body=MAX_IMPORT_BYTES)
def import_campaign(request: ApiRequest) -> dict[str, Any]:
    """Queue an import of vouchers into a campaign from a JSON array."""
    return _json(request, request.path["campaignId"])
