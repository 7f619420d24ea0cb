"""v2 earning rules on custom events and segment entry (ADR 0094).

Reactions to customers' ``CustomEventTracked`` (``bootstrap.reaction_table``) and
``SegmentEntered`` (through ``loyalty.handlers``, which renders the segment), run inside the
transaction that stored the event or moved the customer into the segment. For each active
membership of the customer in an active programme, each active rule of the programme with
that trigger, naming that custom event schema or segment and within its dates, fires: its
``POINTS`` (fixed, or on a number in the custom event's metadata; those whose ``tier_rules``
the member's tiers meet) are added at once to the member's card of each wallet named — a
``POINTS_ACCRUAL`` carrying the custom event or segment, into a bucket expiring as the wallet
says (pending points are held for paid orders only) — and recorded per earning item in
``loyalty_v2_earnings`` (``credits.record``), as order earnings are.
"""

from __future__ import annotations

from typing import Any

from openvoucher.customers import custom_event_schemas, segment_membership
from openvoucher.customers.events import CustomEventTracked
from openvoucher.kernel.clock import parse_datetime
from openvoucher.kernel.unit_of_work import Tx
from openvoucher.loyalty import loyalty_cards
from openvoucher.loyalty.domain import loyalty as points_math
from openvoucher.loyalty.domain import v2_earning_rules, v2_tier_rules
from openvoucher.loyalty.earning_rules import customer_event
from openvoucher.loyalty.repositories.v2 import ObjectRepository
from openvoucher.loyalty.repositories.v2_members import CardRepository, MemberRepository
from openvoucher.loyalty.v2 import credits, member_tiers
from openvoucher.loyalty.v2.credits import Firing


def check_trigger(tx: Tx, attrs: dict[str, Any]) -> None:
    """404 when the rule's trigger names an unknown custom event schema or segment."""
    ident = v2_earning_rules.trigger_ref(attrs)
    if ident is None:
        return
    if attrs["trigger"]["event"] == v2_earning_rules.CUSTOM_EVENT:
        custom_event_schemas.require(tx, ident)
    else:
        segment_membership.require(tx, ident)


def _rules(tx: Tx, program_id: str, event: str, ref: str) -> list[dict[str, Any]]:
    """The programme's active rules for ``event`` naming ``ref``, valid now."""
    return [
        rule
        for rule in ObjectRepository(tx.conn, tx.project_id).assigned(program_id, "earning_rule")
        if rule["attrs"]["trigger"]["event"] == event
        and v2_earning_rules.trigger_ref(rule["attrs"]) == ref
        and v2_earning_rules.in_window(rule["attrs"], tx.now, parse_datetime)
    ]


def _live_program(tx: Tx, program_id: str) -> bool:
    row = ObjectRepository(tx.conn, tx.project_id).of_kind("program", program_id)
    return row is not None and row["status"] == "ACTIVE"


def _fire(
    tx: Tx, customer_id: str, trigger: tuple[str, str], refs: dict[str, Any], facts: dict[str, Any]
) -> None:
    """Fire the customer's members' rules for the ``trigger`` (event, schema or segment id);
    ``refs`` are the custom event or segment the ledger rows carry (a custom event's id names
    the firing), ``facts`` what proportional points are computed on."""
    event, ref = trigger
    memberships = MemberRepository(tx.conn, tx.project_id).of_customer(customer_id)
    found = []
    for member in memberships:
        if member["status"] != "ACTIVE" or not _live_program(tx, member["program_id"]):
            continue
        rules = _rules(tx, member["program_id"], event, ref)
        if rules:
            found.append((member, rules))
    if not found:
        return
    tracked = refs.get("custom_event")
    fired = customer_event(tx, event, customer_id, tracked["id"] if tracked else None)
    for member, rules in found:
        cards = {
            c["card_definition_id"]: c
            for c in CardRepository(tx.conn, tx.project_id).of_member(member["id"])
        }
        limited = any(v2_tier_rules.tier_refs(rule["attrs"]) for rule in rules)
        tiers = frozenset(member_tiers.held_tiers(tx, member["id"]) if limited else ())
        for rule in rules:
            _give(tx, Firing(member, rule, cards, facts, fired, tiers), refs)


def _give(tx: Tx, firing: Firing, refs: dict[str, Any]) -> None:
    """One credit per wallet of the rule's points, recorded per earning item (``firing.order``
    holds the facts, not an order)."""
    per_wallet: dict[str, list[tuple[str, int]]] = {}
    items = v2_earning_rules.earned_items(firing.rule["attrs"], firing.order, firing.tiers)
    for item, wallet, points in items:
        if wallet in firing.cards:
            per_wallet.setdefault(wallet, []).append((item, points))
    for wallet, given in per_wallet.items():
        voucher = loyalty_cards.lock_card(tx, firing.cards[wallet]["voucher_id"])
        total = sum(points for _item, points in given)
        stored = loyalty_cards.apply_points(
            tx,
            voucher,
            points_math.POINTS_ACCRUAL,
            total,
            event=firing.event,
            locked=True,
            **refs,
        )
        for item, points in given:
            credits.record(tx, firing, item, (credits.POINTS, wallet, points, str(stored["id"])))


def on_custom_event(tx: Tx, tracked: CustomEventTracked) -> None:
    """``CustomEventTracked``: the rules naming the event's schema (an event without a schema
    fires none: rules name schemas)."""
    if tracked.schema_id is None:
        return
    refs = {"custom_event": tracked.rendered}
    facts = {v2_earning_rules.METADATA_FACTS: tracked.row["attrs"].get("metadata") or {}}
    trigger = (v2_earning_rules.CUSTOM_EVENT, tracked.schema_id)
    _fire(tx, tracked.customer["id"], trigger, refs, facts)


def on_segment_entered(tx: Tx, customer_id: str, segment: dict[str, Any]) -> None:
    """The customer entered ``segment`` (``SimpleSegment``; ``handlers``' reaction to
    ``SegmentEntered``): the rules naming it."""
    trigger = (v2_earning_rules.SEGMENT_ENTERED, str(segment["id"]))
    _fire(tx, customer_id, trigger, {"segment": segment}, {})
