"""``POST /v1/qualifications``: the redeemables a customer and order could use right now.

The ``scenario`` (see :mod:`openvoucher.checkout.domain.qualifying`) picks the candidates — the
customer's own codes, codes held by no one, promotion tiers, promotion stacks — and how they are
judged: as a validation would, on the customer profile only, or by the cart's products.
``options.filters`` narrow the candidates, ``options.sorting_rule`` orders the result (newest
first, or by the discount each gives), paged by ``limit``/``starting_after``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from openvoucher.catalog import validation_rules
from openvoucher.catalog.domain import validation_rules as vrules
from openvoucher.catalog.repositories.campaigns import CampaignRepository
from openvoucher.catalog.repositories.vouchers import VoucherFilter, VoucherRepository
from openvoucher.checkout import (
    evaluation,
    formula_context,
    promotions,
    qualified_campaigns,
    rule_checks,
    stacking_rules,
)
from openvoucher.checkout.domain import items as item_level
from openvoucher.checkout.domain import qualifying
from openvoucher.checkout.domain.order_totals import Totals
from openvoucher.checkout.domain.redeemables import (
    APPLICABLE,
    OrderContext,
    Outcome,
    Requested,
    VoucherFacts,
    check,
)
from openvoucher.checkout.domain.stacking import evaluate
from openvoucher.checkout.domain.stacking_policy import Policy
from openvoucher.checkout.presenters.redemptions import EMPTY_LIST, with_totals
from openvoucher.checkout.repositories.promotions import (
    PromotionStackRepository,
    PromotionTierRepository,
)
from openvoucher.checkout.repositories.redemptions import VoucherCounters
from openvoucher.kernel.clock import iso, parse_datetime
from openvoucher.kernel.errors import InvalidPayload
from openvoucher.kernel.unit_of_work import Tx, UnitOfWork
from openvoucher.platform import project_zone

SCAN_LIMIT = 1000
"""How many candidate vouchers (and tiers, and stacks) one qualification looks at, at most."""
DEFAULT_LIMIT = 5


@dataclass(frozen=True)
class Ask:
    """One qualification request, read once: scenario, filters, customer and order."""

    scenario: qualifying.Scenario
    filters: dict[str, Any]
    body: dict[str, Any]
    customer: dict[str, Any] | None
    order: dict[str, Any]
    context: OrderContext
    rules: dict[str, Any]
    """The project's stacking rules in force (``stacking_rules.get_effective``)."""
    policy: Policy
    """The stacking engine's reading of :attr:`rules`."""


def _candidates(tx: Tx, ask: Ask) -> list[dict[str, Any]]:
    wallet = ask.customer is not None and ask.scenario.wallet
    holder = ask.customer["id"] if wallet and ask.customer else None
    ids = VoucherCounters(tx.conn, tx.project_id).candidates(
        holder, public=ask.scenario.public, limit=SCAN_LIMIT
    )
    if not ids:
        return []
    rows, _ = VoucherRepository(tx.conn, tx.project_id).page(
        VoucherFilter(ids=tuple(ids)), order="-created_at", limit=len(ids), offset=0
    )
    position = {voucher_id: index for index, voucher_id in enumerate(ids)}
    return sorted(rows, key=lambda row: position[row["id"]])


def _campaign_types(tx: Tx, rows: list[dict[str, Any]]) -> dict[str, str]:
    repo = CampaignRepository(tx.conn, tx.project_id)
    found: dict[str, str] = {}
    for campaign_id in {row["campaign_id"] for row in rows if row["campaign_id"]}:
        campaign = repo.get(campaign_id)
        if campaign is not None:
            found[campaign_id] = campaign["campaign_type"]
    return found


def _described(row: dict[str, Any], kind: str, ask: Ask, types: Mapping[str, str]) -> Any:
    """The values ``options.filters`` compare, for a voucher, tier or stack row."""
    owner = ask.customer is not None and row.get("holder_id") == ask.customer["id"]
    if kind == "voucher" and qualified_campaigns.unpublished(row):
        kind = "campaign"
    return {
        "resource_type": kind,
        "resource_id": row["campaign_id"] if kind == "campaign" else row["id"],
        "campaign_id": row.get("campaign_id"),
        "campaign_type": types.get(row["campaign_id"] or "")
        if kind in {"voucher", "campaign"}
        else "PROMOTION",
        "category_id": row.get("category_id"),
        "voucher_type": row.get("type") if kind in {"voucher", "campaign"} else None,
        "code": row.get("code") if kind != "campaign" else None,
        "holder_role": "OWNER" if owner else None,
    }


def _filtered(tx: Tx, rows: list[dict[str, Any]], kind: str, ask: Ask) -> list[dict[str, Any]]:
    if not ask.filters:
        return rows
    types = _campaign_types(tx, rows) if kind == "voucher" else {}
    return [r for r in rows if qualifying.passes(ask.filters, _described(r, kind, ask, types))]


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


def _in_cart(ask: Ask, facts: VoucherFacts, entries: list[Mapping[str, Any]]) -> bool:
    """Whether one of ``entries`` (none: nothing is targeted) names an item of the cart."""
    if not entries:
        return False
    items = ask.context.items
    return bool(item_level.targets(items, entries, (), facts.members).indices())


def _targets_cart(ask: Ask, facts: VoucherFacts, own: tuple[Mapping[str, Any], ...]) -> bool:
    """PRODUCTS: a discount or a rule names an item of the cart; PRODUCTS_DISCOUNT: the
    discount is applicable to one (``own``: the redeemable's own ``applicable_to``)."""
    sets = facts.rules.sets if facts.rules is not None else ()
    entries = qualifying.discount_targets(own, sets)
    if ask.scenario.judge == qualifying.PRODUCTS:
        entries += [*facts.applicable_to, *qualifying.required_items(sets)]
    return _in_cart(ask, facts, entries)


def _profile_fits(tx: Tx, ask: Ask, facts: VoucherFacts, request: Requested) -> bool:
    """Usable now, and (where the scenario judges them) the customer's rules hold."""
    if check(facts, request, tx.now) is not None:
        return False
    assigned = qualifying.customer_rules_only(facts.rules)
    if assigned is None or not ask.scenario.customer_rules:
        return True
    amount = ask.context.amount
    figures = vrules.Figures(amount, amount, amount, list(ask.context.items), facts.members)
    return vrules.violation(assigned, figures) is None


def _judged(
    tx: Tx,
    ask: Ask,
    request: Requested,
    facts: VoucherFacts,
    own: tuple[Any, ...],
    context: OrderContext,
) -> Outcome | None:
    """The outcome to show for a candidate, or None when the scenario leaves it out."""
    judge = ask.scenario.judge
    by_products = judge in {qualifying.PRODUCTS, qualifying.PRODUCTS_DISCOUNT}
    if by_products and not _targets_cart(ask, facts, own):
        return None
    result = evaluate([request], {request.id: facts}, context, tx.now, ask.policy)
    if result.valid:
        return result.outcomes[0]
    if judge == qualifying.FULL or not _profile_fits(tx, ask, facts, request):
        return None
    start = evaluate([], {}, context, tx.now, ask.policy).totals
    shown = {"discount": dict(facts.discount)} if facts.discount else {}
    return Outcome(request, facts, APPLICABLE, result=shown, order=start)


def _vouchers(tx: Tx, ask: Ask) -> list[dict[str, Any]]:
    rows = qualified_campaigns.few_per_campaign(_filtered(tx, _candidates(tx, ask), "voucher", ask))
    loaded = evaluation.vouchers_with_facts(
        tx, {row["id"]: row for row in rows}, {row["id"]: row["id"] for row in rows}, None
    )
    own = {ident: facts.applicable_to for ident, facts in loaded.facts.items()}
    loaded = rule_checks.attach(tx, loaded, ask.customer, ask.body.get("customer"), ask.order)
    facts, context = evaluation.prepared(tx, loaded.facts, ask.context)
    known = ask.customer or {"attrs": ask.body.get("customer") or {}}
    facts = formula_context.resolve(tx, facts, loaded.rows, context, ask.order, known, ask.body)
    facts = stacking_rules.with_categories(tx, facts, {row["id"]: row for row in rows})
    found = []
    for row in rows:
        request = Requested(object="voucher", id=row["id"])
        outcome = _judged(tx, ask, request, facts[row["id"]], own[row["id"]], context)
        if outcome is not None:
            found.append((row, {**_entry(row, outcome, ask.order), "_object_id": row["id"]}))
    return qualified_campaigns.with_assignments(tx, qualified_campaigns.collapse(tx, found))


def _tier_facts(
    tx: Tx, rows: list[dict[str, Any]], ask: Ask
) -> tuple[dict[str, VoucherFacts], OrderContext]:
    """The tiers' facts with their validation rules and the collection members they need."""
    zone = project_zone.zone_name(tx)
    facts = {row["id"]: promotions.tier_facts(row, zone) for row in rows}
    tiers = promotions.Tiers({row["id"]: row for row in rows}, facts)
    tiers = rule_checks.attach_tiers(tx, tiers, ask.customer, ask.body.get("customer"), ask.order)
    prepared, context = evaluation.prepared(tx, tiers.facts, ask.context)
    known = ask.customer or {"attrs": ask.body.get("customer") or {}}
    by_id = {row["id"]: row for row in rows}
    resolved = formula_context.resolve(tx, prepared, by_id, context, ask.order, known, ask.body)
    return stacking_rules.with_categories(tx, resolved, by_id), context


def _tiers(tx: Tx, ask: Ask) -> list[dict[str, Any]]:
    """The promotion tiers the scenario returns, by hierarchy."""
    repo = PromotionTierRepository(tx.conn, tx.project_id)
    rows, _ = repo.page(None, tx.now, order="-created_at", limit=SCAN_LIMIT, offset=0)
    rows = _filtered(tx, rows, "promotion_tier", ask)
    all_facts, context = _tier_facts(tx, rows, ask)
    found = []
    for row in sorted(rows, key=lambda tier: (tier["hierarchy"], tier["created_at"])):
        request = Requested(object="promotion_tier", id=row["id"])
        outcome = _judged(tx, ask, request, all_facts[row["id"]], (), context)
        if outcome is not None:
            entry = _entry(row, outcome, ask.order)
            entry.update(id=row["id"], object="promotion_tier", name=row["name"])
            entry["banner"] = row["attrs"].get("banner")
            found.append(entry)
    assigned = validation_rules.rendered_assignments(tx, "promotion_tier", (e["id"] for e in found))
    for entry in found:
        entry["validation_rules_assignments"] = assigned[entry["id"]]
    return found


def _stacks(tx: Tx, ask: Ask) -> list[dict[str, Any]]:
    """PROMOTION_STACKS: the stacks whose every tier applies to the order, newest first."""
    rows, _ = PromotionStackRepository(tx.conn, tx.project_id).page(
        None, order="-created_at", limit=SCAN_LIMIT, offset=0
    )
    rows = _filtered(tx, rows, "promotion_stack", ask)
    return [entry for row in rows if (entry := _stack_entry(tx, ask, row)) is not None]


def _stack_entry(tx: Tx, ask: Ask, row: dict[str, Any]) -> dict[str, Any] | None:
    ids = list(row["attrs"]["tiers"]["ids"])
    tiers = PromotionTierRepository(tx.conn, tx.project_id).many(ids)
    if len(tiers) != len(ids):
        return None
    facts, context = _tier_facts(tx, list(tiers.values()), ask)
    requests = [Requested(object="promotion_tier", id=tier_id) for tier_id in ids]
    result = evaluate(requests, facts, context, tx.now, ask.policy)
    if not all(outcome.status == APPLICABLE for outcome in result.outcomes):
        return None
    return _stack_body(row, result.totals, ask.order)


def _stack_body(row: dict[str, Any], totals: Totals, order: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": row["id"],
        "object": "promotion_stack",
        "created_at": iso(row["created_at"]),
        "result": {},
        "order": with_totals(order, totals),
        "applicable_to": dict(EMPTY_LIST),
        "inapplicable_to": dict(EMPTY_LIST),
        "metadata": {},
        "categories": [],
        "name": row["name"],
        "campaign_id": row["campaign_id"],
        "validation_rules_assignments": dict(EMPTY_LIST),
    }


def _ask(tx: Tx, body: dict[str, Any]) -> Ask:
    options = body.get("options") or {}
    scenario = qualifying.scenario_of(body.get("scenario"))
    filters = qualifying.check_filters(options.get("filters"))
    customer = evaluation.find_customer(tx, body.get("customer"))
    order, context = evaluation.order_preview(tx, body.get("order"), customer)
    rules = stacking_rules.get_effective(tx)
    return Ask(scenario, filters, body, customer, order, context, rules, Policy.of(rules))


def _qualified(tx: Tx, ask: Ask) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []
    if ask.scenario.wallet or ask.scenario.public:
        found += _vouchers(tx, ask)
    if ask.scenario.tiers:
        found += _tiers(tx, ask)
    if ask.scenario.stacks:
        found += _stacks(tx, ask)
    return found


def _cursor(value: Any) -> datetime | None:
    """``options.starting_after``: a date-time (spec ``QualificationsOption``); ``null`` or the
    string ``"null"`` (as the docs' examples send it) means the first page; else 400."""
    if value is None or value in {"null", ""}:
        return None
    try:
        return parse_datetime(str(value))
    except ValueError:
        raise InvalidPayload(
            "Invalid payload", "options.starting_after must be a date-time"
        ) from None


def _page(
    found: list[dict[str, Any]], after: datetime | None, limit: int
) -> tuple[list[Any], bool]:
    """One page after the cursor ``after``: the ``created_at`` of the previous page's last
    entry (``more_starting_after``). The page starts after the last entry created at that
    instant, or, when none was, at the first entry created before it."""
    if after is not None:
        stamps = [parse_datetime(entry["created_at"]) for entry in found]
        same = [index for index, stamp in enumerate(stamps) if stamp == after]
        older = [index for index, stamp in enumerate(stamps) if stamp < after]
        start = same[-1] + 1 if same else (older[0] if older else len(found))
        found = found[start:]
    return found[:limit], len(found) > limit


def qualify(uow: UnitOfWork, project_id: str, body: dict[str, Any]) -> dict[str, Any]:
    """The qualified redeemables, one page of them, with the order they were checked against."""
    options = body.get("options") or {}
    limit = options.get("limit") or DEFAULT_LIMIT
    sorting = qualifying.sorting_of(options.get("sorting_rule"))
    after = _cursor(options.get("starting_after"))
    with uow.read(project_id) as tx:
        ask = _ask(tx, body)
        found = qualifying.sort_entries(_qualified(tx, ask), sorting)
    page, more = _page(found, after, limit)
    return {
        "redeemables": {
            "object": "list",
            "data_ref": "data",
            "data": page,
            "total": len(page),
            "has_more": more,
            "more_starting_after": page[-1]["created_at"] if more else None,
        },
        "tracking_id": evaluation.tracking_id(body, ask.customer),
        "order": ask.order,
        "stacking_rules": stacking_rules.reported(ask.rules),
    }
