"""``GET /v1/loyalties/{id}/tiers/{tierId}/earning-rules`` and ``…/rewards``: what the
programme offers the tier's members, with the tier's points mappings applied.

The rewards mapping is keyed by reward id (as Voucherify documents it) or assignment id.
"""

from __future__ import annotations

from typing import Any

from openvoucher.kernel.unit_of_work import Tx, UnitOfWork
from openvoucher.loyalty import programmes as loyalty
from openvoucher.loyalty import tiers
from openvoucher.loyalty.presenters.loyalty import earning_rule
from openvoucher.loyalty.presenters.tier_offers import tier_earning_rule, tier_reward
from openvoucher.loyalty.repositories.loyalty_rules import EarningRuleRepository
from openvoucher.loyalty.repositories.rewards import AssignmentRepository, RewardRepository


def _tier(tx: Tx, ident: str, tier_id: str) -> dict[str, Any]:
    campaign = loyalty.require_programme(tx, ident)
    return tiers.require(tx, campaign["id"], tier_id)


def earning_rules(
    uow: UnitOfWork, project_id: str, ident: str, tier_id: str, *, limit: int, offset: int
) -> tuple[list[dict[str, Any]], int]:
    """A page of the programme's earning rules as the tier earns them, and their number."""
    with uow.read(project_id) as tx:
        tier = _tier(tx, ident, tier_id)
        mappings = tier["attrs"].get("earning_rules") or {}
        rows, total = EarningRuleRepository(tx.conn, tx.project_id).page(
            tier["campaign_id"], limit=limit, offset=offset
        )
        return [tier_earning_rule(earning_rule(r), mappings.get(r.id)) for r in rows], total


def rewards(uow: UnitOfWork, project_id: str, ident: str, tier_id: str) -> list[dict[str, Any]]:
    """Every reward of the programme at the tier's points cost (oldest assignment first)."""
    with uow.read(project_id) as tx:
        tier = _tier(tx, ident, tier_id)
        mappings = tier["attrs"].get("rewards") or {}
        rows = AssignmentRepository(tx.conn, tx.project_id).of_campaigns([tier["campaign_id"]])
        found = RewardRepository(tx.conn, tx.project_id).by_ids(
            sorted({row.reward_id for row in rows})
        )
        return [
            tier_reward(
                found[row.reward_id], row, mappings.get(row.id) or mappings.get(row.reward_id)
            )
            for row in rows
            if row.reward_id in found
        ]
