"""Campaign templates in Voucherify's shape."""

from __future__ import annotations

from typing import Any

from openvoucher.catalog.model import CampaignTemplate
from openvoucher.kernel.clock import iso


def campaign_template(row: CampaignTemplate, *, json_template: bool = False) -> dict[str, Any]:
    """The campaign template object (``json_template``: with the saved campaign definition)."""
    body: dict[str, Any] = {
        "id": row.id,
        "name": row.name,
        "description": row.description,
        "campaign_type": row.campaign_type,
        "created_at": iso(row.created_at),
        "updated_at": iso(row.updated_at) if row.updated_at is not None else None,
        "object": "campaign_template",
    }
    if json_template:
        body["json_template"] = row.campaign
    return body


def campaign_templates_page(
    rows: list[CampaignTemplate], limit: int, total: int | None
) -> dict[str, Any]:
    """A page of templates (``rows`` holds one extra row when there are more)."""
    shown = rows[:limit]
    more = len(rows) > limit
    body: dict[str, Any] = {
        "object": "list",
        "data_ref": "data",
        "data": [campaign_template(row) for row in shown],
    }
    if total is not None:
        body["total"] = total
    body["has_more"] = more
    if more:
        body["more_starting_after"] = shown[-1].id
    return body
