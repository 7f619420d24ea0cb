"""Exports in Voucherify's shape, and the CSV rows of voucher transactions."""

from __future__ import annotations

import json
from typing import Any, Literal, get_args
from urllib.parse import quote

from openvoucher.domain.clock import iso

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


def download_url(base_url: str, row: dict[str, Any]) -> str:
    """Where the finished file is served (``GET /v1/exports/{id}?token=…``)."""
    return f"{base_url}/v1/exports/{quote(row['id'], safe='')}?token={row['token']}"


def export(row: dict[str, Any], base_url: str) -> dict[str, Any]:
    """One export object; ``result.url`` appears once the file is ready."""
    done = row["status"] == "DONE"
    return {
        "id": row["id"],
        "object": "export",
        "created_at": iso(row["created_at"]),
        "status": row["status"],
        "channel": row["channel"],
        "exported_object": row["exported_object"],
        "parameters": _shown(row["parameters"]),
        "result": {"url": download_url(base_url, row)} if done else None,
        "user_id": None,
    }


def _shown(parameters: dict[str, Any]) -> dict[str, Any]:
    """The parameters as shown: the voucher filter is kept for the job but rendered empty.

    The spec caps ``filters.voucher_id.conditions.$in`` items at one character and the official
    Python SDK enforces it, so a real voucher id there would make every export unreadable.
    """
    if "filters" not in parameters:
        return parameters
    return {**parameters, "filters": {}}


def transaction_cell(row: dict[str, Any], field: str) -> str:
    """One CSV cell of a ledger row (``balance`` is the balance after it)."""
    if field == "balance":
        return str(row["balance_after"])
    if field == "created_at":
        return iso(row["created_at"]) or ""
    if field == "details":
        return json.dumps(row["details"], separators=(",", ":"), sort_keys=True)
    value = row[field]
    return "" if value is None else str(value)
