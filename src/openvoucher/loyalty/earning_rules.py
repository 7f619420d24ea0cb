"""Earning rules: CRUD on a programme's rules, and accruing points when they fire.

Rules fire synchronously, inside the transaction of what triggered them: an order becoming
PAID (checkout's ``OrderPaid``), a tracked custom event, a member changing tier, a customer
entering an auto-update segment (customers' ``SegmentEntered``); ``bootstrap.reaction_table``
routes the two domain events to ``loyalty.handlers``. A rule fires for the customer's card
in its programme; a non-member is enrolled first when the programme has ``auto_join``. A
tier's ``earning_rules`` mapping changes the points for its members.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from openvoucher.catalog import tx_cache
from openvoucher.catalog.domain.validity import Validity, check_validity_settings
from openvoucher.catalog.metadata_schemas import enforce
from openvoucher.catalog.presenters.campaigns import simple_campaign
from openvoucher.catalog.repositories.campaigns import CampaignRepository
from openvoucher.checkout import formula_context, rule_checks
from openvoucher.customers import segment_membership
from openvoucher.kernel.clock import iso, parse_datetime
from openvoucher.kernel.errors import InvalidPayload, NotFound
from openvoucher.kernel.events import Event
from openvoucher.kernel.ids import new_id
from openvoucher.kernel.unit_of_work import Tx, UnitOfWork
from openvoucher.loyalty import buckets, loyalty_cards, pending_points, programmes, tiers
from openvoucher.loyalty.domain import loyalty as points_math
from openvoucher.loyalty.domain import pending_points as pending_rules
from openvoucher.loyalty.model import EarningRule
from openvoucher.loyalty.presenters.loyalty import earning_rule as render
from openvoucher.loyalty.repositories.loyalty_rules import (
    EarningRuleRepository,
    TierRepository,
    rule_columns,
)
from openvoucher.platform import project_zone

ORDER_PAID = "order.paid"
SEGMENT_ENTERED = "customer.segment.entered"
TIER_EVENTS = {
    "customer.loyalty.tier.joined",
    "customer.loyalty.tier.left",
    "customer.loyalty.tier.upgraded",
    "customer.loyalty.tier.downgraded",
    "customer.loyalty.tier.prolonged",
}
ANY_TIER = "__ANY__"
"""A tier rule's ``loyalty_tier.id`` for any tier of the rule's programme."""
SETTINGS = (
    "validation_rule_id",
    "validity_timeframe",
    "validity_day_of_week",
    "validity_hours",
    "custom_event",
    "loyalty_tier",
    "segment",
)
"""The optional settings a rule keeps as given (when not null)."""


def _invalid(details: str) -> InvalidPayload:
    return InvalidPayload("Invalid payload", details)


def _event_name(tx: Tx, fields: dict[str, Any]) -> str:
    event = fields.get("event")
    if not event or not isinstance(event, str):
        raise _invalid("event is required")
    if event == SEGMENT_ENTERED:
        segment_id = (fields.get("segment") or {}).get("id")
        if not segment_id:
            raise _invalid(f"segment.id is required for {event}")
        fields["segment"] = {"id": segment_membership.require(tx, segment_id).id}
    if event in TIER_EVENTS:
        tier_id = (fields.get("loyalty_tier") or {}).get("id")
        if not tier_id:
            raise _invalid(f"loyalty_tier.id is required for {event}")
        if tier_id != ANY_TIER and TierRepository(tx.conn, tx.project_id).get(tier_id) is None:
            raise NotFound("loyalty_tier", tier_id)
    return event


def _date(fields: dict[str, Any], name: str) -> str | None:
    raw = fields.get(name)
    if raw is None:
        return None
    try:
        return iso(parse_datetime(raw))
    except ValueError:
        raise _invalid(f"{name} must be an ISO-8601 date-time") from None


def _checked(tx: Tx, fields: dict[str, Any], base: EarningRule) -> EarningRule:
    """``base`` (its id, programme, activity, automation and times) with the settings of
    ``fields``, checked."""
    event = _event_name(tx, fields)
    loyalty_def = points_math.check_loyalty(fields.get("loyalty"), event)
    problem = check_validity_settings(
        fields.get("validity_timeframe"),
        fields.get("validity_hours"),
        fields.get("validity_day_of_week"),
    )
    if problem:
        raise _invalid(problem)
    if fields.get("validity_timeframe") and not fields.get("start_date"):
        raise _invalid("validity_timeframe needs a start_date")
    start, ends = _date(fields, "start_date"), _date(fields, "expiration_date")
    if start and ends and start > ends:
        raise _invalid("start_date must not be after expiration_date")
    rules = points_math.check_expiration_rules(fields.get("expiration_rules"))
    pending = pending_rules.check_setting(fields.get("pending_points"), event)
    return EarningRule(
        id=base.id,
        campaign_id=base.campaign_id,
        event=event,
        active=base.active,
        loyalty=loyalty_def,
        automation_id=base.automation_id,
        banner=(fields.get("source") or {}).get("banner"),
        metadata=fields.get("metadata") or {},
        start_date=start,
        expiration_date=ends,
        expiration_rules=rules or None,
        pending_points=pending or None,
        created_at=base.created_at,
        updated_at=base.updated_at,
        **{name: fields[name] for name in SETTINGS if fields.get(name) is not None},
    )


def _programme(tx: Tx, ident: str) -> dict[str, Any]:
    return programmes.require_programme(tx, ident)


def _require(tx: Tx, campaign_id: str, rule_id: str) -> EarningRule:
    row = EarningRuleRepository(tx.conn, tx.project_id).rule(rule_id)
    if row is None or row.campaign_id != campaign_id:
        raise NotFound("earning_rule", rule_id)
    return row


def _emit(tx: Tx, campaign: dict[str, Any], kind: str, row: EarningRule) -> None:
    data = {"campaign": simple_campaign(campaign), "earning_rule": render(row)}
    tx.emit(Event(f"campaign.earning_rule.{kind}", data, entity_id=row.id))


def create(
    uow: UnitOfWork, project_id: str, ident: str, items: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    """``POST /v1/loyalties/{id}/earning-rules``: add rules; emits ``…earning_rule.assigned``."""
    if not items:
        raise _invalid("Give at least one earning rule")
    with uow.write(project_id) as tx:
        campaign = _programme(tx, ident)
        repo = EarningRuleRepository(tx.conn, tx.project_id)
        created = []
        for fields in items:
            blank = EarningRule(
                id=new_id("earning_rule"),
                campaign_id=campaign["id"],
                event="",
                active=fields.get("active") is not False,
                loyalty={},
                automation_id="",
                created_at=tx.now,
            )
            values = _checked(tx, fields, blank)
            enforce(tx, "earning_rule", values.metadata)
            repo.add(replace(values, automation_id=new_id("automation")))
            row = _require(tx, campaign["id"], blank.id)
            _emit(tx, campaign, "assigned", row)
            created.append(render(row))
        return created


def get(uow: UnitOfWork, project_id: str, ident: str, rule_id: str) -> dict[str, Any]:
    """One rule of the programme."""
    with uow.read(project_id) as tx:
        return render(_require(tx, _programme(tx, ident)["id"], rule_id))


def list_rules(
    uow: UnitOfWork, project_id: str, ident: str, *, limit: int, offset: int
) -> tuple[list[dict[str, Any]], int]:
    """A page of the programme's rules and their number."""
    with uow.read(project_id) as tx:
        campaign = _programme(tx, ident)
        rows, total = EarningRuleRepository(tx.conn, tx.project_id).page(
            campaign["id"], limit=limit, offset=offset
        )
        return [render(row) for row in rows], total


def update(
    uow: UnitOfWork, project_id: str, ident: str, rule_id: str, fields: dict[str, Any]
) -> dict[str, Any]:
    """Change a rule (absent fields keep their value); emits ``…earning_rule.updated``."""
    with uow.write(project_id) as tx:
        campaign = _programme(tx, ident)
        current = _require(tx, campaign["id"], rule_id)
        merged = {
            **rule_columns(current)["attrs"],
            "event": current.event,
            "source": {"banner": current.banner},
            **{k: v for k, v in fields.items() if v is not None},
        }
        if "pending_points" in fields and fields["pending_points"] is None:
            merged.pop("pending_points", None)  # null removes the setting
        active = current.active if fields.get("active") is None else bool(fields["active"])
        values = _checked(tx, merged, replace(current, active=active, updated_at=tx.now))
        if "metadata" in fields:
            enforce(tx, "earning_rule", values.metadata)
        EarningRuleRepository(tx.conn, tx.project_id).save(values)
        row = _require(tx, campaign["id"], rule_id)
        _emit(tx, campaign, "updated", row)
        return render(row)


def delete(uow: UnitOfWork, project_id: str, ident: str, rule_id: str) -> None:
    """Remove a rule; emits ``campaign.earning_rule.deleted``."""
    with uow.write(project_id) as tx:
        campaign = _programme(tx, ident)
        row = _require(tx, campaign["id"], rule_id)
        EarningRuleRepository(tx.conn, tx.project_id).delete(rule_id)
        _emit(tx, campaign, "deleted", row)


def set_active(
    uow: UnitOfWork, project_id: str, ident: str, rule_id: str, active: bool
) -> dict[str, Any]:
    """Enable or disable a rule; emits ``campaign.earning_rule.enabled|disabled``."""
    with uow.write(project_id) as tx:
        campaign = _programme(tx, ident)
        current = _require(tx, campaign["id"], rule_id)
        changed = replace(current, active=active, updated_at=tx.now)
        EarningRuleRepository(tx.conn, tx.project_id).save(changed)
        row = _require(tx, campaign["id"], rule_id)
        _emit(tx, campaign, "enabled" if active else "disabled", row)
        return render(row)


def _validity(row: EarningRule, zone: str | None) -> Validity:
    return Validity(
        start_date=parse_datetime(row.start_date) if row.start_date else None,
        expiration_date=parse_datetime(row.expiration_date) if row.expiration_date else None,
        day_of_week=tuple(row.validity_day_of_week) if row.validity_day_of_week else None,
        timeframe=row.validity_timeframe,
        hours=row.validity_hours,
        zone=zone,
    )


def _programme_open(tx: Tx, campaign: dict[str, Any] | None) -> bool:
    if campaign is None or not campaign["active"]:
        return False
    attrs = campaign["attrs"]
    start, end = attrs.get("start_date"), attrs.get("expiration_date")
    if start and tx.now < parse_datetime(start):
        return False
    return not (end and tx.now > parse_datetime(end))


def _card_for(
    tx: Tx, campaign: dict[str, Any], customer: dict[str, Any]
) -> tuple[dict[str, Any] | None, bool]:
    """The customer's card in the programme (enrolled when ``auto_join``), and whether it
    was locked and read in one statement (then ``apply_points`` uses it as it is)."""
    card = programmes.card_of(tx, campaign["id"], customer["id"], lock=True)
    if card is None and campaign["attrs"].get("auto_join"):
        return programmes.enrol(tx, campaign, customer), False
    return card, card is not None


def fire(
    tx: Tx,
    rules: list[EarningRule],
    customer: dict[str, Any],
    facts: dict[str, Any],
    refs: dict[str, Any],
) -> int:
    """Accrue points for each rule that is valid now; how many rules gave points."""
    if any(points_math.has_points_formula(rule.loyalty) for rule in rules):
        facts = {**facts, "env": formula_context.order_env(tx, customer, facts.get("order"))}
    facts = {**facts, "customer_metadata": (customer.get("attrs") or {}).get("metadata") or {}}
    given = 0
    campaigns = CampaignRepository(tx.conn, tx.project_id)
    for rule in rules:
        campaign = campaigns.get(rule.campaign_id)
        if (
            not _programme_open(tx, campaign)
            or _validity(rule, project_zone.zone_name(tx)).problem(tx.now) is not None
        ):
            continue
        if not rule_checks.met_by(tx, rule.validation_rule_id, customer, facts.get("order")):
            continue
        assert campaign is not None
        card, locked = _card_for(tx, campaign, customer)
        if card is None:
            continue
        if locked:  # no enrolment: the campaign stays as read, the events reuse it
            tx_cache.remember_campaign(tx, campaign)
        given += _accrue(tx, card, rule, facts, {**refs, "locked": locked})
    return given


def _accrue(
    tx: Tx, card: dict[str, Any], rule: EarningRule, facts: dict[str, Any], refs: dict[str, Any]
) -> int:
    """Accrue the rule's points (``refs``: the event's objects and ``locked``, as
    ``apply_points`` takes them); 1 when points were given."""
    level = tiers.current_tier(tx, card)
    mapping = (level["attrs"].get("earning_rules") or {}).get(rule.id) if level else None
    points = points_math.earned_points(rule.loyalty, facts, mapping)
    if points <= 0:
        return 0
    if rule.pending_points and refs.get("order") is not None:
        _hold(tx, card, rule, points, refs, level if mapping else None)
        return 1
    rules = rule.expiration_rules
    loyalty_cards.apply_points(
        tx,
        card,
        points_math.POINTS_ACCRUAL,
        points,
        earning_rule=rule,
        loyalty_tier=level if mapping else None,
        expiration=buckets.Expiry(rules=rules) if rules else None,
        **refs,
    )
    return 1


def _hold(
    tx: Tx,
    card: dict[str, Any],
    rule: EarningRule,
    points: int,
    refs: dict[str, Any],
    level: dict[str, Any] | None,
) -> None:
    """The rule's points wait as pending points (its ``pending_points`` setting)."""
    locked = card if refs.get("locked") else loyalty_cards.lock_card(tx, card["id"])
    pending_points.add(
        tx, locked, rule, points, order=refs["order"], event=refs["event"], loyalty_tier=level
    )


def customer_event(
    tx: Tx, kind: str, customer_id: str, event_id: str | None = None
) -> dict[str, Any]:
    """The customer event behind an accrual (``SimpleEvent``)."""
    return {
        "id": event_id or new_id("event"),
        "type": kind,
        "category": "EFFECT",
        "entity_id": customer_id,
        "created_at": iso(tx.now),
        "group_id": None,
    }


def on_tier_event(tx: Tx, card: dict[str, Any], kind: str, level: dict[str, Any]) -> None:
    """A member changed tier: the rules for ``kind`` naming that tier (in any programme: the
    tier may belong to another, build/create-loyalty-campaign.mdx) or ``__ANY__`` tier of
    the card's programme."""
    rules = [
        rule
        for rule in EarningRuleRepository(tx.conn, tx.project_id).active_for(kind)
        if _names_tier(rule, level, card["campaign_id"])
    ]
    if not rules:
        return
    holder = programmes.holder_of(tx, card)
    if holder is None:
        return
    event = customer_event(tx, kind, holder["id"])
    fire(tx, rules, holder, {}, {"event": event})


def _names_tier(rule: EarningRule, level: dict[str, Any], campaign_id: str) -> bool:
    named = rule.tier_id
    return named == level["id"] or (named == ANY_TIER and rule.campaign_id == campaign_id)


def on_custom_event(
    tx: Tx, row: dict[str, Any], customer: dict[str, Any], rendered: dict[str, Any]
) -> None:
    """A tracked custom event: every programme's rules for its type."""
    rules = EarningRuleRepository(tx.conn, tx.project_id).active_for(row["type"])
    if not rules:
        return
    event = customer_event(tx, "customer.custom_event", customer["id"], row["id"])
    facts = {"event_metadata": row["attrs"].get("metadata") or {}}
    fire(tx, rules, customer, facts, {"event": event, "custom_event": rendered})
