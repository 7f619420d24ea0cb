"""Loyalty tiers: points ranges of a programme, each member's current tier, tier events.

A member's tier follows their card's balance (for ``CUSTOM`` expiry held for a while:
``loyalty.custom_tiers``; for ``POINTS_IN_PERIOD`` programmes the points collected in a
period: ``loyalty.period_tiers``): ``refresh`` runs after every points
transaction (and after the tiers change) and records the tier in the card's
``attrs.loyalty_tier`` (``{id, since}``), emitting ``customer.loyalty.tier.joined``,
``upgraded``, ``downgraded`` or ``left`` and firing the earning rules that listen to them.
"""

from __future__ import annotations

from contextvars import ContextVar
from typing import Any

from openvoucher.catalog.metadata_schemas import enforce
from openvoucher.catalog.presenters.campaigns import simple_campaign
from openvoucher.catalog.repositories.campaigns import CampaignRepository
from openvoucher.catalog.repositories.vouchers import VoucherFilter, VoucherRepository
from openvoucher.customers.presenters.customers import customer_ref
from openvoucher.customers.repositories.customers import CustomerRepository
from openvoucher.kernel.clock import iso, parse_datetime
from openvoucher.kernel.errors import InvalidPayload, NotFound
from openvoucher.kernel.events import Event
from openvoucher.kernel.ids import new_id
from openvoucher.kernel.unit_of_work import Tx, UnitOfWork
from openvoucher.loyalty.domain import loyalty as points_math
from openvoucher.loyalty.domain import tier_settings
from openvoucher.loyalty.presenters.loyalty import tier as render
from openvoucher.loyalty.repositories.loyalty_rules import (
    EarningRuleRepository,
    TierRepository,
)
from openvoucher.loyalty.repositories.rewards import AssignmentRepository, RewardRepository

MAX_CASCADE = 5
"""Tier rules add points, which may move the member again; this bounds the chain."""
_depth: ContextVar[int] = ContextVar("tier_cascade_depth", default=0)
REFRESH_BATCH = 500


def _invalid(details: str) -> InvalidPayload:
    return InvalidPayload("Invalid payload", details)


def require(tx: Tx, campaign_id: str, tier_id: str) -> dict[str, Any]:
    """A tier of the programme, or 404."""
    row = TierRepository(tx.conn, tx.project_id).get(tier_id)
    if row is None or row["campaign_id"] != campaign_id:
        raise NotFound("loyalty_tier", tier_id)
    return row


def _check_mapping(tx: Tx, campaign_id: str, mapping: dict[str, Any] | None, what: str) -> None:
    rules = EarningRuleRepository(tx.conn, tx.project_id)
    for key, value in (mapping or {}).items():
        if what == "earning_rules":
            found = rules.get(key)
            if found is None or found["campaign_id"] != campaign_id:
                raise _invalid(f"earning_rules: {key} is not an earning rule of this programme")
        kind = (value or {}).get("type")
        if kind == "MULTIPLY":
            multiplier = value.get("multiplier")
            if (
                not isinstance(multiplier, int | float)
                or isinstance(multiplier, bool)
                or multiplier <= 0
            ):
                raise _invalid(f"{what}.{key}.multiplier must be a positive number")
        elif kind == "CUSTOM":
            points = value.get("points")
            if not isinstance(points, int) or isinstance(points, bool) or points < 0:
                raise _invalid(f"{what}.{key}.points must be a non-negative integer")
        else:
            raise _invalid(f"{what}.{key}.type must be MULTIPLY or CUSTOM")


def _check_reward_keys(tx: Tx, campaign_id: str, mapping: dict[str, Any] | None) -> None:
    """Each key of a rewards mapping names an assignment of the programme or a reward it
    offers; pay with points (COIN) takes only a multiplier."""
    if not mapping:
        return
    offered = AssignmentRepository(tx.conn, tx.project_id).of_campaigns([campaign_id])
    found = RewardRepository(tx.conn, tx.project_id).by_ids(sorted({a.reward_id for a in offered}))
    kinds = {a.id: found[a.reward_id].type for a in offered if a.reward_id in found}
    kinds.update({r.id: r.type for r in found.values()})
    for key, value in mapping.items():
        if key not in kinds:
            raise _invalid(f"rewards: {key} is not a reward of this programme")
        if kinds[key] == "COIN" and value.get("type") == "CUSTOM":
            raise _invalid(f"rewards.{key}: pay with points takes a MULTIPLY mapping only")


def _range(fields: dict[str, Any]) -> tuple[int, int | None]:
    points = fields.get("points") or {}
    low, high = points.get("from"), points.get("to")
    if not isinstance(low, int) or isinstance(low, bool) or low < 0:
        raise _invalid("points.from must be a non-negative integer")
    if high is not None and (not isinstance(high, int) or isinstance(high, bool) or high < low):
        raise _invalid("points.to must be an integer not below points.from (or null)")
    return low, high


def _overlaps(low: int, high: int | None, other: dict[str, Any]) -> bool:
    top = other["points_to"]
    return (top is None or low <= top) and (high is None or other["points_from"] <= high)


def _checked(
    tx: Tx, campaign_id: str, fields: dict[str, Any], others: list[dict[str, Any]]
) -> dict[str, Any]:
    if not fields.get("name"):
        raise _invalid("name is required")
    low, high = _range(fields)
    for other in others:
        if _overlaps(low, high, other):
            raise _invalid(f"points range {low}-{high} overlaps tier {other['name']}")
    _check_mapping(tx, campaign_id, fields.get("earning_rules"), "earning_rules")
    _check_mapping(tx, campaign_id, fields.get("rewards"), "rewards")
    _check_reward_keys(tx, campaign_id, fields.get("rewards"))
    attrs = {k: fields.get(k) or {} for k in ("earning_rules", "rewards", "metadata")}
    return {"name": fields["name"], "points_from": low, "points_to": high, "attrs": attrs}


def create_many(
    tx: Tx, campaign: dict[str, Any], items: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    """Add tiers to a programme; emits ``campaign.loyalty_tier.created`` for each."""
    if not items:
        raise _invalid("Give at least one tier")
    repo = TierRepository(tx.conn, tx.project_id)
    existing = repo.of_campaign(campaign["id"])
    created = []
    for fields in items:
        values = _checked(tx, campaign["id"], fields, existing)
        enforce(tx, "loyalty_tier", values["attrs"]["metadata"])
        row = {"id": new_id("loyalty_tier"), "campaign_id": campaign["id"], **values}
        repo.insert({**row, "created_at": tx.now, "updated_at": None})
        stored = repo.get(row["id"])
        assert stored is not None
        existing.append(stored)
        created.append(stored)
        _emit_change(tx, campaign, "campaign.loyalty_tier.created", stored)
    refresh_all(tx, campaign["id"])
    return created


def update(
    tx: Tx, campaign: dict[str, Any], tier_id: str, fields: dict[str, Any]
) -> dict[str, Any]:
    """Change a tier (fields absent keep their value); emits ``campaign.loyalty_tier.updated``."""
    current = require(tx, campaign["id"], tier_id)
    merged = {
        "name": current["name"],
        "points": {"from": current["points_from"], "to": current["points_to"]},
        **current["attrs"],
        **{k: v for k, v in fields.items() if v is not None},
    }
    repo = TierRepository(tx.conn, tx.project_id)
    others = [t for t in repo.of_campaign(campaign["id"]) if t["id"] != tier_id]
    values = _checked(tx, campaign["id"], merged, others)
    if "metadata" in fields:
        enforce(tx, "loyalty_tier", values["attrs"]["metadata"])
    repo.update(tier_id, {**values, "updated_at": tx.now})
    updated = require(tx, campaign["id"], tier_id)
    _emit_change(tx, campaign, "campaign.loyalty_tier.updated", updated)
    refresh_all(tx, campaign["id"])
    return updated


def delete(tx: Tx, campaign: dict[str, Any], tier_id: str) -> None:
    """Remove a tier; its members move to the tier they now qualify for (or none)."""
    current = require(tx, campaign["id"], tier_id)
    TierRepository(tx.conn, tx.project_id).delete(tier_id)
    _emit_change(tx, campaign, "campaign.loyalty_tier.deleted", current)
    refresh_all(tx, campaign["id"], gone=current)


def _emit_change(tx: Tx, campaign: dict[str, Any], kind: str, row: dict[str, Any]) -> None:
    data = {"campaign": simple_campaign(campaign), "loyalty_tier": render(row)}
    tx.emit(Event(kind, data, entity_id=row["id"]))


def refresh_all(
    tx: Tx, campaign_id: str, gone: dict[str, Any] | None = None, *, settings: bool = False
) -> None:
    """Re-evaluate every member of the programme after its tiers changed (``gone``: a tier
    just deleted, which its members lose at once) or, ``settings``, its tier settings did
    ("Refresh tiers"); members holding a tier with an expiry are upgraded, never downgraded
    (``period_tiers``, ``custom_tiers``), and their expiry may move."""
    repo = VoucherRepository(tx.conn, tx.project_id)
    offset = 0
    while True:
        rows, _ = repo.page(
            VoucherFilter(campaign_id=campaign_id),
            order="created_at",
            limit=REFRESH_BATCH,
            offset=offset,
        )
        for row in rows:
            refresh(tx, row, gone, settings=settings)
        if len(rows) < REFRESH_BATCH:
            return
        offset += REFRESH_BATCH


def refresh(
    tx: Tx, card: dict[str, Any], gone: dict[str, Any] | None = None, *, settings: bool = False
) -> None:
    """Record the holder's tier for the card's balance; emit and fire rules on a change."""
    if card["holder_id"] is None or card["campaign_id"] is None:
        return
    tiers = TierRepository(tx.conn, tx.project_id).of_campaign(card["campaign_id"])
    campaign = _settings_of(tx, card)
    if tier_settings.is_period_based(campaign):
        from openvoucher.loyalty import period_tiers

        campaign = CampaignRepository(tx.conn, tx.project_id).get(card["campaign_id"])
        assert campaign is not None
        period_tiers.refresh(tx, card, campaign, tiers, gone)
        return
    expiration = tier_settings.custom_expiration(campaign)
    if expiration is not None:
        from openvoucher.loyalty import custom_tiers

        custom_tiers.refresh(tx, card, expiration, tiers, gone, recount=settings)
        return
    membership = card["attrs"].get("loyalty_tier")
    known = [*tiers, gone] if gone is not None else tiers
    old = next((t for t in known if membership and t["id"] == membership["id"]), None)
    new = points_math.tier_for(int(card["loyalty_balance"] or 0), tiers)
    if (old and old["id"]) == (new and new["id"]):
        return
    if settings and _still_held(tx, membership, old, new):
        return
    attrs = dict(card["attrs"])
    attrs["loyalty_tier"] = {"id": new["id"], "since": iso(tx.now)} if new else None
    VoucherRepository(tx.conn, tx.project_id).update(card["id"], {"attrs": attrs})
    kind, data = transition(tx, card, old, new, attrs["loyalty_tier"])
    announce(tx, card, (kind, data), old, new, attrs["loyalty_tier"])


def _settings_of(tx: Tx, card: dict[str, Any]) -> dict[str, Any] | None:
    """The card's campaign as far as its tier settings go (``attrs``): the campaign columns
    a card row read with its campaign carries (``campaign_attrs``), else the campaign read."""
    if "campaign_attrs" in card:
        return {"attrs": card["campaign_attrs"]} if card["campaign_attrs"] is not None else None
    return CampaignRepository(tx.conn, tx.project_id).get(card["campaign_id"])


def _still_held(
    tx: Tx, membership: dict[str, Any] | None, old: dict[str, Any] | None, new: Any
) -> bool:
    """A refresh never downgrades a member whose tier has not expired yet."""
    ends = (membership or {}).get("expires_at")
    if old is None or ends is None or parse_datetime(ends) <= tx.now:
        return False
    return new is None or bool(new["points_from"] < old["points_from"])


def transition(
    tx: Tx,
    card: dict[str, Any],
    old: dict[str, Any] | None,
    new: dict[str, Any] | None,
    membership: dict[str, Any] | None,
) -> tuple[str, dict[str, Any]]:
    campaign = CampaignRepository(tx.conn, tx.project_id).get(card["campaign_id"])
    assert campaign is not None
    holder = CustomerRepository(tx.conn, tx.project_id).get(card["holder_id"])
    base = {"customer": customer_ref(holder), "campaign": simple_campaign(campaign)}
    since = {"customer_id": card["holder_id"], "since": iso(tx.now)}
    fresh = render(new, {**since, **(membership or {})}) if new else None
    earlier = render(old) if old else None
    when = iso(tx.now)
    if old is None:
        return "customer.loyalty.tier.joined", {**base, "loyalty_tier": fresh, "created_at": when}
    if new is None:
        return "customer.loyalty.tier.left", {**base, "loyalty_tier": earlier, "created_at": when}
    kind = "upgraded" if new["points_from"] > old["points_from"] else "downgraded"
    data = {**base, "loyalty_tier_from": earlier, "loyalty_tier_to": fresh, "created_at": when}
    return f"customer.loyalty.tier.{kind}", data


def announce(
    tx: Tx,
    card: dict[str, Any],
    event: tuple[str, dict[str, Any]],
    old: dict[str, Any] | None,
    new: dict[str, Any] | None,
    membership: dict[str, Any] | None,
) -> None:
    """A member moved (``event``: the tier event's kind and data): emit the event, record
    the movement of a Loyalty v2 card as its tier transaction, fire the rules listening."""
    from openvoucher.loyalty.v2 import member_tiers  # v2 builds on this module

    kind, data = event
    tx.emit(Event(kind, data, entity_id=card["holder_id"]))
    member_tiers.record(tx, card, kind, old, new, membership)
    fire_rules(tx, card, kind, new or old)


def fire_rules(tx: Tx, card: dict[str, Any], kind: str, level: dict[str, Any] | None) -> None:
    depth = _depth.get()
    if level is None or depth >= MAX_CASCADE:
        return
    from openvoucher.loyalty import earning_rules

    token = _depth.set(depth + 1)
    try:
        earning_rules.on_tier_event(tx, card, kind, level)
    finally:
        _depth.reset(token)


def current_tier(tx: Tx, card: dict[str, Any]) -> dict[str, Any] | None:
    """The member's recorded tier row (None when in none)."""
    membership = card["attrs"].get("loyalty_tier")
    if not membership:
        return None
    return TierRepository(tx.conn, tx.project_id).get(membership["id"])


def _programme(tx: Tx, ident: str) -> dict[str, Any]:
    from openvoucher.loyalty.programmes import require_programme

    return require_programme(tx, ident)


def create(
    uow: UnitOfWork, project_id: str, ident: str, items: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    """``POST /v1/loyalties/{id}/tiers``."""
    with uow.write(project_id) as tx:
        return [render(row) for row in create_many(tx, _programme(tx, ident), items)]


def list_tiers(
    uow: UnitOfWork, project_id: str, ident: str, *, limit: int, offset: int
) -> tuple[list[dict[str, Any]], int]:
    """A page of the programme's tiers (lowest first) and their number."""
    with uow.read(project_id) as tx:
        rows = TierRepository(tx.conn, tx.project_id).of_campaign(_programme(tx, ident)["id"])
        return [render(row) for row in rows[offset : offset + limit]], len(rows)


def get(uow: UnitOfWork, project_id: str, ident: str, tier_id: str) -> dict[str, Any]:
    """One tier."""
    with uow.read(project_id) as tx:
        return render(require(tx, _programme(tx, ident)["id"], tier_id))


def change(
    uow: UnitOfWork, project_id: str, ident: str, tier_id: str, fields: dict[str, Any]
) -> dict[str, Any]:
    """``PUT /v1/loyalties/{id}/tiers/{tierId}`` (an extension)."""
    with uow.write(project_id) as tx:
        return render(update(tx, _programme(tx, ident), tier_id, fields))


def remove(uow: UnitOfWork, project_id: str, ident: str, tier_id: str) -> None:
    """``DELETE /v1/loyalties/{id}/tiers/{tierId}`` (an extension)."""
    with uow.write(project_id) as tx:
        delete(tx, _programme(tx, ident), tier_id)
