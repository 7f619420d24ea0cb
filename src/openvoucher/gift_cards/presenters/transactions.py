"""Voucher transactions (gift credits and loyalty points) and balance objects."""

from __future__ import annotations

from typing import Any

from openvoucher.kernel.clock import iso

BALANCE_TYPES = {"gift": "gift_voucher", "loyalty": "loyalty_card"}


def balance(
    kind: str, voucher_id: str, amount: int, total: int, after: int, operation: str | None
) -> dict[str, Any]:
    """A balance object: the signed change ``amount``, the card's ``total`` and new ``balance``.

    ``operation`` is ``MANUAL`` for adjustments through the balance endpoint; ``None`` for
    changes a redemption or rollback made (Voucherify then leaves ``operation_type`` out of the
    transaction's details).
    """
    body: dict[str, Any] = {
        "amount": amount,
        "total": total,
        "balance": after,
        "type": BALANCE_TYPES[kind],
        "operation_type": operation,
        "object": "balance",
        "related_object": {"type": "voucher", "id": voucher_id},
    }
    if operation is None:
        del body["operation_type"]
    return body


def event_balance(details: dict[str, Any]) -> dict[str, Any]:
    """A gift event's top-level ``balance`` (every key present) from a transaction's details.

    ``operation_type`` is required there and the spec's gift balance allows only ``MANUAL``;
    the spec calls an operation ``AUTOMATIC`` only for an automatic redemption, so a redemption,
    refund or top-up asked for through the API is ``MANUAL`` (docs/adr/0063).
    """
    stored = details["balance"]
    return {**stored, "operation_type": stored.get("operation_type") or "MANUAL"}


def points_event_balance(details: dict[str, Any]) -> dict[str, Any]:
    """A loyalty event's top-level ``balance``: what the server did on its own (accruals,
    redemptions, refunds, transfers, expirations) is ``AUTOMATIC`` (``VoucherBalance``)."""
    stored = details["balance"]
    return {**stored, "operation_type": stored.get("operation_type") or "AUTOMATIC"}


def transaction(row: dict[str, Any]) -> dict[str, Any]:
    """One ledger row as Voucherify's ``VoucherTransaction``."""
    return {
        "id": row["id"],
        "source_id": row["source_id"],
        "voucher_id": row["voucher_id"],
        "campaign_id": row["campaign_id"],
        "source": row["source"],
        "reason": row["reason"],
        "type": row["type"],
        "details": _details(row["details"]),
        "related_transaction_id": row["related_transaction_id"],
        "created_at": iso(row["created_at"]),
    }


SNAPSHOTS = ("source_voucher", "destination_voucher")
UNSET_IN_SNAPSHOT = frozenset({"discount", "gift", "loyalty_card"})


def _details(details: dict[str, Any]) -> dict[str, Any]:
    """The stored details, their voucher snapshots (``SimpleVoucher``: a transfer's cards)
    without the value objects the voucher does not have (stored as ``null``; the spec types
    them as objects, never ``null``)."""
    if not any(isinstance(details.get(name), dict) for name in SNAPSHOTS):
        return details
    shown = dict(details)
    for name in SNAPSHOTS:
        voucher = details.get(name)
        if isinstance(voucher, dict):
            shown[name] = {
                k: v for k, v in voucher.items() if v is not None or k not in UNSET_IN_SNAPSHOT
            }
    return shown


def transactions_list(rows: list[dict[str, Any]], has_more: bool) -> dict[str, Any]:
    """The ``GET /v1/vouchers/{code}/transactions`` envelope."""
    body: dict[str, Any] = {
        "object": "list",
        "data_ref": "data",
        "data": [transaction(row) for row in rows],
        "has_more": has_more,
    }
    if has_more and rows:
        body["more_starting_after"] = rows[-1]["id"]
    return body
