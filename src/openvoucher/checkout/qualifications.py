"""``POST /v1/qualifications``: the vouchers a customer and order could use right now.

Each candidate voucher (the customer's own for CUSTOMER_WALLET, codes held by no one for
AUDIENCE_ONLY, both for ALL) is run through the same evaluation as a validation; only those
that would really validate are returned, newest first, paged by ``limit``/``starting_after``.
"""

from __future__ import annotations

from typing import Any

from openvoucher.catalog import validation_rules
from openvoucher.catalog.repositories.vouchers import VoucherFilter, VoucherRepository
from openvoucher.checkout import (
    evaluation,
    formula_context,
    promotions,
    rule_checks,
    stacking_rules,
)
from openvoucher.checkout.domain.redeemables import OrderContext, Outcome, Requested, VoucherFacts
from openvoucher.checkout.domain.stacking import evaluate
from openvoucher.checkout.domain.stacking_policy import Policy
from openvoucher.checkout.presenters.redemptions import EMPTY_LIST, with_totals
from openvoucher.checkout.repositories.promotions import PromotionTierRepository
from openvoucher.checkout.repositories.redemptions import VoucherCounters
from openvoucher.kernel.clock import iso
from openvoucher.kernel.unit_of_work import Tx, UnitOfWork

SCAN_LIMIT = 1000
"""How many candidate vouchers one qualification looks at, at most."""
DEFAULT_LIMIT = 5
TIER_SCENARIOS = {"ALL", "AUDIENCE_ONLY", "PROMOTION_STACKS"}
"""Scenarios that return promotion tiers too (a customer's wallet holds none)."""


def _candidates(tx: Tx, scenario: str, customer: dict[str, Any] | None) -> list[dict[str, Any]]:
    holder = customer["id"] if customer and scenario != "AUDIENCE_ONLY" else None
    public = scenario != "CUSTOMER_WALLET"
    ids = VoucherCounters(tx.conn, tx.project_id).candidates(
        holder, public=public, limit=SCAN_LIMIT
    )
    if not ids:
        return []
    rows, _ = VoucherRepository(tx.conn, tx.project_id).page(
        VoucherFilter(ids=tuple(ids)), order="-created_at", limit=len(ids), offset=0
    )
    position = {voucher_id: index for index, voucher_id in enumerate(ids)}
    return sorted(rows, key=lambda row: position[row["id"]])


def _entry(row: dict[str, Any], outcome: Outcome, order: dict[str, Any]) -> dict[str, Any]:
    assert outcome.order is not None
    return {
        "id": row.get("code") or row["id"],
        "object": "voucher",
        "created_at": iso(row["created_at"]),
        "result": outcome.result,
        "order": with_totals(order, outcome.order),
        "applicable_to": dict(EMPTY_LIST),
        "inapplicable_to": dict(EMPTY_LIST),
        "metadata": row["attrs"].get("metadata") or {},
        "categories": [],
        "campaign_name": row.get("campaign_name"),
        "campaign_id": row["campaign_id"],
        "validation_rules_assignments": dict(EMPTY_LIST),
    }


def _qualified(tx: Tx, body: dict[str, Any]) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    customer = evaluation.find_customer(tx, body.get("customer"))
    rows = _candidates(tx, body.get("scenario") or "ALL", customer)
    order, context = evaluation.order_preview(tx, body.get("order"), customer)
    loaded = evaluation.vouchers_with_facts(
        tx, {row["id"]: row for row in rows}, {row["id"]: row["id"] for row in rows}, None
    )
    loaded = rule_checks.attach(tx, loaded, customer, body.get("customer"), order)
    facts, context = evaluation.prepared(tx, loaded.facts, context)
    known = customer or {"attrs": body.get("customer") or {}}
    facts = formula_context.resolve(tx, facts, loaded.rows, context, order, known, body)
    policy = Policy.of(stacking_rules.get_effective(tx))
    facts = stacking_rules.with_categories(tx, facts, {row["id"]: row for row in rows})
    found, kept = [], []
    for row in rows:
        request = Requested(object="voucher", id=row["id"])
        result = evaluate([request], facts, context, tx.now, policy)
        if result.valid:
            found.append(_entry(row, result.outcomes[0], order))
            kept.append(row["id"])
    assigned = validation_rules.rendered_assignments(tx, "voucher", kept)
    for entry, voucher_id in zip(found, kept, strict=True):
        entry["validation_rules_assignments"] = assigned[voucher_id]
    if (body.get("scenario") or "ALL") in TIER_SCENARIOS:
        found += _tiers(tx, body, customer, (context, order))
    return found, order


def _tier_facts(
    tx: Tx,
    rows: list[dict[str, Any]],
    body: dict[str, Any],
    customer: dict[str, Any] | None,
    seen: tuple[OrderContext, dict[str, Any]],
) -> tuple[dict[str, VoucherFacts], OrderContext]:
    """The tiers' facts with their validation rules and the collection members they need."""
    facts = {row["id"]: promotions.tier_facts(row) for row in rows}
    tiers = promotions.Tiers({row["id"]: row for row in rows}, facts)
    tiers = rule_checks.attach_tiers(tx, tiers, customer, body.get("customer"), seen[1])
    facts, context = evaluation.prepared(tx, tiers.facts, seen[0])
    known = customer or {"attrs": body.get("customer") or {}}
    tier_rows = {row["id"]: row for row in rows}
    return formula_context.resolve(tx, facts, tier_rows, context, seen[1], known, body), context


def _tiers(
    tx: Tx,
    body: dict[str, Any],
    customer: dict[str, Any] | None,
    seen: tuple[OrderContext, dict[str, Any]],
) -> list[dict[str, Any]]:
    """The promotion tiers usable now that apply to the order, by hierarchy."""
    repo = PromotionTierRepository(tx.conn, tx.project_id)
    rows, _ = repo.page(None, tx.now, order="-created_at", limit=SCAN_LIMIT, offset=0)
    order = seen[1]
    all_facts, context = _tier_facts(tx, rows, body, customer, seen)
    all_facts = stacking_rules.with_categories(tx, all_facts, {row["id"]: row for row in rows})
    policy = Policy.of(stacking_rules.get_effective(tx))
    found = []
    for row in sorted(rows, key=lambda tier: (tier["hierarchy"], tier["created_at"])):
        facts = {row["id"]: all_facts[row["id"]]}
        request = Requested(object="promotion_tier", id=row["id"])
        result = evaluate([request], facts, context, tx.now, policy)
        if result.valid:
            entry = _entry(row, result.outcomes[0], order)
            entry.update(id=row["id"], object="promotion_tier", name=row["name"])
            entry["banner"] = row["attrs"].get("banner")
            found.append(entry)
    assigned = validation_rules.rendered_assignments(tx, "promotion_tier", (e["id"] for e in found))
    for entry in found:
        entry["validation_rules_assignments"] = assigned[entry["id"]]
    return found


def _page(found: list[dict[str, Any]], after: str | None, limit: int) -> tuple[list[Any], bool]:
    if after:
        codes = [entry["id"] for entry in found]
        start = codes.index(after) + 1 if after in codes else len(found)
        found = found[start:]
    return found[:limit], len(found) > limit


def qualify(uow: UnitOfWork, project_id: str, body: dict[str, Any]) -> dict[str, Any]:
    """The qualified vouchers, one page of them, with the order they were checked against."""
    options = body.get("options") or {}
    limit = options.get("limit") or DEFAULT_LIMIT
    with uow.read(project_id) as tx:
        found, order = _qualified(tx, body)
        customer = evaluation.find_customer(tx, body.get("customer"))
        rules = stacking_rules.reported(stacking_rules.get_effective(tx))
    page, more = _page(found, options.get("starting_after"), limit)
    return {
        "redeemables": {
            "object": "list",
            "data_ref": "data",
            "data": page,
            "total": len(page),
            "has_more": more,
            "more_starting_after": page[-1]["id"] if more else None,
        },
        "tracking_id": evaluation.tracking_id(body, customer),
        "order": order,
        "stacking_rules": rules,
    }
