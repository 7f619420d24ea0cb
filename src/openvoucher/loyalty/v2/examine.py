"""``POST /v2/loyalties/examine/rewards`` and ``…/examine/earning-rules``: which rewards a
customer's cards can buy now, and what an order would earn them (points per card, and the
benefits the rules would grant).

Reads only. For each active membership of the customer (or the one member named) in an active
programme, each card is matched with the programme's active rewards whose costs spend from the
card's wallet: AVAILABLE when the card holds the points, else UNAVAILABLE
(``insufficient_balance``); a points reward whose target wallet the member holds no card of is
UNAVAILABLE (``no_target_card``).
"""

from __future__ import annotations

from typing import Any

from openvoucher.catalog import vouchers as catalog_vouchers
from openvoucher.customers import customers
from openvoucher.kernel.errors import NotFound
from openvoucher.kernel.unit_of_work import Tx, UnitOfWork
from openvoucher.loyalty.domain import v2_earning_rules, v2_rewards
from openvoucher.loyalty.domain.v2_card_definitions import invalid, not_supported
from openvoucher.loyalty.repositories.v2 import ObjectRepository
from openvoucher.loyalty.repositories.v2_members import CardRepository, MemberRepository
from openvoucher.loyalty.v2 import benefit_grants, member_tiers
from openvoucher.loyalty.v2.credits import Firing
from openvoucher.loyalty.v2.earning import rules_of


def _customer(tx: Tx, named: dict[str, Any]) -> tuple[dict[str, Any], str | None]:
    kind = named.get("type")
    if kind == "member_id":
        member = MemberRepository(tx.conn, tx.project_id).get(str(named.get("member_id") or ""))
        if member is None or member["status"] == "DELETED":
            raise NotFound("member", str(named.get("member_id")))
        found = customers.resolve(tx, {"id": member["customer_id"]}, create=False)
        assert found is not None
        return found, member["id"]
    if kind == "customer_id" and named.get("customer_id"):
        spec = {"id": named["customer_id"]}
    elif kind == "customer_source_id" and named.get("customer_source_id") is not None:
        spec = {"source_id": str(named["customer_source_id"])}
    else:
        raise invalid("customer_identification needs its type's id")
    found = customers.resolve(tx, spec, create=False)
    assert found is not None
    return found, None


def _estimate(reward: dict[str, Any], wallets: dict[str, int]) -> list[tuple[str, dict[str, Any]]]:
    """``(wallet, estimation)`` for each card the reward's costs spend from."""
    found = []
    target = v2_rewards.points_target(reward["attrs"])
    for cost in reward["attrs"]["costs"]:
        spend = cost["spending"][0]
        wallet = spend["card_definition_id"]
        if wallet not in wallets:
            continue
        reasons = []
        if wallets[wallet] < spend["points"]:
            missing = spend["points"] - wallets[wallet]
            details = {
                "required": spend["points"],
                "available": wallets[wallet],
                "missing": missing,
            }
            reasons.append({"reason": "insufficient_balance", "details": details})
        if target is not None and target not in wallets:
            reasons.append({"reason": "no_target_card", "details": {"card_definition_id": target}})
        found.append(
            (
                wallet,
                {
                    "reward": {"id": reward["id"], "object": "reward"},
                    "status": "UNAVAILABLE" if reasons else "AVAILABLE",
                    "cost": {"points": spend["points"], "object": "reward_cost"},
                    "unavailability_reasons": [
                        {**r, "object": "reward_unavailability_reason"} for r in reasons
                    ],
                    "object": "reward_estimation",
                },
            )
        )
    return found


def _active_memberships(
    tx: Tx, customer_id: str, only: str | None
) -> list[tuple[dict[str, Any], dict[str, Any]]]:
    """The customer's ACTIVE members of ACTIVE programmes (just ``only`` when it names one)."""
    found = []
    for member in MemberRepository(tx.conn, tx.project_id).of_customer(customer_id):
        program = ObjectRepository(tx.conn, tx.project_id).of_kind("program", member["program_id"])
        if (only and member["id"] != only) or member["status"] != "ACTIVE":
            continue
        if program is not None and program["status"] == "ACTIVE":
            found.append((member, program))
    return found


def _membership(
    tx: Tx, member: dict[str, Any], program: dict[str, Any], seen: dict[str, Any]
) -> dict[str, Any]:
    cards = CardRepository(tx.conn, tx.project_id).of_member(member["id"])
    vouchers = {c["id"]: catalog_vouchers.find(tx, c["voucher_id"]) or {} for c in cards}
    balances = {
        c["card_definition_id"]: int(vouchers[c["id"]].get("loyalty_balance") or 0) for c in cards
    }
    by_wallet: dict[str, list[dict[str, Any]]] = {c["card_definition_id"]: [] for c in cards}
    for reward in ObjectRepository(tx.conn, tx.project_id).assigned(program["id"], "reward"):
        seen[reward["id"]] = reward
        for wallet, estimation in _estimate(reward, balances):
            by_wallet[wallet].append(estimation)
    return {
        **_references(member, program),
        "cards": [
            {
                "card": {
                    "id": c["id"],
                    "card_definition_id": c["card_definition_id"],
                    "card_type": "INDIVIDUAL",
                    "code": vouchers[c["id"]].get("code"),
                    "object": "card",
                },
                "rewards": by_wallet[c["card_definition_id"]],
                "object": "card_estimation",
            }
            for c in cards
        ],
        "object": "member_rewards_opportunity",
    }


def rewards(uow: UnitOfWork, project_id: str, fields: dict[str, Any]) -> dict[str, Any]:
    """The rewards the customer's cards can (or cannot yet) buy, writing nothing."""
    for name in ("customer", "member"):
        if (fields.get(name) or {}).get("metadata") is not None:
            raise not_supported(f"{name}.metadata", "reward cost rules are not implemented")
    with uow.read(project_id) as tx:
        customer, only = _customer(tx, fields.get("customer_identification") or {})
        seen: dict[str, dict[str, Any]] = {}
        found = []
        for member, program in _active_memberships(tx, customer["id"], only):
            found.append(_membership(tx, member, program, seen))
    return {
        "customer": {
            "id": customer["id"],
            "source_id": customer["source_id"],
            "metadata": customer["attrs"].get("metadata") or {},
            "object": "customer",
        },
        "rewards": [
            {
                "id": r["id"],
                "name": r["name"],
                "type": r["attrs"]["type"],
                "metadata": r["attrs"].get("metadata") or {},
                "object": "reward",
                "purchase_limits": r["attrs"]["purchase_limits"],
            }
            for r in seen.values()
        ],
        "memberships": found,
        "object": "rewards_examine_result",
    }


def _order_facts(raw: dict[str, Any]) -> dict[str, int]:
    """The order an estimation is for: ``amount`` and ``total_amount`` (after discounts)."""
    for name in ("items", "metadata"):
        if raw.get(name) is not None:
            raise not_supported(f"customer_order_paid.order.{name}", "item and metadata earnings")
    try:
        amount = int(float(raw.get("amount") or raw.get("initial_amount") or 0))
        discount = int(float(raw.get("discount_amount") or 0))
    except (TypeError, ValueError):
        raise invalid("customer_order_paid.order amounts must be numbers") from None
    return {"amount": amount, "total_amount": amount - discount}


def _references(member: dict[str, Any], program: dict[str, Any]) -> dict[str, Any]:
    return {
        "member": {
            "id": member["id"],
            "customer_id": member["customer_id"],
            "program_id": member["program_id"],
            "metadata": member["attrs"].get("metadata") or {},
            "object": "member",
        },
        "program": {
            "id": program["id"],
            "name": program["name"],
            "metadata": program["attrs"].get("metadata") or {},
            "object": "program",
        },
    }


def _card_estimations(
    tx: Tx, member: dict[str, Any], rules: list[dict[str, Any]], order: dict[str, int]
) -> list[dict[str, Any]]:
    cards = CardRepository(tx.conn, tx.project_id).of_member(member["id"])
    found = []
    tiers = member_tiers.held_tiers(tx, member["id"])
    for card in cards:
        per_rule: list[dict[str, Any]] = []
        for rule in rules:
            earned = v2_earning_rules.earned(rule["attrs"], order, tiers)
            points = earned.get(card["card_definition_id"])
            if points:
                per_rule.append(
                    {
                        "earning_rule": {"id": rule["id"], "object": "earning_rule"},
                        "points_estimation": points,
                        "object": "earning_rule_estimation",
                    }
                )
        code = (catalog_vouchers.find(tx, card["voucher_id"]) or {}).get("code")
        found.append(
            {
                "card": {
                    "id": card["id"],
                    "card_definition_id": card["card_definition_id"],
                    "card_type": "INDIVIDUAL",
                    "code": code,
                    "object": "card",
                },
                "points_estimation": sum(e["points_estimation"] for e in per_rule),
                "earning_rules": per_rule,
                "object": "card_estimation",
            }
        )
    return found


def _benefit_estimations(
    tx: Tx, member: dict[str, Any], rules: list[dict[str, Any]], order: dict[str, int]
) -> list[dict[str, Any]]:
    """The benefits the rules would grant the member now (their earning's tier rules met;
    active, in stock, worth points on a card the member holds), each with the rules granting
    it."""
    cards = {
        c["card_definition_id"]: c
        for c in CardRepository(tx.conn, tx.project_id).of_member(member["id"])
    }
    objects = ObjectRepository(tx.conn, tx.project_id)
    tiers = member_tiers.held_tiers(tx, member["id"])
    found: dict[str, dict[str, Any]] = {}
    for rule in rules:
        fire = Firing(member, rule, cards, {"id": None, **order}, {}, tiers)
        for _item, benefit_id in v2_earning_rules.granted(rule["attrs"], tiers):
            benefit = objects.of_kind("benefit", benefit_id)
            if benefit is None or benefit_grants.rejection(tx, benefit, benefit_id, fire, False):
                continue
            entry = found.setdefault(
                benefit_id,
                {
                    "benefit": {
                        "id": benefit_id,
                        "name": benefit["name"],
                        "type": benefit["attrs"]["type"],
                        "object": "benefit",
                    },
                    "earning_rules": [],
                    "object": "benefit_estimation",
                },
            )
            estimation = {
                "earning_rule": {"id": rule["id"], "object": "earning_rule"},
                "object": "earning_rule_estimation",
            }
            if estimation not in entry["earning_rules"]:
                entry["earning_rules"].append(estimation)
    return list(found.values())


def earning_rules(uow: UnitOfWork, project_id: str, fields: dict[str, Any]) -> dict[str, Any]:
    """``POST /v2/loyalties/examine/earning-rules``: the points an order would earn each of
    the customer's cards under the active rules of their programmes, writing nothing."""
    trigger = fields.get("trigger") or {}
    event = (
        (trigger.get("specific") or {}).get("event") if trigger.get("type") == "SPECIFIC" else None
    )
    paid = fields.get("customer_order_paid") or {}
    for name in ("customer", "member"):
        if (paid.get(name) or {}).get("metadata") is not None:
            raise not_supported(f"customer_order_paid.{name}.metadata", "earning rule conditions")
    order = _order_facts(paid.get("order") or {})
    with uow.read(project_id) as tx:
        customer, only = _customer(tx, fields.get("customer_identification") or {})
        seen: dict[str, dict[str, Any]] = {}
        found = []
        for member, program in _active_memberships(tx, customer["id"], only):
            rules = rules_of(tx, program["id"]) if event in (None, "customer.order.paid") else []
            seen.update({r["id"]: r for r in rules})
            found.append(
                {
                    **_references(member, program),
                    "cards": _card_estimations(tx, member, rules, order),
                    "benefits": _benefit_estimations(tx, member, rules, order),
                    "object": "member_earnings_opportunity",
                }
            )
    return {
        "event": event,
        "customer": {
            "id": customer["id"],
            "source_id": customer["source_id"],
            "metadata": customer["attrs"].get("metadata") or {},
            "object": "customer",
        },
        "earning_rules": [
            {
                "id": r["id"],
                "name": r["name"],
                "metadata": r["attrs"].get("metadata") or {},
                "object": "earning_rule",
            }
            for r in seen.values()
        ],
        "memberships": found,
        "object": "earnings_examine_result",
    }
