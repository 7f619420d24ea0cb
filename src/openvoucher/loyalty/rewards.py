"""Rewards (``/v1/rewards``) and their assignments to loyalty programmes with a points cost.

A reward is what points buy: a voucher of a campaign (``CAMPAIGN``: a discount coupon, gift
credits or loyalty points), money off an order (``COIN``: pay with points) or a product
(``MATERIAL``). An assignment offers it in one programme; for all but COIN it has a points
cost. Buying one is in ``reward_redemptions``.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from openvoucher.catalog import campaigns, products
from openvoucher.catalog.domain.campaigns import REFERRAL
from openvoucher.catalog.metadata_schemas import enforce
from openvoucher.catalog.repositories.campaigns import CampaignRepository
from openvoucher.checkout.domain.redeemables import VoucherFacts
from openvoucher.kernel.errors import NotFound, VoucherifyError
from openvoucher.kernel.ids import new_id
from openvoucher.kernel.lists import listing
from openvoucher.kernel.unit_of_work import Tx, UnitOfWork
from openvoucher.loyalty import auto_redeem, tier_prices
from openvoucher.loyalty import programmes as loyalty
from openvoucher.loyalty.domain import rewards as rules
from openvoucher.loyalty.model import Reward, RewardAssignment, RewardChange
from openvoucher.loyalty.presenters.rewards import assignment, loyalty_reward, reward
from openvoucher.loyalty.repositories.rewards import AssignmentRepository, RewardRepository

PROGRAMME = "LOYALTY_PROGRAM"


def require_reward(tx: Tx, reward_id: str, *, lock: bool = False) -> Reward:
    """The reward, or 404."""
    row = RewardRepository(tx.conn, tx.project_id).get(reward_id, lock=lock)
    if row is None:
        raise NotFound("reward", reward_id)
    return row


def require_assignment(tx: Tx, assignment_id: str) -> RewardAssignment:
    """The assignment, or 404."""
    row = AssignmentRepository(tx.conn, tx.project_id).get(assignment_id)
    if row is None:
        raise NotFound("reward_assignment", assignment_id)
    return row


def _campaign_parameters(tx: Tx, given: dict[str, Any]) -> dict[str, Any]:
    if not given.get("id"):
        raise rules.invalid("parameters.campaign.id is required")
    row = campaigns.require(tx, str(given["id"]))
    kind = row["campaign_type"]
    if kind not in rules.CAMPAIGN_TYPES:
        raise rules.invalid(f"Campaign {row['name']} ({kind}) cannot be a reward's source")
    body: dict[str, Any] = {"id": row["id"], "type": kind}
    balance = given.get("balance")
    if kind == "DISCOUNT_COUPONS":
        return body
    if isinstance(balance, bool) or not isinstance(balance, int) or balance < 0:
        raise rules.invalid("parameters.campaign.balance must be an integer >= 0")
    if kind == PROGRAMME and balance == 0:
        raise rules.invalid("parameters.campaign.balance: give the points to add (> 0)")
    return {**body, "balance": balance}


def _product_parameters(tx: Tx, given: dict[str, Any]) -> dict[str, Any]:
    if not given.get("id"):
        raise rules.invalid("parameters.product.id is required")
    product = products.require_product(tx, str(given["id"]))
    sku_id = given.get("sku_id")
    if sku_id:
        sku = products.find_sku(tx, str(sku_id))
        if sku is None or sku.product_id != product.id:
            raise NotFound("sku", str(sku_id))
        sku_id = sku.id
    return {"id": product.id, "sku_id": sku_id or None}


def _parameters(tx: Tx, kind: str, given: dict[str, Any]) -> dict[str, Any]:
    if kind == rules.CAMPAIGN:
        return {"campaign": _campaign_parameters(tx, given["campaign"])}
    if kind == rules.COIN:
        return {"coin": rules.check_coin(given["coin"])}
    return {"product": _product_parameters(tx, given["product"])}


def create_reward(uow: UnitOfWork, project_id: str, fields: RewardChange) -> dict[str, Any]:
    """``POST /v1/rewards``."""
    given = dict(fields.parameters or {})
    kind = rules.reward_type(given)
    with uow.write(project_id) as tx:
        enforce(tx, "reward", None if fields.metadata is None else dict(fields.metadata))
        material = kind == rules.MATERIAL
        row = Reward(
            id=new_id("reward"),
            name=fields.name,
            type=kind,
            stock=rules.check_stock(fields.stock) if material else None,
            redeemed=0,
            parameters=_parameters(tx, kind, given),
            metadata=dict(fields.metadata or {}),
            attributes=dict(fields.attributes or {}) if material else None,
            created_at=tx.now,
        )
        RewardRepository(tx.conn, tx.project_id).insert(row)
        return reward(row)


def get_reward(uow: UnitOfWork, project_id: str, reward_id: str) -> dict[str, Any]:
    """``GET /v1/rewards/{id}``."""
    with uow.read(project_id) as tx:
        return reward(require_reward(tx, reward_id))


def update_reward(
    uow: UnitOfWork, project_id: str, reward_id: str, fields: RewardChange
) -> dict[str, Any]:
    """``PUT /v1/rewards/{id}``: the given fields; the type cannot change."""
    with uow.write(project_id) as tx:
        current = require_reward(tx, reward_id, lock=True)
        changed = replace(_changed(tx, current, fields), updated_at=tx.now)
        if "metadata" in fields.sent:
            enforce(tx, "reward", changed.metadata)
        RewardRepository(tx.conn, tx.project_id).save(changed)
        return reward(require_reward(tx, reward_id))


def _changed(tx: Tx, current: Reward, fields: RewardChange) -> Reward:
    """The reward with the sent fields (a MATERIAL reward's alone take attributes and stock)."""
    kind, material, sent = current.type, current.type == rules.MATERIAL, fields.sent
    changes: dict[str, Any] = {}
    if fields.parameters:
        given = dict(fields.parameters)
        if rules.reward_type(given) != kind:
            raise rules.invalid(f"A {kind} reward keeps its type: give {kind} parameters")
        changes["parameters"] = _parameters(tx, kind, given)
    if "metadata" in sent:
        changes["metadata"] = dict(fields.metadata or {})
    if "attributes" in sent and material:
        changes["attributes"] = dict(fields.attributes or {})
    if "name" in sent:
        changes["name"] = fields.name
    if "stock" in sent and material:
        changes["stock"] = rules.check_stock(fields.stock)
    return replace(current, **changes)


def delete_reward(uow: UnitOfWork, project_id: str, reward_id: str) -> None:
    """``DELETE /v1/rewards/{id}``: the reward and its assignments."""
    with uow.write(project_id) as tx:
        require_reward(tx, reward_id)
        RewardRepository(tx.conn, tx.project_id).delete(reward_id)


def list_rewards(
    uow: UnitOfWork, project_id: str, *, limit: int, offset: int, assignment_id: str | None
) -> dict[str, Any]:
    """``GET /v1/rewards``."""
    with uow.read(project_id) as tx:
        rows, total = RewardRepository(tx.conn, tx.project_id).page(
            limit=limit, offset=offset, assignment_id=assignment_id
        )
        return listing([reward(row) for row in rows], total)


def _offering(tx: Tx, ident: str, reward_row: Reward) -> dict[str, Any]:
    """The loyalty programme, or referral program (whose referrers get the reward for each
    referee), the reward is assigned to."""
    found = CampaignRepository(tx.conn, tx.project_id).get_by_id_or_name(ident)
    if found is None or found["campaign_type"] != REFERRAL:
        return loyalty.require_programme(tx, ident)
    if reward_row.type == rules.COIN:
        raise rules.invalid("A referral program cannot give a COIN reward")
    return found


def _assignment_row(
    tx: Tx, reward_row: Reward, programme_ident: Any, fields: dict[str, Any]
) -> RewardAssignment:
    if not programme_ident:
        raise rules.invalid("campaign is required: the loyalty programme offering the reward")
    programme = _offering(tx, str(programme_ident), reward_row)
    if reward_row.source_campaign_id == programme["id"]:
        raise rules.invalid("A loyalty programme cannot reward its own members with its points")
    loyalty_params = (fields.get("parameters") or {}).get("loyalty") or {}
    coin = reward_row.type == rules.COIN
    referral = programme["campaign_type"] == REFERRAL
    auto_redeem.check_setting(tx, loyalty_params, programme["id"], reward_row.id)
    return RewardAssignment(
        id=new_id("reward_assignment"),
        reward_id=reward_row.id,
        campaign_id=programme["id"],
        points=None if coin or referral else rules.check_cost(loyalty_params.get("points")),
        auto_redeem=bool(loyalty_params.get("auto_redeem")),
        validation_rules=list(fields.get("validation_rules") or []),
        created_at=tx.now,
    )


def _insert_assignment(tx: Tx, row: RewardAssignment) -> dict[str, Any]:
    repo = AssignmentRepository(tx.conn, tx.project_id)
    if repo.of_reward_in(row.reward_id, row.campaign_id) is not None:
        raise VoucherifyError(
            "Duplicated resource",
            f"Reward {row.reward_id} is already assigned to campaign {row.campaign_id}",
            key="duplicate_found",
            status=409,
        )
    repo.insert(row)
    return assignment(row)


def create_assignment(
    uow: UnitOfWork, project_id: str, reward_id: str, fields: dict[str, Any]
) -> dict[str, Any]:
    """``POST /v1/rewards/{id}/assignments``."""
    with uow.write(project_id) as tx:
        found = require_reward(tx, reward_id)
        return _insert_assignment(tx, _assignment_row(tx, found, fields.get("campaign"), fields))


def assign_to_programme(
    uow: UnitOfWork, project_id: str, ident: str, items: list[dict[str, Any]]
) -> dict[str, Any]:
    """``POST /v1/loyalties/{id}/rewards``: assign the listed rewards; the first assignment."""
    if not items:
        raise rules.invalid("Give at least one reward to assign")
    with uow.write(project_id) as tx:
        created = []
        for index, item in enumerate(items):
            if not item.get("reward"):
                raise rules.invalid(f"[{index}].reward is required")
            found = require_reward(tx, str(item["reward"]))
            created.append(_insert_assignment(tx, _assignment_row(tx, found, ident, item)))
        return created[0]


def _scoped(
    tx: Tx, assignment_id: str, reward_id: str | None, ident: str | None
) -> RewardAssignment:
    row = require_assignment(tx, assignment_id)
    if reward_id is not None and row.reward_id != reward_id:
        raise NotFound("reward_assignment", assignment_id)
    if ident is not None and row.campaign_id != loyalty.require_programme(tx, ident)["id"]:
        raise NotFound("reward_assignment", assignment_id)
    return row


def get_assignment(
    uow: UnitOfWork,
    project_id: str,
    assignment_id: str,
    *,
    reward_id: str | None = None,
    ident: str | None = None,
) -> dict[str, Any]:
    """One assignment (of the reward, or of the programme)."""
    with uow.read(project_id) as tx:
        return assignment(_scoped(tx, assignment_id, reward_id, ident))


def assigned_reward(
    uow: UnitOfWork, project_id: str, ident: str, assignment_id: str
) -> dict[str, Any]:
    """``GET /v1/loyalties/{id}/reward-assignments/{assignmentId}/reward``."""
    with uow.read(project_id) as tx:
        row = _scoped(tx, assignment_id, None, ident)
        return reward(require_reward(tx, row.reward_id))


def update_assignment(
    uow: UnitOfWork,
    project_id: str,
    assignment_id: str,
    fields: dict[str, Any],
    *,
    reward_id: str | None = None,
    ident: str | None = None,
) -> dict[str, Any]:
    """Change an assignment's points cost (or ``auto_redeem``)."""
    with uow.write(project_id) as tx:
        row = _scoped(tx, assignment_id, reward_id, ident)
        loyalty_params = (fields.get("parameters") or {}).get("loyalty") or {}
        changes: dict[str, Any] = {"updated_at": tx.now}
        if loyalty_params.get("points") is not None:
            if row.points is None:
                raise rules.invalid("A pay-with-points (COIN) reward has no points cost")
            changes["points"] = rules.check_cost(loyalty_params["points"])
        auto_redeem.check_setting(tx, loyalty_params, row.campaign_id, row.reward_id, row.id)
        if loyalty_params.get("auto_redeem") is not None:
            changes["auto_redeem"] = bool(loyalty_params["auto_redeem"])
        AssignmentRepository(tx.conn, tx.project_id).save(replace(row, **changes))
        return assignment(require_assignment(tx, assignment_id))


def delete_assignment(
    uow: UnitOfWork,
    project_id: str,
    assignment_id: str,
    *,
    reward_id: str | None = None,
    ident: str | None = None,
) -> None:
    """Withdraw a reward from a programme."""
    with uow.write(project_id) as tx:
        _scoped(tx, assignment_id, reward_id, ident)
        AssignmentRepository(tx.conn, tx.project_id).delete(assignment_id)


def list_assignments(
    uow: UnitOfWork,
    project_id: str,
    *,
    limit: int,
    offset: int,
    reward_id: str | None = None,
    ident: str | None = None,
    assignment_id: str | None = None,
) -> dict[str, Any]:
    """A page of assignments of a reward or of a programme."""
    with uow.read(project_id) as tx:
        if reward_id is not None:
            require_reward(tx, reward_id)
        campaign_ids = [loyalty.require_programme(tx, ident)["id"]] if ident else None
        rows, total = AssignmentRepository(tx.conn, tx.project_id).page(
            limit=limit,
            offset=offset,
            reward_id=reward_id,
            campaign_ids=campaign_ids,
            assignment_id=assignment_id,
        )
        return listing([assignment(row) for row in rows], total)


def member_rewards(
    uow: UnitOfWork, project_id: str, member_id: str, affordable_only: bool
) -> dict[str, Any]:
    """``GET /v1/loyalties/members/{id}/rewards``: the rewards of the card's programme (only
    those its balance pays for with ``affordable_only``; COIN rewards need a balance > 0)."""
    with uow.read(project_id) as tx:
        card = loyalty.member(tx, member_id)
        rows = AssignmentRepository(tx.conn, tx.project_id).of_campaigns([card["campaign_id"]])
        if affordable_only:
            rows = tier_prices.affordable(tx, card, rows)
        found = RewardRepository(tx.conn, tx.project_id).by_ids(sorted({r.reward_id for r in rows}))
        items = [loyalty_reward(found[r.reward_id], r) for r in rows if r.reward_id in found]
        return listing(items, len(items))


def with_coin_rewards(
    tx: Tx, rows: dict[str, dict[str, Any]], facts: dict[str, VoucherFacts]
) -> dict[str, VoucherFacts]:
    """Facts of loyalty cards completed with their balance and the COIN rewards of their
    programme (by reward id and by assignment id), for paying with points."""
    cards = {f.id for f in facts.values() if f.type == "LOYALTY_CARD"}
    if not cards:
        return facts
    campaign_ids = sorted({rows[c]["campaign_id"] for c in cards if rows[c]["campaign_id"]})
    offered = AssignmentRepository(tx.conn, tx.project_id).of_campaigns(campaign_ids)
    coins = RewardRepository(tx.conn, tx.project_id).by_ids(sorted({a.reward_id for a in offered}))
    by_campaign: dict[str, dict[str, dict[str, Any]]] = {}
    for offer in offered:
        found = coins.get(offer.reward_id)
        if found is None or found.type != rules.COIN:
            continue
        entry = {
            "reward_id": found.id,
            "assignment_id": offer.id,
            "validation_rules": offer.validation_rules,
            **found.parameters,
        }
        by_campaign.setdefault(offer.campaign_id, {}).update({found.id: entry, offer.id: entry})
    completed = dict(facts)
    for ident, fact in facts.items():
        if fact.type == "LOYALTY_CARD":
            row = rows[fact.id]
            offers = tier_prices.coin_offers(tx, row, by_campaign.get(row["campaign_id"] or "", {}))
            balance = int(row["loyalty_balance"] or 0)
            completed[ident] = replace(fact, loyalty_balance=balance, coin_rewards=offers)
    return completed


def campaign_row(tx: Tx, campaign_id: str) -> dict[str, Any]:
    """A reward's source campaign row (404 if it was removed)."""
    found = CampaignRepository(tx.conn, tx.project_id).get(campaign_id)
    if found is None:
        raise NotFound("campaign", campaign_id)
    return found
