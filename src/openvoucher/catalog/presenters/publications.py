"""Publications in Voucherify's shape: create responses, list items and event payloads.

A publication row comes from ``PublicationRepository``; its vouchers are passed in already
rendered (full voucher objects, in publishing order) and its customer as a row or None.
"""

from __future__ import annotations

from typing import Any

from openvoucher.customers.presenters.customers import customer as full_customer
from openvoucher.kernel.clock import iso
from openvoucher.kernel.lists import listing

LIST_VOUCHER_FIELDS = ("code", "object", "campaign", "gift", "loyalty_card", "discount")


def publication_base(
    row: dict[str, Any], customer: dict[str, Any] | None, voucher_ids: list[str]
) -> dict[str, Any]:
    """The fields every publication shape shares (``ListPublicationsItemBase``)."""
    return {
        "id": row["id"],
        "object": "publication",
        "created_at": iso(row["created_at"]),
        "customer_id": row["customer_id"],
        "tracking_id": customer["source_id"] if customer else None,
        "metadata": row["attrs"].get("metadata") or {},
        "channel": row["channel"],
        "source_id": row["source_id"],
        "result": row["result"],
        "customer": full_customer(customer) if customer else None,
        "vouchers_id": voucher_ids,
    }


def created(
    row: dict[str, Any], customer: dict[str, Any] | None, rendered: list[dict[str, Any]]
) -> dict[str, Any]:
    """``POST /v1/publications``: with ``voucher`` for one voucher, ``vouchers`` (codes) for
    a publication of several."""
    body = publication_base(row, customer, [v["id"] for v in rendered])
    if len(rendered) == 1:
        body["voucher"] = rendered[0]
    else:
        body["vouchers"] = [v["code"] for v in rendered]
    return body


def list_item(
    row: dict[str, Any], customer: dict[str, Any] | None, rendered: list[dict[str, Any]]
) -> dict[str, Any]:
    """An item of ``GET /v1/publications``: the voucher in short, or the codes of several."""
    body = publication_base(row, customer, [v["id"] for v in rendered])
    if len(rendered) == 1:
        short = {key: rendered[0].get(key) for key in LIST_VOUCHER_FIELDS}
        body["voucher"] = {**short, "is_referral_code": rendered[0]["is_referral_code"]}
    else:
        body["vouchers"] = [v["code"] for v in rendered]
    return body


def publications_list(items: list[dict[str, Any]], total: int) -> dict[str, Any]:
    """The ``GET /v1/publications`` envelope."""
    return listing(items, total, "publications")
