"""Exports in Voucherify's shape (the CSV they write: :mod:`platform.presenters.export_rows`)."""

from __future__ import annotations

from typing import Any, Literal, get_args
from urllib.parse import quote

from openvoucher.kernel.clock import iso
from openvoucher.kernel.lists import listing
from openvoucher.platform.model import Export

TransactionField = Literal[
    "id",
    "type",
    "source_id",
    "reason",
    "balance",
    "amount",
    "created_at",
    "voucher_id",
    "campaign_id",
    "source",
    "details",
    "related_transaction_id",
]
"""A column of a voucher-transactions export."""
TRANSACTION_FIELDS: tuple[str, ...] = get_args(TransactionField)
"""The columns of a voucher-transactions export, in Voucherify's documented order."""


def download_url(base_url: str, row: Export) -> str:
    """Where the finished file is served (``GET /v1/exports/{id}?token=…``)."""
    return f"{base_url}/v1/exports/{quote(row.id, safe='')}?token={row.token}"


def export(row: Export, base_url: str) -> dict[str, Any]:
    """One export object; ``result.url`` appears once the file is ready."""
    done = row.status == "DONE"
    return {
        "id": row.id,
        "object": "export",
        "created_at": iso(row.created_at),
        "status": row.status,
        "channel": row.channel,
        "exported_object": row.exported_object,
        "parameters": _shown(row.parameters),
        "result": {"url": download_url(base_url, row)} if done else None,
        "user_id": None,
    }


def _shown(parameters: dict[str, Any]) -> dict[str, Any]:
    """The parameters as given; the voucher or campaign an export is scoped to is kept for the
    job but not shown.

    The spec caps ``filters.voucher_id.conditions.$in`` (and ``campaign_id``) items at one
    character and the official Python SDK enforces it, so a real id there would make every
    scoped export unreadable.
    """
    return {key: value for key, value in parameters.items() if key != "scope"}


def exports_list(rows: list[Export], total: int, base_url: str) -> dict[str, Any]:
    """The ``GET /v1/exports`` envelope."""
    return listing([export(row, base_url) for row in rows], total, "exports")
