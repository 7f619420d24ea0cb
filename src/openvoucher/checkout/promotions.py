"""Promotion tiers: add (alone or with a PROMOTION campaign), read, list, update, delete,
enable/disable, each write with its ``campaign.promotion_tier.*`` event; and what evaluations
need of them (their facts, and promotion stacks expanded to their tiers)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from openvoucher.catalog import validation_rules, vouchers
from openvoucher.catalog.domain.validity import Validity
from openvoucher.catalog.metadata_schemas import enforce
from openvoucher.catalog.presenters.campaigns import simple_campaign
from openvoucher.catalog.repositories.campaigns import CampaignRepository
from openvoucher.checkout.domain.promotions import TIER_ATTRS, tier_discount, tier_name
from openvoucher.checkout.domain.redeemables import Requested, VoucherFacts
from openvoucher.checkout.presenters.promotions import promotion_tier, tiers_list
from openvoucher.checkout.repositories.promotions import (
    PromotionStackRepository,
    PromotionTierRepository,
)
from openvoucher.kernel.clock import parse_datetime
from openvoucher.kernel.errors import InvalidPayload, NotFound
from openvoucher.kernel.events import Event
from openvoucher.kernel.ids import new_id
from openvoucher.kernel.unit_of_work import Tx, UnitOfWork

ASSIGNMENTS = "validation_rule_assignments"
"""A tier's list of validation rule assignments (spelled so by Voucherify)."""


def require_promotion(tx: Tx, ident: str) -> dict[str, Any]:
    """The PROMOTION campaign with id or name ``ident``: 404 when unknown, 400 for another type."""
    row = CampaignRepository(tx.conn, tx.project_id).get_by_id_or_name(ident)
    if row is None:
        raise NotFound("campaign", ident)
    if row["campaign_type"] != "PROMOTION":
        raise InvalidPayload("Invalid payload", f"Campaign {ident} is not a PROMOTION campaign")
    return row


def require_tier(tx: Tx, tier_id: str) -> dict[str, Any]:
    """The tier with this id, or 404."""
    row = PromotionTierRepository(tx.conn, tx.project_id).get(tier_id)
    if row is None:
        raise NotFound("promotion_tier", tier_id)
    return row


def _attrs(tx: Tx, fields: dict[str, Any], current: dict[str, Any]) -> dict[str, Any]:
    attrs = {**current, **{k: fields[k] for k in TIER_ATTRS if k in fields}}
    if fields.get("action") is not None or "discount" not in attrs:
        attrs["discount"] = tier_discount(fields.get("action"))
    if "category_id" in fields or "category" in fields:
        attrs["category_id"] = vouchers.category_id_for(tx, fields)
    attrs["metadata"] = attrs.get("metadata") or {}
    if "metadata" in fields or not current:
        enforce(tx, "promotion_tier", attrs["metadata"])
    return attrs


def _columns(fields: dict[str, Any]) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for name in ("start_date", "expiration_date"):
        if name in fields:
            values[name] = vouchers.parse_date(fields, name)
    if fields.get("hierarchy") is not None:
        values["hierarchy"] = int(fields["hierarchy"])
    return values


def insert_tier(tx: Tx, campaign: dict[str, Any], fields: dict[str, Any]) -> dict[str, Any]:
    """Store a new tier of ``campaign`` (hierarchy: given, else after the last); emits
    ``campaign.promotion_tier.created``."""
    repo = PromotionTierRepository(tx.conn, tx.project_id)
    row = {
        "id": new_id("promotion_tier"),
        "campaign_id": campaign["id"],
        "name": tier_name(fields.get("name")),
        "active": fields.get("active") is not False,
        "hierarchy": repo.next_hierarchy(campaign["id"]),
        "start_date": None,
        "expiration_date": None,
        "attrs": _attrs(tx, fields, {}),
        "created_at": tx.now,
        "updated_at": None,
    }
    row.update(_columns(fields))
    repo.insert(row)
    _assign(tx, row["id"], fields)
    created = require_tier(tx, row["id"])
    _emit(tx, "campaign.promotion_tier.created", created)
    return created


def _assign(tx: Tx, tier_id: str, fields: dict[str, Any]) -> None:
    """A body's ``validation_rules`` (rule ids) become the tier's assignments."""
    if fields.get("validation_rules") is not None:
        validation_rules.assign(tx, "promotion_tier", tier_id, fields["validation_rules"])


def rendered(tx: Tx, row: dict[str, Any]) -> dict[str, Any]:
    """The tier as the API shows it, with its ``validation_rule_assignments``."""
    body = promotion_tier(row)
    validation_rules.with_assignments(tx, "promotion_tier", [body], ASSIGNMENTS)
    return body


def _listed(tx: Tx, rows: list[dict[str, Any]], total: int, more: bool) -> dict[str, Any]:
    body = tiers_list(rows, total, more)
    validation_rules.with_assignments(tx, "promotion_tier", body["tiers"], ASSIGNMENTS)
    return body


def _emit(tx: Tx, kind: str, row: dict[str, Any]) -> None:
    campaign = CampaignRepository(tx.conn, tx.project_id).get(row["campaign_id"])
    data = {
        "campaign": simple_campaign(campaign) if campaign else None,
        "promotion_tier": rendered(tx, row),
    }
    tx.emit(Event(kind, data, entity_id=row["id"]))


def add(uow: UnitOfWork, project_id: str, ident: str, fields: dict[str, Any]) -> dict[str, Any]:
    """``POST /v1/promotions/{campaignId}/tiers``."""
    with uow.write(project_id) as tx:
        return rendered(tx, insert_tier(tx, require_promotion(tx, ident), fields))


def get(uow: UnitOfWork, project_id: str, tier_id: str) -> dict[str, Any]:
    """``GET /v1/promotions/tiers/{id}``."""
    with uow.read(project_id) as tx:
        return rendered(tx, require_tier(tx, tier_id))


def update(
    uow: UnitOfWork, project_id: str, tier_id: str, fields: dict[str, Any]
) -> dict[str, Any]:
    """``PUT /v1/promotions/tiers/{id}``: the given fields change; metadata is replaced."""
    with uow.write(project_id) as tx:
        row = require_tier(tx, tier_id)
        values = _columns(fields)
        if fields.get("name") is not None:
            values["name"] = tier_name(fields["name"])
        if fields.get("active") is not None:
            values["active"] = bool(fields["active"])
        values.update(attrs=_attrs(tx, fields, row["attrs"]), updated_at=tx.now)
        PromotionTierRepository(tx.conn, tx.project_id).update(tier_id, values)
        _assign(tx, tier_id, fields)
        updated = require_tier(tx, tier_id)
        _emit(tx, "campaign.promotion_tier.updated", updated)
        return rendered(tx, updated)


def delete(uow: UnitOfWork, project_id: str, tier_id: str) -> None:
    """``DELETE /v1/promotions/tiers/{id}``; stacks naming it lose it (emptied ones go too)."""
    with uow.write(project_id) as tx:
        row = require_tier(tx, tier_id)
        _emit(tx, "campaign.promotion_tier.deleted", row)
        _drop_from_stacks(tx, row)
        validation_rules.forget(tx, "promotion_tier", tier_id)
        PromotionTierRepository(tx.conn, tx.project_id).delete(tier_id)


def _drop_from_stacks(tx: Tx, tier: dict[str, Any]) -> None:
    repo = PromotionStackRepository(tx.conn, tx.project_id)
    stacks, _ = repo.page(tier["campaign_id"], order="created_at", limit=10_000, offset=0)
    for stack in stacks:
        ids = stack["attrs"]["tiers"]["ids"]
        if tier["id"] not in ids:
            continue
        left = [ident for ident in ids if ident != tier["id"]]
        if not left:
            repo.delete(stack["id"])
            continue
        tiers = {**stack["attrs"]["tiers"], "ids": left}
        repo.update(
            stack["id"], {"attrs": {**stack["attrs"], "tiers": tiers}, "updated_at": tx.now}
        )


def set_active(uow: UnitOfWork, project_id: str, tier_id: str, active: bool) -> dict[str, Any]:
    """``POST /v1/promotions/tiers/{id}/enable|disable``; the tier as it is now."""
    with uow.write(project_id) as tx:
        require_tier(tx, tier_id)
        repo = PromotionTierRepository(tx.conn, tx.project_id)
        repo.update(tier_id, {"active": active, "updated_at": tx.now})
        row = require_tier(tx, tier_id)
        kind = "enabled" if active else "disabled"
        _emit(tx, f"campaign.promotion_tier.{kind}", row)
        return rendered(tx, row)


def list_tiers(
    uow: UnitOfWork,
    project_id: str,
    campaign: str | None,
    *,
    available: bool,
    order: str,
    limit: int,
    offset: int,
) -> dict[str, Any]:
    """A page of tiers (of one campaign, or all; with ``available``, only usable ones now)."""
    with uow.read(project_id) as tx:
        campaign_id = require_promotion(tx, campaign)["id"] if campaign else None
        repo = PromotionTierRepository(tx.conn, tx.project_id)
        at = tx.now if available else None
        rows, total = repo.page(campaign_id, at, order=order, limit=limit, offset=offset)
        return _listed(tx, rows, total, offset + len(rows) < total)


def campaign_tiers(tx: Tx, campaign_id: str) -> dict[str, Any]:
    """A PROMOTION campaign's ``promotion`` (its tiers by hierarchy)."""
    rows = PromotionTierRepository(tx.conn, tx.project_id).of_campaign(campaign_id)
    return _listed(tx, rows, len(rows), False)


def _date(raw: Any) -> Any:
    return parse_datetime(raw) if isinstance(raw, str) else raw


def tier_facts(row: dict[str, Any]) -> VoucherFacts:
    """A tier as the evaluation sees it: a code-less ``DISCOUNT_VOUCHER`` of its campaign."""
    attrs = row["attrs"]
    days = attrs.get("validity_day_of_week")
    campaign = row.get("campaign_attrs") or {}
    return VoucherFacts(
        id=row["id"],
        code=row["id"],
        type="DISCOUNT_VOUCHER",
        active=bool(row["active"]),
        validity=Validity(
            start_date=row["start_date"],
            expiration_date=row["expiration_date"],
            day_of_week=tuple(days) if days else None,
            timeframe=attrs.get("validity_timeframe"),
            hours=attrs.get("validity_hours"),
        ),
        campaign_active=bool(row["campaign_active"]),
        campaign_validity=Validity(
            start_date=_date(campaign.get("start_date")),
            expiration_date=_date(campaign.get("expiration_date")),
        ),
        discount=attrs.get("discount"),
        object="promotion_tier",
    )


@dataclass
class Tiers:
    """The requested tiers: their rows and facts, by id."""

    rows: dict[str, dict[str, Any]]
    facts: dict[str, VoucherFacts]


def load_tiers(tx: Tx, requests: list[Requested]) -> Tiers:
    """The rows and facts of the requested promotion tiers (unknown ones are left out)."""
    wanted = [request.id for request in requests if request.object == "promotion_tier"]
    rows = PromotionTierRepository(tx.conn, tx.project_id).many(wanted)
    return Tiers(rows, {tier_id: tier_facts(row) for tier_id, row in rows.items()})


def expand_stacks(tx: Tx, requests: list[Requested]) -> list[Requested]:
    """Each ``promotion_stack`` replaced by its tiers, in the stack's order (an unknown stack
    stays, and is then not found)."""
    stacks = sum(request.object == "promotion_stack" for request in requests)
    if stacks == 0:
        return requests
    if stacks > 1:
        raise InvalidPayload("Invalid payload", "Only one promotion stack may be redeemed at once")
    repo = PromotionStackRepository(tx.conn, tx.project_id)
    expanded: list[Requested] = []
    for request in requests:
        stack = repo.get(request.id) if request.object == "promotion_stack" else None
        if stack is None:
            expanded.append(request)
            continue
        ids = stack["attrs"]["tiers"]["ids"]
        expanded += [Requested(object="promotion_tier", id=tier_id) for tier_id in ids]
    return expanded
