"""Exports: an async action writes a CSV of vouchers, redemptions, customers, publications,
orders, points expirations or card transactions; we serve the file.

Creating an export records it (``SCHEDULED``) and queues the action; the runner streams the
rows a page at a time from one cursor and appends each page's CSV to the file as a part of
its own (bounded memory for any size), then marks the export ``DONE``. The file is served at
``result.url`` (``GET /v1/exports/{id}?token=…``, still behind the project's keys), part by
part. A run that was interrupted starts the file again.
"""

from __future__ import annotations

import csv
import hmac
import io
import json
from collections.abc import Iterator
from datetime import datetime
from typing import Any

from openvoucher.catalog import vouchers
from openvoucher.customers import customers
from openvoucher.kernel.errors import InvalidPayload, NotFound
from openvoucher.kernel.filters import FilterError, Filters, kind_of, parse
from openvoucher.kernel.ids import new_id, random_token
from openvoucher.kernel.unit_of_work import Tx, UnitOfWork
from openvoucher.platform import async_actions, project_zone
from openvoucher.platform.model import AsyncAction, Export
from openvoucher.platform.presenters.export_rows import KINDS, csv_row, known_field
from openvoucher.platform.presenters.exports import download_url
from openvoucher.platform.repositories.export_rows import (
    ExportRowRepository,
    Selection,
    filter_kinds,
    order_names,
)
from openvoucher.platform.repositories.exports import ExportRepository


def _filters(exported_object: str, given: Any) -> Filters:
    """The export's ``filters`` object parsed as a list's ``filters`` query would be."""
    if not given:
        return Filters()
    if not isinstance(given, dict):
        raise InvalidPayload("Invalid payload", "parameters.filters must be an object")
    kinds = filter_kinds(exported_object)
    unknown = [name for name in given if name != "junction" and kind_of(name, kinds) is None]
    if unknown:
        raise InvalidPayload(
            "Invalid payload", f"parameters.filters: filtering by {unknown[0]} is not supported"
        )
    try:
        return parse([("filters", json.dumps(given))], kinds)
    except FilterError as error:
        raise InvalidPayload("Invalid payload", f"parameters.filters: {error}") from None


def _fields(exported_object: str, given: list[str] | None, everything: bool) -> list[str]:
    kind = KINDS[exported_object]
    if given is not None and not (
        isinstance(given, list) and all(isinstance(name, str) for name in given)
    ):
        raise InvalidPayload("Invalid payload", "parameters.fields must be a list of strings")
    if not given:
        return list(kind.cells) if everything else list(kind.defaults)
    unknown = [name for name in given if not known_field(exported_object, name)]
    if unknown:
        raise InvalidPayload(
            "Invalid payload",
            f"Unknown export fields: {', '.join(unknown)}; available: {', '.join(kind.cells)}",
        )
    return list(given)


def parameters(
    exported_object: str,
    given: dict[str, Any] | None,
    *,
    scope: dict[str, str] | None = None,
    every_field: bool = False,
) -> dict[str, Any]:
    """Checked parameters: order, fields, filters (as given), and the hidden ``scope``."""
    given = given or {}
    if not isinstance(given, dict):
        raise InvalidPayload("Invalid payload", "parameters must be an object")
    order = given.get("order") or KINDS[exported_object].order
    if order not in order_names(exported_object):
        allowed = ", ".join(sorted(order_names(exported_object)))
        raise InvalidPayload("Invalid payload", f"parameters.order must be one of: {allowed}")
    _filters(exported_object, given.get("filters"))
    checked: dict[str, Any] = {
        "order": order,
        "fields": _fields(exported_object, given.get("fields"), every_field),
        "filters": given.get("filters") or {},
    }
    scope = dict(scope or {})
    if exported_object == "voucher" and given.get("campaign_id"):
        checked["campaign_id"] = scope["campaign_id"] = given["campaign_id"]
    if scope:
        checked["scope"] = scope
    return checked


def schedule(tx: Tx, exported_object: str, checked: dict[str, Any], request_id: str) -> Export:
    """Record an export (``SCHEDULED``) with checked parameters and queue its run, in ``tx``."""
    export_id = new_id("export")
    kind = f"{exported_object}.export"
    action = async_actions.enqueue(tx, kind, {"export_id": export_id}, request_id)
    row = Export(
        id=export_id,
        exported_object=exported_object,
        status="SCHEDULED",
        channel="API",
        parameters=checked,
        token=random_token(32),
        created_at=tx.now,
        async_action_id=action.id,
    )
    ExportRepository(tx.conn, tx.project_id).insert(row)
    return row


def create(
    uow: UnitOfWork,
    project_id: str,
    exported_object: str,
    given: dict[str, Any] | None,
    request_id: str,
) -> Export:
    """``POST /v1/exports`` (and ``/v1/orders/export``): schedule an export; the export."""
    checked = parameters(exported_object, given)
    with uow.write(project_id) as tx:
        return schedule(tx, exported_object, checked, request_id)


def export_transactions(
    uow: UnitOfWork, project_id: str, code: str, fields: dict[str, Any], request_id: str
) -> Export:
    """Schedule a CSV of one card's gift or loyalty transactions (every column by default)."""
    given = fields.get("parameters")
    with uow.write(project_id) as tx:
        voucher = vouchers.require(tx, code)
        scope = {"voucher_id": voucher["id"]}
        checked = parameters("voucher_transactions", given, scope=scope, every_field=True)
        return schedule(tx, "voucher_transactions", checked, request_id)


def export_campaign(
    tx: Tx, exported_object: str, campaign_id: str, given: Any, request_id: str
) -> Export:
    """Schedule an export of one campaign's transactions or points expirations, in ``tx``."""
    scope = {"campaign_id": campaign_id}
    given = dict(given or {})
    if exported_object == "voucher_transactions" and not given.get("fields"):
        # Every column but the campaign, which the spec leaves out of a campaign's export.
        given["fields"] = [name for name in KINDS[exported_object].cells if name != "campaign_id"]
    checked = parameters(exported_object, given, scope=scope)
    return schedule(tx, exported_object, checked, request_id)


def get(uow: UnitOfWork, project_id: str, export_id: str) -> Export:
    """One export, or 404."""
    with uow.read(project_id) as tx:
        row = ExportRepository(tx.conn, tx.project_id).get(export_id)
    if row is None:
        raise NotFound("export", export_id)
    return row


def list_exports(
    uow: UnitOfWork, project_id: str, *, order: str, limit: int, offset: int
) -> tuple[list[Export], int]:
    """A page of exports and how many there are."""
    with uow.read(project_id) as tx:
        return ExportRepository(tx.conn, tx.project_id).page(
            order=order, limit=limit, offset=offset
        )


def delete(uow: UnitOfWork, project_id: str, export_id: str) -> None:
    """Remove an export and its file (an unfinished run stops at its next page); else 404."""
    with uow.write(project_id) as tx:
        if not ExportRepository(tx.conn, tx.project_id).delete(export_id):
            raise NotFound("export", export_id)


def download(uow: UnitOfWork, project_id: str, export_id: str, token: str) -> Iterator[str]:
    """The file of a finished export, part by part, for the token of its ``result.url``.

    Checked before the first part is read: a wrong token or an unfinished export is 404.
    """
    with uow.read(project_id) as tx:
        row = ExportRepository(tx.conn, tx.project_id).get(export_id)
    valid = row is not None and hmac.compare_digest(row.token, token)
    if not valid or row is None or row.status != "DONE":
        raise NotFound("export file", export_id)
    return _parts(uow, project_id, export_id)


def _parts(uow: UnitOfWork, project_id: str, export_id: str) -> Iterator[str]:
    seq = 0
    while True:
        with uow.read(project_id) as tx:
            part = ExportRepository(tx.conn, tx.project_id).part(export_id, seq)
        if part is None:
            return
        yield part
        seq += 1


def _csv(rows: list[list[str]]) -> str:
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    return out.getvalue()


def _selection(row: Export, now: datetime) -> Selection:
    given = row.parameters
    return Selection(
        exported_object=row.exported_object,
        filters=_filters(row.exported_object, given.get("filters")),
        scope=given.get("scope") or {},
        order=given["order"],
        now=now,
    )


def _start(job: async_actions.Job, export_id: str) -> tuple[Export, datetime] | None:
    with job.uow.write(job.project_id) as tx:
        repo = ExportRepository(tx.conn, tx.project_id)
        row = repo.get(export_id)
        if row is None:
            job.complete(tx, {"export_id": export_id, "message": "The export was deleted"})
            return None
        repo.clear_parts(export_id)
        repo.update(export_id, {"status": "IN_PROGRESS", "updated_at": tx.now})
        return row, tx.now


class ExportGone(Exception):
    """The export was deleted while its file was being written."""


def _append(
    job: async_actions.Job, export_id: str, seq: int, text: str, rows: int, progress: int
) -> None:
    with job.uow.write(job.project_id) as tx:
        repo = ExportRepository(tx.conn, tx.project_id)
        if repo.get(export_id) is None:
            raise ExportGone(export_id)
        repo.add_part(export_id, seq, text)
        job.checkpoint(tx, progress, {"export_id": export_id, "rows": rows})


def _write(job: async_actions.Job, row: Export, now: datetime) -> int:
    """Write the file a page at a time; the number of rows written."""
    kind = KINDS[row.exported_object]
    fields: list[str] = row.parameters["fields"]
    base_url = job.uow.base_url
    _append(job, row.id, 0, _csv([fields]), 0, 0)
    written = 0
    with job.uow.read(job.project_id) as tx:
        repo = ExportRowRepository(tx.conn, tx.project_id)
        selection = _selection(row, now)
        total = max(repo.count(selection), 1)
        # A bucket's last day is a date of the project's calendar.
        dated = row.exported_object == "points_expiration"
        zone = {"zone": project_zone.zone_name(tx)} if dated else {}
        for seq, fetched in enumerate(repo.pages(selection), start=1):
            page = fetched
            if row.exported_object == "customer":
                page = customers.with_holdings(tx, fetched)
            lines = [csv_row(kind, {**item, **zone}, fields, base_url) for item in page]
            written += len(lines)
            _append(job, row.id, seq, _csv(lines), written, written * 100 // total)
    return written


def run_export(job: async_actions.Job) -> None:
    """The ``<object>.export`` handler: the CSV written, then the export marked DONE."""
    export_id = job.request["export_id"]
    started = _start(job, export_id)
    if started is None:
        return
    row, now = started
    try:
        count = _write(job, row, now)
    except ExportGone:
        with job.uow.write(job.project_id) as tx:
            job.complete(tx, {"export_id": export_id, "message": "The export was deleted"})
        return
    with job.uow.write(job.project_id) as tx:
        ExportRepository(tx.conn, tx.project_id).update(
            export_id, {"status": "DONE", "updated_at": tx.now}
        )
        url = download_url(job.uow.base_url, row)
        job.complete(tx, {"export_id": export_id, "url": url, "rows": count})


def export_failed(tx: Tx, action: AsyncAction) -> None:
    """A failed export is marked ERROR."""
    ExportRepository(tx.conn, tx.project_id).update(
        action.request["export_id"], {"status": "ERROR", "updated_at": tx.now}
    )
