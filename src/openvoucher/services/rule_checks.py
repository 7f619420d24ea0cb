"""What an evaluation needs of validation rules: each voucher's rule sets (its own and its
campaign's), the customer and order they read, and the redemption counts they compare.

:func:`attach` adds these to the vouchers' facts; the pure
:mod:`openvoucher.domain.validation_rules` judges them during the evaluation.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING, Any

from openvoucher.adapters.db.repositories.validation_rules import (
    AssignmentRepository,
    ValidationRuleRepository,
    redemption_counts,
)
from openvoucher.domain import validation_rules as domain
from openvoucher.domain.redeemables import VoucherFacts
from openvoucher.services import segment_membership
from openvoucher.services.unit_of_work import Tx

if TYPE_CHECKING:
    from openvoucher.services.evaluation import Vouchers


def _rule_set(row: dict[str, Any]) -> domain.RuleSet:
    attrs = row["attrs"]
    return domain.RuleSet(
        id=row["id"],
        rules=attrs["rules"],
        error_message=(attrs.get("error") or {}).get("message"),
        applicable_to=attrs.get("applicable_to") or {},
    )


def _sets_by_voucher(tx: Tx, rows: dict[str, dict[str, Any]]) -> dict[str, list[domain.RuleSet]]:
    """Voucher id → the rule sets assigned to it or to its campaign (one query when none)."""
    pairs = {("voucher", voucher_id) for voucher_id in rows}
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
    for voucher_id, row in rows.items():
        ids = by_object.get(voucher_id, []) + by_object.get(row["campaign_id"] or "", [])
        chosen = [_rule_set(found[rule_id]) for rule_id in dict.fromkeys(ids) if rule_id in found]
        if chosen:
            sets[voucher_id] = chosen
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


def _segments(tx: Tx, customer: dict[str, Any] | None) -> list[str]:
    """The ids of the stored customer's segments now (a customer not stored is in none)."""
    if customer is None:
        return []
    return [row["id"] for row in segment_membership.segments_of(tx, customer["id"])]


def _counts(
    tx: Tx, voucher_id: str, customer: dict[str, Any] | None, sets: list[domain.RuleSet]
) -> dict[str, int]:
    needed = domain.counts_needed(sets)
    if not needed:
        return {}
    windows = domain.count_windows(needed, tx.now)
    customer_id = customer["id"] if customer else None
    if customer_id is None:
        windows = {name: start for name, start in windows.items() if "per_customer" not in name}
    return redemption_counts(tx.conn, tx.project_id, voucher_id, customer_id, windows)


def _with_rules(
    facts: VoucherFacts, sets: list[domain.RuleSet], assigned: domain.Assigned
) -> VoucherFacts:
    included, excluded = domain.targets(sets)
    return replace(
        facts,
        rules=assigned,
        applicable_to=(*facts.applicable_to, *included),
        inapplicable_to=(*facts.inapplicable_to, *excluded),
    )


def attach(
    tx: Tx,
    vouchers: Vouchers,
    customer: dict[str, Any] | None,
    customer_spec: dict[str, Any] | None,
    order: dict[str, Any],
) -> Vouchers:
    """``vouchers`` with each one's validation rules in its facts (unchanged when none)."""
    sets = _sets_by_voucher(tx, vouchers.rows)
    if not sets:
        return vouchers
    view = _customer_view(customer, customer_spec)
    if view is not None and any(domain.needs_segments(found) for found in sets.values()):
        view["segments"] = _segments(tx, customer)
    facts = dict(vouchers.facts)
    for ident, voucher_id in vouchers.by_request.items():
        mine = sets.get(voucher_id)
        if not mine or ident not in facts:
            continue
        assigned = domain.Assigned(
            sets=tuple(mine),
            customer=view,
            order_metadata=order.get("metadata") or {},
            counts=_counts(tx, voucher_id, view, mine),
        )
        facts[ident] = _with_rules(facts[ident], mine, assigned)
    return replace(vouchers, facts=facts)
