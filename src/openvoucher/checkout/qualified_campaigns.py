"""Campaigns in qualification results: the codes of a campaign that no one holds yet.

Voucherify's qualifications return ``voucher`` entries only for standalone codes and codes
published to someone; a campaign whose codes are still unpublished shows as one ``campaign``
entry (spec ``QualificationsOption.filters.resource_type``: "``campaign`` refers to campaigns;
``voucher`` refers to generic (standalone) vouchers or published vouchers"; the
``PRODUCTS_DISCOUNT`` example of guides/checking-eligibility.mdx lists the customer's code and
its campaign). The campaign qualifies as its first qualifying unpublished code does (they share
the campaign's template and rules); the entry carries the campaign's ``id``, ``name``,
``created_at``, ``metadata`` and validation rules, and no ``campaign_id``/``campaign_name``.
"""

from __future__ import annotations

from typing import Any

from openvoucher.catalog import validation_rules
from openvoucher.catalog.repositories.campaigns import CampaignRepository
from openvoucher.kernel.clock import iso
from openvoucher.kernel.unit_of_work import Tx


def unpublished(row: dict[str, Any]) -> bool:
    """Whether a voucher row is a campaign's code held by no one (shown as its campaign)."""
    return bool(row.get("campaign_id")) and row.get("holder_id") is None


PER_CAMPAIGN = 5
"""Unpublished codes of one campaign judged at most: they share the campaign's template, so a
few stand for all (a campaign of 10 000 codes costs what one of 5 does)."""


def few_per_campaign(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """``rows`` with at most :data:`PER_CAMPAIGN` unpublished codes of each campaign."""
    seen: dict[str, int] = {}
    kept = []
    for row in rows:
        if unpublished(row):
            seen[row["campaign_id"]] = seen.get(row["campaign_id"], 0) + 1
            if seen[row["campaign_id"]] > PER_CAMPAIGN:
                continue
        kept.append(row)
    return kept


def _campaign_entry(entry: dict[str, Any], campaign: dict[str, Any]) -> dict[str, Any]:
    body = {k: v for k, v in entry.items() if k not in {"campaign_id", "campaign_name"}}
    body.update(
        id=campaign["id"],
        object="campaign",
        created_at=iso(campaign["created_at"]),
        metadata=campaign["attrs"].get("metadata") or {},
        name=campaign["name"],
        _object_id=campaign["id"],
    )
    return body


def collapse(
    tx: Tx, found: list[tuple[dict[str, Any], dict[str, Any]]]
) -> list[tuple[str, dict[str, Any]]]:
    """``(row, entry)`` pairs with each campaign's unpublished codes replaced by one campaign
    entry where its first one stood; each result as ``(assignment object type, entry)``."""
    repo = CampaignRepository(tx.conn, tx.project_id)
    shown: set[str] = set()
    result: list[tuple[str, dict[str, Any]]] = []
    for row, entry in found:
        if not unpublished(row):
            result.append(("voucher", entry))
            continue
        campaign_id = row["campaign_id"]
        if campaign_id in shown:
            continue
        shown.add(campaign_id)
        campaign = repo.get(campaign_id)
        if campaign is not None:
            result.append(("campaign", _campaign_entry(entry, campaign)))
    return result


def with_assignments(tx: Tx, found: list[tuple[str, dict[str, Any]]]) -> list[dict[str, Any]]:
    """The entries, each with the validation rules assigned to its voucher or campaign."""
    for kind in ("voucher", "campaign"):
        ids = [entry["_object_id"] for k, entry in found if k == kind]
        assigned = validation_rules.rendered_assignments(tx, kind, ids)
        for k, entry in found:
            if k == kind:
                entry["validation_rules_assignments"] = assigned[entry["_object_id"]]
    return [{k: v for k, v in entry.items() if k != "_object_id"} for _, entry in found]
