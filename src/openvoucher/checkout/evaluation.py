"""Reading what an evaluation needs inside a transaction: vouchers, sessions, order, customer.

Validations, redemptions and qualifications build a :class:`Context` here and hand it to the
pure :func:`openvoucher.checkout.domain.stacking.evaluate`.
"""

from __future__ import annotations

import base64
import hashlib
from dataclasses import dataclass, field, replace
from typing import Any

from openvoucher.catalog import product_collections, products
from openvoucher.catalog.domain.validity import Validity
from openvoucher.catalog.repositories.vouchers import VoucherRepository
from openvoucher.checkout import formula_context, promotions, rule_checks, stacking_rules
from openvoucher.checkout.domain import orders as arithmetic
from openvoucher.checkout.domain import units
from openvoucher.checkout.domain.redeemables import (
    Evaluation,
    OrderContext,
    Requested,
    VoucherFacts,
)
from openvoucher.checkout.domain.stacking import evaluate
from openvoucher.checkout.domain.stacking_policy import Category, Policy
from openvoucher.checkout.presenters.orders import order as render_order
from openvoucher.checkout.repositories.orders import OrderRepository
from openvoucher.checkout.repositories.redemptions import VoucherCounters
from openvoucher.checkout.repositories.sessions import SessionRepository
from openvoucher.customers.repositories.customers import CustomerRepository
from openvoucher.kernel.clock import parse_datetime
from openvoucher.kernel.errors import InvalidPayload, NotFound
from openvoucher.kernel.unit_of_work import Tx
from openvoucher.platform import project_zone
from openvoucher.referrals.domain import referrals as referral_rules

VALIDITY = ("validity_timeframe", "validity_day_of_week", "validity_hours")


def requests_of(body: dict[str, Any]) -> list[Requested]:
    """The ``redeemables`` of a request; the same redeemable twice is a 400."""
    found: list[Requested] = []
    for entry in body.get("redeemables") or []:
        gift = entry.get("gift") or {}
        found.append(
            Requested(
                object=entry.get("object", "voucher"),
                id=entry["id"],
                credits=gift.get("credits"),
                reward=entry.get("reward"),
            )
        )
    keys = [(r.object, r.id) for r in found]
    if len(set(keys)) != len(keys):
        raise InvalidPayload("Invalid payload", "Each redeemable may be listed only once")
    if not found:
        raise InvalidPayload("Invalid payload", "redeemables must list at least one redeemable")
    return found


def _inherited(attrs: dict[str, Any], campaign_attrs: dict[str, Any], key: str) -> Any:
    return attrs[key] if key in attrs else campaign_attrs.get(key)


def _date(raw: Any) -> Any:
    return parse_datetime(raw) if isinstance(raw, str) else raw


def _discount(row: dict[str, Any], campaign_attrs: dict[str, Any]) -> dict[str, Any] | None:
    if row["type"] != "DISCOUNT_VOUCHER":
        return None
    template = campaign_attrs.get("voucher") or {}
    found: dict[str, Any] | None = row["attrs"].get("discount") or template.get("discount")
    return found


def _in_own_window(row: dict[str, Any], campaign_attrs: dict[str, Any]) -> bool:
    """A published code of a campaign with ``activity_duration_after_publishing``: its own
    expiration date (set when first published) overrides the campaign's."""
    published = bool(row.get("publish_count"))
    return published and bool(campaign_attrs.get("activity_duration_after_publishing"))


Validities = dict[tuple[Any, ...], Validity]
"""Validity settings built in one read, by what they hold (frozen: rows with the same share)."""


def facts_of(
    row: dict[str, Any],
    campaign_active: bool,
    held: tuple[int, int],
    zone: str | None,
    memo: Validities,
) -> VoucherFacts:
    """What the evaluation knows of a voucher row; ``held`` = (uses, credits) others hold;
    ``zone``: the project's time zone, where weekdays and hours are judged."""
    attrs = row["attrs"]
    campaign_attrs = row.get("campaign_attrs") or {}
    return VoucherFacts(
        id=row["id"],
        code=row["code"],
        type=row["type"],
        active=bool(row["active"]),
        validity=_own_validity(row, campaign_attrs, zone, memo),
        campaign_active=campaign_active,
        campaign_validity=_campaign_validity(row, campaign_attrs, memo),
        quantity=row["redemption_quantity"],
        used_quantity=int(row["redeemed_quantity"]) + held[0],
        discount=_discount(row, campaign_attrs),
        gift_balance=max(int(row["gift_balance"] or 0) - held[1], 0),
        applicable_to=tuple(_inherited(attrs, campaign_attrs, "applicable_to") or ()),
        inapplicable_to=tuple(_inherited(attrs, campaign_attrs, "inapplicable_to") or ()),
        categories=_own_category(row),
    )


def _own_validity(
    row: dict[str, Any], campaign_attrs: dict[str, Any], zone: str | None, memo: Validities
) -> Validity:
    """The voucher's own window (dates; weekdays, timeframe and hours, else its campaign's)."""
    timeframe, days, hours = (_inherited(row["attrs"], campaign_attrs, key) for key in VALIDITY)
    start, end = row["start_date"], row["expiration_date"]
    if days or timeframe is not None or hours is not None:
        return Validity(start, end, tuple(days) if days else None, timeframe, hours, zone)
    if (found := memo.get(key := ("own", start, end, zone))) is None:
        found = memo[key] = Validity(start, end, zone=zone)
    return found


def _campaign_validity(
    row: dict[str, Any], campaign_attrs: dict[str, Any], memo: Validities
) -> Validity | None:
    """The campaign's window (None for a standalone voucher; see ``_in_own_window``)."""
    if row["campaign_id"] is None:
        return None
    own_window = _in_own_window(row, campaign_attrs)
    if (found := memo.get(key := ("campaign", row["campaign_id"], own_window))) is None:
        end = None if own_window else _date(campaign_attrs.get("expiration_date"))
        found = memo[key] = Validity(_date(campaign_attrs.get("start_date")), end)
    return found


def _own_category(row: dict[str, Any]) -> tuple[Category, ...]:
    """The voucher's own category, joined into its row (a campaign's is added later)."""
    if row.get("category_id") is None or row.get("category_hierarchy") is None:
        return ()
    return (Category(str(row["category_id"]), int(row["category_hierarchy"])),)


@dataclass
class Vouchers:
    """The requested vouchers: rows by id, and facts by the requested id (code or id)."""

    rows: dict[str, dict[str, Any]]
    facts: dict[str, VoucherFacts]
    by_request: dict[str, str]


def load_vouchers(
    tx: Tx, requests: list[Requested], *, session_key: str | None, lock: bool = False
) -> Vouchers:
    """Read the requested vouchers; with ``lock``, locked for the transaction.

    One voucher is locked and read in one statement; a stack is read, then locked in id order
    (no deadlocks between overlapping stacks) and read again in one statement. Either way the
    rows are as the last writer left them and can be trusted for the rest of the transaction.
    """
    repo = VoucherRepository(tx.conn, tx.project_id)
    wanted = [request.id for request in requests if request.object == "voucher"]
    at_once = lock and len(wanted) == 1
    by_request: dict[str, str] = {}
    rows: dict[str, dict[str, Any]] = {}
    if len(wanted) == 1:
        single = repo.get_by_code_or_id(wanted[0], lock=at_once)
        found = {wanted[0]: single} if single is not None else {}
    else:
        found = repo.many_by_code_or_id(wanted)
    for ident, row in found.items():
        by_request[ident] = row["id"]
        rows[row["id"]] = row
    if lock and not at_once and rows:
        rows = repo.relock(rows)
    return vouchers_with_facts(tx, rows, by_request, session_key)


def _campaigns_active(tx: Tx, rows: dict[str, dict[str, Any]]) -> dict[str, bool]:
    """``active`` of the rows' campaigns: joined into hot reads, else read here."""
    linked = [row for row in rows.values() if row["campaign_id"] is not None]
    if all(row.get("campaign_active") is not None for row in linked):
        return {row["campaign_id"]: bool(row["campaign_active"]) for row in linked}
    counters = VoucherCounters(tx.conn, tx.project_id)
    return counters.campaigns_active(row["campaign_id"] for row in linked)


def vouchers_with_facts(
    tx: Tx, rows: dict[str, dict[str, Any]], by_request: dict[str, str], session_key: str | None
) -> Vouchers:
    """Facts for already loaded rows (campaign flags and session holds read here)."""
    active = _campaigns_active(tx, rows)
    held = SessionRepository(tx.conn, tx.project_id).held(rows, tx.now, besides=session_key)
    zone, memo = project_zone.zone_name(tx), Validities()
    facts = {
        ident: facts_of(
            rows[voucher_id],
            active.get(rows[voucher_id]["campaign_id"] or "", True),
            held.get(voucher_id, (0, 0)),
            zone,
            memo,
        )
        for ident, voucher_id in by_request.items()
    }
    if any(row["type"] == "LOYALTY_CARD" for row in rows.values()):
        # Paying with points: the cards' balances and their programmes' COIN rewards.
        from openvoucher.loyalty.rewards import with_coin_rewards

        facts = _less_held_points(with_coin_rewards(tx, rows, facts), held)
    return Vouchers(rows=rows, facts=facts, by_request=by_request)


def _less_held_points(
    facts: dict[str, VoucherFacts], held: dict[str, tuple[int, int]]
) -> dict[str, VoucherFacts]:
    """Loyalty cards' balances less the points other LOCK sessions hold."""
    return {
        ident: replace(one, loyalty_balance=max(one.loyalty_balance - held[one.id][1], 0))
        if one.type == "LOYALTY_CARD" and one.id in held
        else one
        for ident, one in facts.items()
    }


def find_customer(tx: Tx, spec: dict[str, Any] | None) -> dict[str, Any] | None:
    """The customer a request names (id, source_id or email), without creating one."""
    if not spec:
        return None
    repo = CustomerRepository(tx.conn, tx.project_id)
    if spec.get("id"):
        found = repo.get(spec["id"])
        if found is None:
            raise NotFound("customer", spec["id"])
        return found
    if spec.get("source_id"):
        return repo.get_by_source_id(spec["source_id"])
    return repo.get_by_email(spec["email"]) if spec.get("email") else None


def existing_order(tx: Tx, spec: dict[str, Any] | None) -> dict[str, Any] | None:
    """The stored order a request refers to by ``id`` (404 when unknown) or ``source_id``."""
    if not spec:
        return None
    repo = OrderRepository(tx.conn, tx.project_id)
    if spec.get("id"):
        found = repo.get(spec["id"])
        if found is None:
            raise NotFound("order", spec["id"])
        return found
    return repo.get_by_source_id(spec["source_id"]) if spec.get("source_id") else None


def order_preview(
    tx: Tx, spec: dict[str, Any] | None, customer: dict[str, Any] | None
) -> tuple[dict[str, Any], OrderContext]:
    """The order as it would be (stored one merged with the request), rendered, and its context."""
    spec = spec or {}
    current = existing_order(tx, spec)
    attrs: dict[str, Any] = dict(current["attrs"]) if current else {"discount_amount": 0}
    if spec.get("items") is not None:
        attrs["items"] = [arithmetic.compute_item(item) for item in spec["items"]]
    items: list[dict[str, Any]] = attrs.get("items") or []
    given = spec.get("amount")
    if given is None and spec.get("items") is None and current is not None:
        given = current["amount"]
    amount = arithmetic.order_amount(given, items)
    if spec.get("discount_amount") is not None:
        attrs["discount_amount"] = spec["discount_amount"]
    if spec.get("metadata") is not None:
        attrs["metadata"] = spec["metadata"]
    row = {
        "id": current["id"] if current else spec.get("id"),
        "source_id": current["source_id"] if current else spec.get("source_id"),
        "status": spec.get("status") or (current["status"] if current else "CREATED"),
        "amount": amount,
        "customer_id": customer["id"] if customer else (current or {}).get("customer_id"),
        "referrer_id": (current or {}).get("referrer_id"),
        "attrs": {**attrs, "applied_discount_amount": 0},
        "created_at": current["created_at"] if current else None,
        "updated_at": current["updated_at"] if current else None,
    }
    prior = int(attrs.get("discount_amount") or 0)
    return render_order(row), OrderContext(amount=amount, items=items, prior_discount=prior)


def prepared(
    tx: Tx, facts: dict[str, VoucherFacts], context: OrderContext
) -> tuple[dict[str, VoucherFacts], OrderContext]:
    """What the catalogue adds: the products and SKUs UNIT discounts name, and the order's
    items in the product collections the vouchers' ``applicable_to``/``inapplicable_to`` name."""
    wanted = set().union(*(units.unit_types(one.discount) for one in facts.values()))
    if wanted:
        context = replace(context, catalog=products.unit_catalog(tx, wanted))
    return product_collections.with_members(tx, facts, context.items), context


def tracking_id(body: dict[str, Any], customer: dict[str, Any] | None) -> str | None:
    """The request's ``tracking_id``, else one derived from the customer (a hashed source id)."""
    if body.get("tracking_id"):
        return str(body["tracking_id"])
    named = customer or body.get("customer") or {}
    source = named.get("source_id") or named.get("id")
    if not source:
        return None
    seed = str(source).encode()
    digest = base64.b64encode(hashlib.sha256(seed).digest()[:18]).decode()
    return "track_" + digest


@dataclass
class Context:
    """Everything one evaluation read, and its result."""

    requests: list[Requested]
    vouchers: Vouchers
    customer: dict[str, Any] | None
    order: dict[str, Any]
    evaluation: Evaluation
    tiers: dict[str, dict[str, Any]] = field(default_factory=dict)
    """The requested promotion tiers' rows, by id."""
    rules: dict[str, Any] = field(default_factory=dict)
    """The stacking rules the evaluation ran under (``stacking_rules.get_effective``)."""
    inputs: Inputs | None = None
    """What the pure evaluation ran on (lock-late re-runs it on a card's fresh figures)."""
    locked: bool = True
    """The vouchers were read under their row locks (False: ``checkout.lock_late``)."""


@dataclass(frozen=True)
class Inputs:
    """The arguments of the pure ``evaluate``, but ``requests`` and the time."""

    facts: dict[str, VoucherFacts]
    order: OrderContext
    policy: Policy
    session_key: str | None = None


def run(
    tx: Tx,
    body: dict[str, Any],
    customer: dict[str, Any] | None,
    *,
    lock: bool = False,
) -> Context:
    """Load what ``body`` names and evaluate it at ``tx.now``."""
    rules = stacking_rules.get_effective(tx)
    policy = Policy.of(rules)
    requests = within_limit(promotions.expand_stacks(tx, requests_of(body)), policy)
    session_key = (body.get("session") or {}).get("key")
    vouchers = load_vouchers(tx, requests, session_key=session_key, lock=lock)
    tiers = promotions.load_tiers(tx, requests)
    rendered, context = order_preview(tx, body.get("order"), customer)
    vouchers = rule_checks.attach(tx, vouchers, customer, body.get("customer"), rendered)
    tiers = rule_checks.attach_tiers(tx, tiers, customer, body.get("customer"), rendered)
    holder = (customer or {}).get("id")
    vouchers.facts = referral_rules.mark_referrers(vouchers.facts, vouchers.rows, holder)
    facts, context = prepared(tx, {**vouchers.facts, **tiers.facts}, context)
    known = customer or {"attrs": body.get("customer") or {}}
    rows = {**vouchers.rows, **tiers.rows}
    facts = formula_context.resolve(tx, facts, rows, context, rendered, known, body)
    facts = stacking_rules.with_categories(tx, facts, rows)
    vouchers.facts = {key: facts[key] for key in vouchers.facts}
    evaluation = evaluate(requests, facts, context, tx.now, policy)
    inputs = Inputs(facts, context, policy, session_key)
    return Context(
        requests, vouchers, customer, rendered, evaluation, tiers.rows, rules, inputs, lock
    )


def within_limit(requests: list[Requested], policy: Policy) -> list[Requested]:
    """The requests, when no more than the rules' ``redeemables_limit`` (else a 400)."""
    if len(requests) > policy.redeemables_limit:
        raise InvalidPayload(
            "Invalid payload",
            f"At most {policy.redeemables_limit} redeemables may be sent in one request "
            "(stacking rules: redeemables_limit)",
        )
    return requests


def campaign_names(
    vouchers: Vouchers, tiers: dict[str, dict[str, Any]] | None = None
) -> dict[str, Any]:
    """``voucher or tier id → {id, name}`` of its campaign (for ``campaign_name``)."""
    rows = [*vouchers.rows.values(), *(tiers or {}).values()]
    return {
        row["id"]: {"id": row["campaign_id"], "name": row.get("campaign_name")}
        for row in rows
        if row["campaign_id"] is not None
    }
