"""Promotion stacks: up to 30 tiers of one PROMOTION campaign, redeemed together in the
stack's order (``{object: "promotion_stack", id}`` expands to its tiers)."""

from __future__ import annotations

from typing import Any

from openvoucher.catalog.presenters.campaigns import simple_campaign
from openvoucher.catalog.repositories.campaigns import CampaignRepository
from openvoucher.checkout.domain.promotions import stack_tiers
from openvoucher.checkout.presenters.promotions import promotion_stack, stacks_list
from openvoucher.checkout.promotions import require_promotion
from openvoucher.checkout.repositories.promotions import (
    PromotionStackRepository,
    PromotionTierRepository,
)
from openvoucher.kernel.errors import NotFound
from openvoucher.kernel.events import Event
from openvoucher.kernel.ids import new_id
from openvoucher.kernel.unit_of_work import Tx, UnitOfWork


def _tiers(tx: Tx, campaign_id: str, raw: dict[str, Any]) -> dict[str, Any]:
    """The checked ``tiers``: each one a tier of the campaign (404 otherwise)."""
    tiers = stack_tiers(raw)
    found = PromotionTierRepository(tx.conn, tx.project_id).many(tiers["ids"])
    for tier_id in tiers["ids"]:
        if tier_id not in found or found[tier_id]["campaign_id"] != campaign_id:
            raise NotFound("promotion_tier", tier_id)
    return tiers


def _require(tx: Tx, campaign_id: str, stack_id: str) -> dict[str, Any]:
    row = PromotionStackRepository(tx.conn, tx.project_id).get(stack_id)
    if row is None or row["campaign_id"] != campaign_id:
        raise NotFound("promotion_stack", stack_id)
    return row


def _emit(tx: Tx, kind: str, row: dict[str, Any]) -> None:
    campaign = CampaignRepository(tx.conn, tx.project_id).get(row["campaign_id"])
    data = {
        "campaign": simple_campaign(campaign) if campaign else None,
        "promotion_stack": promotion_stack(row),
    }
    tx.emit(Event(kind, data, entity_id=row["id"]))


def create(uow: UnitOfWork, project_id: str, ident: str, fields: dict[str, Any]) -> dict[str, Any]:
    """``POST /v1/promotions/{campaignId}/stacks``; emits ``campaign.promotion_stack.created``."""
    with uow.write(project_id) as tx:
        campaign = require_promotion(tx, ident)
        row = {
            "id": new_id("promotion_stack"),
            "campaign_id": campaign["id"],
            "name": fields["name"],
            "category_id": fields.get("category_id"),
            "attrs": {"tiers": _tiers(tx, campaign["id"], fields["tiers"])},
            "created_at": tx.now,
            "updated_at": None,
        }
        PromotionStackRepository(tx.conn, tx.project_id).insert(row)
        _emit(tx, "campaign.promotion_stack.created", row)
        return promotion_stack(row)


def get(uow: UnitOfWork, project_id: str, ident: str, stack_id: str) -> dict[str, Any]:
    """``GET /v1/promotions/{campaignId}/stacks/{stackId}``."""
    with uow.read(project_id) as tx:
        return promotion_stack(_require(tx, require_promotion(tx, ident)["id"], stack_id))


def update(
    uow: UnitOfWork, project_id: str, ident: str, stack_id: str, fields: dict[str, Any]
) -> dict[str, Any]:
    """``PUT …/stacks/{stackId}``: name, tiers, category; emits ``…promotion_stack.updated``."""
    with uow.write(project_id) as tx:
        campaign_id = require_promotion(tx, ident)["id"]
        row = _require(tx, campaign_id, stack_id)
        values: dict[str, Any] = {"updated_at": tx.now}
        if fields.get("name") is not None:
            values["name"] = fields["name"]
        if "category_id" in fields:
            values["category_id"] = fields["category_id"]
        if fields.get("tiers") is not None:
            values["attrs"] = {**row["attrs"], "tiers": _tiers(tx, campaign_id, fields["tiers"])}
        repo = PromotionStackRepository(tx.conn, tx.project_id)
        repo.update(stack_id, values)
        updated = _require(tx, campaign_id, stack_id)
        _emit(tx, "campaign.promotion_stack.updated", updated)
        return promotion_stack(updated)


def delete(uow: UnitOfWork, project_id: str, ident: str, stack_id: str) -> None:
    """``DELETE …/stacks/{stackId}``."""
    with uow.write(project_id) as tx:
        _require(tx, require_promotion(tx, ident)["id"], stack_id)
        PromotionStackRepository(tx.conn, tx.project_id).delete(stack_id)


def list_stacks(
    uow: UnitOfWork,
    project_id: str,
    ident: str | None,
    *,
    order: str,
    limit: int,
    offset: int,
    dates: dict[str, Any],
) -> dict[str, Any]:
    """A page of stacks (of one campaign, or all)."""
    with uow.read(project_id) as tx:
        campaign_id = require_promotion(tx, ident)["id"] if ident else None
        repo = PromotionStackRepository(tx.conn, tx.project_id)
        rows, total = repo.page(campaign_id, order=order, limit=limit, offset=offset, **dates)
        return stacks_list(rows, total)
