"""What an evaluation needs of validation rules: each voucher's or promotion tier's rule sets
(its own and its campaign's), the customer and order they read, and the redemption counts they
compare.

:func:`attach` adds these to the vouchers' facts, :func:`attach_tiers` to the tiers'; the pure
:mod:`openvoucher.catalog.domain.validation_rules` judges them during the evaluation. :func:`met_by`
judges an earning rule's validation rule when the rule is about to give points.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from openvoucher.catalog import product_collections
from openvoucher.catalog.domain import rule_reads
from openvoucher.catalog.domain import validation_rules as domain
from openvoucher.catalog.repositories.validation_rules import (
    AssignmentRepository,
    ValidationRuleRepository,
    redemption_counts,
)
from openvoucher.checkout.domain.redeemables import VoucherFacts
from openvoucher.customers import segment_membership
from openvoucher.kernel.unit_of_work import Tx
from openvoucher.platform import project_zone

if TYPE_CHECKING:
    from openvoucher.checkout.evaluation import Vouchers
    from openvoucher.checkout.promotions import Tiers


def _rule_set(row: dict[str, Any]) -> domain.RuleSet:
    attrs = row["attrs"]
    return domain.RuleSet(
        id=row["id"],
        rules=attrs["rules"],
        error_message=(attrs.get("error") or {}).get("message"),
        applicable_to=attrs.get("applicable_to") or {},
    )


def _sets_by_object(
    tx: Tx, kind: str, rows: dict[str, dict[str, Any]]
) -> dict[str, list[domain.RuleSet]]:
    """Object id → the rule sets assigned to the voucher or tier (``kind``) or to its campaign
    (one query when none)."""
    pairs = {(kind, object_id) for object_id in rows}
    pairs |= {("campaign", r["campaign_id"]) for r in rows.values() if r["campaign_id"]}
    assigned = AssignmentRepository(tx.conn, tx.project_id).of_objects(pairs)
    if not assigned:
        return {}
    found = ValidationRuleRepository(tx.conn, tx.project_id).get_many(
        row["rule_id"] for row in assigned
    )
    by_object: dict[str, list[str]] = {}
    for row in assigned:
        by_object.setdefault(row["related_object_id"], []).append(row["rule_id"])
    sets: dict[str, list[domain.RuleSet]] = {}
    for object_id, row in rows.items():
        ids = by_object.get(object_id, []) + by_object.get(row["campaign_id"] or "", [])
        chosen = [_rule_set(found[rule_id]) for rule_id in dict.fromkeys(ids) if rule_id in found]
        if chosen:
            sets[object_id] = chosen
    return sets


def _customer_view(
    customer: dict[str, Any] | None, spec: dict[str, Any] | None
) -> dict[str, Any] | None:
    """The customer the rules see: stored values, with the request's metadata on top."""
    if customer is None and not spec:
        return None
    spec = spec or {}
    stored = (customer or {}).get("attrs") or {}
    metadata = {**(stored.get("metadata") or {}), **(spec.get("metadata") or {})}
    return {
        "id": (customer or {}).get("id") or spec.get("id"),
        "source_id": (customer or {}).get("source_id") or spec.get("source_id"),
        "metadata": metadata,
    }


def _view(
    tx: Tx,
    customer: dict[str, Any] | None,
    spec: dict[str, Any] | None,
    groups: Iterable[list[domain.RuleSet]],
) -> dict[str, Any] | None:
    """:func:`_customer_view`, with the stored customer's segment ids when a rule reads them
    (a customer not stored is in none)."""
    view = _customer_view(customer, spec)
    if view is not None and any(domain.needs_segments(sets) for sets in groups):
        stored = segment_membership.segments_of(tx, customer["id"]) if customer else []
        view["segments"] = [row.id for row in stored]
    return view


def _counts(
    tx: Tx,
    target: tuple[str, str, str | None],
    customer: dict[str, Any] | None,
    sets: list[domain.RuleSet],
) -> dict[str, int]:
    """The tallies the sets compare, for a voucher or tier (``target``: kind, id and campaign
    id): its own redemptions, and its campaign's for the ``campaign.*`` budget rules."""
    needed = domain.counts_needed(sets)
    if not needed:
        return {}
    windows = rule_reads.count_windows(needed, tx.now, project_zone.zone_name(tx))
    customer_id = customer["id"] if customer else None
    if customer_id is None:
        windows = {name: at for name, at in windows.items() if not domain.per_customer(name)}
    kind, object_id, campaign_id = target
    own = {name: at for name, at in windows.items() if not name.startswith("campaign.")}
    found = redemption_counts(tx.conn, tx.project_id, object_id, customer_id, own, of=kind)
    budget = {name: at for name, at in windows.items() if name.startswith("campaign.")}
    if budget and campaign_id:
        found |= redemption_counts(
            tx.conn, tx.project_id, campaign_id, customer_id, budget, of="campaign"
        )
    return found


def _with_rules(
    facts: VoucherFacts, sets: list[domain.RuleSet], assigned: domain.Assigned
) -> VoucherFacts:
    included, excluded = rule_reads.targets(sets)
    return replace(
        facts,
        rules=assigned,
        applicable_to=(*facts.applicable_to, *included),
        inapplicable_to=(*facts.inapplicable_to, *excluded),
    )


@dataclass(frozen=True)
class Seen:
    """What the rules read of the request: the customer and the order."""

    customer: dict[str, Any] | None
    customer_spec: dict[str, Any] | None
    order: dict[str, Any]


def _attached(
    tx: Tx,
    kind: str,
    rows: dict[str, dict[str, Any]],
    facts: dict[str, VoucherFacts],
    by_request: dict[str, str],
    seen: Seen,
) -> dict[str, VoucherFacts] | None:
    """``facts`` (keyed as requested) with each object's rules; None when no object has any."""
    sets = _sets_by_object(tx, kind, rows)
    if not sets:
        return None
    view = _view(tx, seen.customer, seen.customer_spec, sets.values())
    changed = dict(facts)
    for ident, object_id in by_request.items():
        mine = sets.get(object_id)
        if not mine or ident not in changed:
            continue
        assigned = domain.Assigned(
            sets=tuple(mine),
            customer=view,
            order_metadata=seen.order.get("metadata") or {},
            counts=_counts(tx, (kind, object_id, rows[object_id]["campaign_id"]), view, mine),
        )
        changed[ident] = _with_rules(changed[ident], mine, assigned)
    return changed


def attach(
    tx: Tx,
    vouchers: Vouchers,
    customer: dict[str, Any] | None,
    customer_spec: dict[str, Any] | None,
    order: dict[str, Any],
) -> Vouchers:
    """``vouchers`` with each one's validation rules in its facts (unchanged when none)."""
    seen = Seen(customer, customer_spec, order)
    facts = _attached(tx, "voucher", vouchers.rows, vouchers.facts, vouchers.by_request, seen)
    facts = _with_offer_rules(tx, vouchers.rows, facts or vouchers.facts, seen)
    return vouchers if facts is vouchers.facts else replace(vouchers, facts=facts)


def _with_offer_rules(
    tx: Tx, rows: dict[str, dict[str, Any]], facts: dict[str, VoucherFacts], seen: Seen
) -> dict[str, VoucherFacts]:
    """Loyalty cards' pay-with-points offers with the rules of their reward assignments
    (``validation_rules``) as ``rules``: judged when a card pays with that reward."""
    wanted = {
        rule_id
        for one in facts.values()
        for offer in one.coin_rewards.values()
        for rule_id in offer.get("validation_rules") or ()
    }
    if not wanted:
        return facts
    found = ValidationRuleRepository(tx.conn, tx.project_id).get_many(sorted(wanted))
    every = [_rule_set(row) for row in found.values()]
    view = _view(tx, seen.customer, seen.customer_spec, [every])
    changed = dict(facts)
    for ident, one in facts.items():
        if not one.coin_rewards:
            continue
        target = ("voucher", one.id, rows[one.id]["campaign_id"])
        done: dict[str, Mapping[str, Any]] = {}  # each offer is listed by reward and assignment
        for offer in one.coin_rewards.values():
            if offer["assignment_id"] not in done:
                done[offer["assignment_id"]] = _offer(tx, offer, found, (view, seen, target))
        offers = {key: done[offer["assignment_id"]] for key, offer in one.coin_rewards.items()}
        changed[ident] = replace(one, coin_rewards=offers)
    return changed


def _offer(
    tx: Tx,
    offer: Mapping[str, Any],
    found: dict[str, dict[str, Any]],
    context: tuple[dict[str, Any] | None, Seen, tuple[str, str, str | None]],
) -> Mapping[str, Any]:
    view, seen, target = context
    sets = [_rule_set(found[i]) for i in offer.get("validation_rules") or () if i in found]
    if not sets:
        return offer
    assigned = domain.Assigned(
        sets=tuple(sets),
        customer=view,
        order_metadata=seen.order.get("metadata") or {},
        counts=_counts(tx, target, view, sets),
    )
    return {**offer, "rules": assigned}


def attach_tiers(
    tx: Tx,
    tiers: Tiers,
    customer: dict[str, Any] | None,
    customer_spec: dict[str, Any] | None,
    order: dict[str, Any],
) -> Tiers:
    """``tiers`` with each one's validation rules (its own and its campaign's) in its facts."""
    seen = Seen(customer, customer_spec, order)
    by_request = {tier_id: tier_id for tier_id in tiers.facts}
    facts = _attached(tx, "promotion_tier", tiers.rows, tiers.facts, by_request, seen)
    return tiers if facts is None else replace(tiers, facts=facts)


def _order_figures(tx: Tx, sets: list[domain.RuleSet], order: dict[str, Any]) -> domain.Figures:
    """An order as the rules of an earning rule see it: its own amounts (``order.amount``
    before its discounts, ``order.total_amount`` after them) and items."""
    items = order.get("items") or []
    amount = int(order.get("amount") or 0)
    members = product_collections.members_of(tx, rule_reads.collections(sets), items)
    return domain.Figures(
        initial_amount=int(order.get("initial_amount") or amount),
        amount=amount,
        total_amount=int(order.get("total_amount", amount) or 0),
        items=items,
        members=members,
    )


def met_by(
    tx: Tx, rule_id: str | None, customer: dict[str, Any] | None, order: dict[str, Any] | None
) -> bool:
    """Whether the customer (and the rendered order, when the event has one) meet the
    validation rule ``rule_id`` (an earning rule's ``validation_rule_id``); True without one.

    The same pure judgement as for redeemables; there is no redemption, so the rules that
    tally redemptions (``redemption.count.*``, campaign budgets) see none made before.
    """
    if not rule_id:
        return True
    row = ValidationRuleRepository(tx.conn, tx.project_id).get(rule_id)
    if row is None:
        return True  # a deleted rule binds nothing any more
    sets = [_rule_set(row)]
    assigned = domain.Assigned(
        sets=tuple(sets),
        customer=_view(tx, customer, None, [sets]),
        order_metadata=(order or {}).get("metadata") or {},
    )
    return domain.violation(assigned, _order_figures(tx, sets, order or {})) is None
