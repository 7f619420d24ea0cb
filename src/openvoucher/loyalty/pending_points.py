"""Pending loyalty points: accrued points that wait before they reach the card's balance.

An ``order.paid`` earning rule with ``pending_points`` does not add to the balance: it stores
an entry that waits ``period_value`` days (``loyalty.domain.pending_points``). The entry is then
activated — by the activation job (``loyalty.pending_points_activation``) when its day
comes, or by hand — as one ``PENDING_POINTS_ACTIVATION`` transaction through
``loyalty_cards.apply_points`` (a new expiry bucket counted from the activation day), or
canceled, or its points adjusted. The card caches the sum of its PENDING entries in
``attrs.loyalty_pending_points`` (``loyalty_card.pending_points``). Every change emits
``voucher.loyalty_card.pending_points.{added,updated,activated,canceled}`` and, for a held
card, the ``customer.…`` event of the same name.
"""

from __future__ import annotations

from typing import Any

from openvoucher.catalog.presenters.vouchers import simple_voucher
from openvoucher.catalog.repositories.vouchers import VoucherRepository
from openvoucher.checkout.presenters.orders import order as render_order
from openvoucher.checkout.repositories.orders import OrderRepository
from openvoucher.customers.presenters.customers import customer_ref
from openvoucher.gift_cards.presenters.transactions import event_balance, transaction
from openvoucher.kernel.errors import NotFound, VoucherifyError
from openvoucher.kernel.events import Event
from openvoucher.kernel.ids import new_id
from openvoucher.kernel.unit_of_work import Tx, UnitOfWork
from openvoucher.loyalty import buckets, loyalty_cards, loyalty_events
from openvoucher.loyalty import programmes as loyalty
from openvoucher.loyalty.domain import loyalty as points_math
from openvoucher.loyalty.domain import pending_points as rules
from openvoucher.loyalty.model import EarningRule
from openvoucher.loyalty.presenters.loyalty import earning_rule_ref, simple_event, tier_ref
from openvoucher.loyalty.presenters.pending_points import (
    pending_balance,
    pending_entry,
    simple_order,
)
from openvoucher.loyalty.repositories.loyalty_rules import EarningRuleRepository
from openvoucher.loyalty.repositories.pending_points import PendingPointsRepository
from openvoucher.platform import project_zone

CARD_ATTR = "loyalty_pending_points"


def add(
    tx: Tx,
    card: dict[str, Any],
    given: EarningRule | dict[str, Any],
    points: int,
    *,
    order: dict[str, Any],
    event: dict[str, Any],
    loyalty_tier: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """Hold ``points`` the order's rule gave (``order`` rendered, ``event`` the customer
    event) in a new entry of the locked ``card``; emits ``…pending_points.added``."""
    rule = _rule_of(given)
    row = {
        "id": new_id("pending_points"),
        "voucher_id": card["id"],
        "campaign_id": card["campaign_id"],
        "customer_id": card["holder_id"],
        "order_id": order["id"],
        "points": points,
        "status": rules.PENDING,
        "activates_at": rules.activation_moment(
            tx.now, rule.pending_points or {}, project_zone.zone_name(tx)
        ),
        "attrs": {
            "details": _details(tx, card, rule, order, event, loyalty_tier),
            "earning_rule_id": rule.id,
            "expiration_rules": rule.expiration_rules,
        },
        "created_at": tx.now,
        "updated_at": None,
    }
    PendingPointsRepository(tx.conn, tx.project_id).insert(row)
    updated = _store_total(tx, card)
    _emit(tx, "added", updated, row, simple_order(order), change=points, operation="AUTOMATIC")
    return row


def _rule_of(given: EarningRule | dict[str, Any]) -> EarningRule:
    """The rule that gave the points; loyalty v2 names its rule as a row with an id and
    ``attrs`` (``banner``, ``pending_points``) until it passes a record."""
    if isinstance(given, EarningRule):
        return given
    attrs = given["attrs"]
    return EarningRule(
        id=given["id"],
        campaign_id="",
        event="order.paid",
        active=True,
        loyalty={},
        automation_id="",
        banner=attrs.get("banner"),
        pending_points=attrs.get("pending_points"),
        expiration_rules=attrs.get("expiration_rules"),
    )


def _details(
    tx: Tx,
    card: dict[str, Any],
    rule: EarningRule,
    order: dict[str, Any],
    event: dict[str, Any],
    loyalty_tier: dict[str, Any] | None,
) -> dict[str, Any]:
    """How the points were earned (``LoyaltyPendingPointsDetails``)."""
    details: dict[str, Any] = {}
    holder_level = loyalty_events.holder_tier(tx, card)
    if holder_level is not None:
        details["holder_loyalty_tier"] = {"id": holder_level["id"], "name": holder_level["name"]}
    if loyalty_tier is not None:
        details["loyalty_tier"] = tier_ref(loyalty_tier)
    details["event"] = simple_event(event)
    details["earning_rule"] = earning_rule_ref(rule)
    details["order"] = {"id": order["id"], "source_id": order.get("source_id")}
    return details


def _store_total(tx: Tx, card: dict[str, Any]) -> dict[str, Any]:
    """Cache the card's pending total (its PENDING entries); the card as updated."""
    total = PendingPointsRepository(tx.conn, tx.project_id).total_of(card["id"])
    attrs = {**card["attrs"], CARD_ATTR: total}
    updated = VoucherRepository(tx.conn, tx.project_id).update_returning(
        card, {"attrs": attrs, "updated_at": tx.now}
    )
    assert updated is not None
    return updated


def _emit(
    tx: Tx,
    kind: str,
    card: dict[str, Any],
    row: dict[str, Any],
    order: dict[str, Any] | None,
    *,
    change: int,
    operation: str,
    activation: dict[str, Any] | None = None,
) -> None:
    """``voucher.loyalty_card.pending_points.<kind>`` (and the holder's ``customer.…``);
    ``activation`` (``balance`` and ``transaction``) replaces the pending balance."""
    shared = loyalty_events.context(tx, card)
    holder = customer_ref(shared["holder"])
    data: dict[str, Any] = {
        "customer": holder,
        "campaign": shared["campaign"],
        "voucher": simple_voucher(shared["voucher"]),
        "order": order,
        "pending_points": pending_entry(row, project_zone.zone_name(tx)),
    }
    if activation is None:
        total = int(card["attrs"].get(CARD_ATTR, 0))
        data["voucher_pending_points_balance"] = pending_balance(
            card["id"], change, total, operation, int(card["loyalty_balance"] or 0)
        )
    else:
        data.update(activation)
    name = f"voucher.loyalty_card.pending_points.{kind}"
    tx.emit(Event(name, data, entity_id=card["id"]))
    if holder is not None:
        tx.emit(Event(f"customer.{name}", data, entity_id=holder["id"]))


def _order(tx: Tx, row: dict[str, Any]) -> dict[str, Any] | None:
    found = (
        OrderRepository(tx.conn, tx.project_id).get(row["order_id"]) if row["order_id"] else None
    )
    return render_order(found) if found is not None else None


def locked_entry(
    tx: Tx, card: dict[str, Any], entry_id: str
) -> tuple[dict[str, Any], dict[str, Any]]:
    """The card (locked and read afresh) and its PENDING entry ``entry_id`` (locked); 404 when
    the card has no such entry, 400 when it is no longer pending."""
    locked = loyalty_cards.lock_card(tx, card["id"])
    row = PendingPointsRepository(tx.conn, tx.project_id).get_locked(entry_id)
    if row is None or row["voucher_id"] != locked["id"]:
        raise NotFound("pending_points", entry_id)
    if row["status"] != rules.PENDING:
        raise VoucherifyError(
            "Pending points not pending",
            f"Pending points {entry_id} are {row['status'].lower()}: only pending points can "
            "be activated, adjusted or canceled",
            key="pending_points_not_pending",
        )
    return locked, row


def _settle(tx: Tx, row: dict[str, Any], status: str) -> dict[str, Any]:
    changed = {"status": status, "updated_at": tx.now}
    PendingPointsRepository(tx.conn, tx.project_id).update(row["id"], changed)
    return {**row, **changed}


def activate(
    tx: Tx, card: dict[str, Any], row: dict[str, Any], *, operation: str, source: str | None
) -> dict[str, Any]:
    """Move the entry's points into the balance (``card`` and ``row`` locked, see
    ``locked_entry``); emits the transaction's events and ``…pending_points.activated``;
    returns the transaction's balance object."""
    row = _settle(tx, row, rules.ACTIVATED)
    card = _store_total(tx, card)
    order = _order(tx, row)
    rule_id = row["attrs"].get("earning_rule_id")
    rule = EarningRuleRepository(tx.conn, tx.project_id).rule(rule_id) if rule_id else None
    expiration_rules = row["attrs"].get("expiration_rules")
    stored = loyalty_cards.apply_points(
        tx,
        card,
        points_math.PENDING_POINTS_ACTIVATION,
        int(row["points"]),
        order=order,
        event=row["attrs"]["details"].get("event"),
        earning_rule=rule,
        expiration=buckets.Expiry(rules=expiration_rules) if expiration_rules else None,
        source=source,
        pending_points=pending_entry(row, project_zone.zone_name(tx)),
        operation=operation,
        locked=True,
    )
    after = loyalty_cards.lock_card(tx, card["id"])
    activation = {"balance": event_balance(stored["details"]), "transaction": transaction(stored)}
    _emit(
        tx,
        "activated",
        after,
        row,
        simple_order(order),
        change=int(row["points"]),
        operation=operation,
        activation=activation,
    )
    balance: dict[str, Any] = stored["details"]["balance"]
    return balance


def adjust(tx: Tx, card: dict[str, Any], row: dict[str, Any], change: Any) -> dict[str, Any]:
    """Add ``change`` points to the entry (negative subtracts; at least 1 point stays);
    emits ``…pending_points.updated``; returns the pending balance object."""
    points = rules.check_adjustment(int(row["points"]), change)
    changed = {"points": points, "updated_at": tx.now}
    PendingPointsRepository(tx.conn, tx.project_id).update(row["id"], changed)
    row = {**row, **changed}
    card = _store_total(tx, card)
    _emit(
        tx, "updated", card, row, simple_order(_order(tx, row)), change=change, operation="MANUAL"
    )
    return pending_balance(card["id"], change, int(card["attrs"][CARD_ATTR]), "MANUAL")


def cancel(tx: Tx, card: dict[str, Any], row: dict[str, Any]) -> None:
    """Drop the entry's points; emits ``…pending_points.canceled``."""
    row = _settle(tx, row, rules.CANCELED)
    card = _store_total(tx, card)
    order = simple_order(_order(tx, row))
    _emit(tx, "canceled", card, row, order, change=-int(row["points"]), operation="MANUAL")


def list_for_programme(
    uow: UnitOfWork,
    project_id: str,
    ident: str,
    *,
    limit: int,
    newest_first: bool,
    after_id: str | None,
) -> tuple[list[dict[str, Any]], bool]:
    """``GET /v1/loyalties/{id}/pending-points``: the programme's PENDING entries."""
    with uow.read(project_id) as tx:
        campaign = loyalty.require_programme(tx, ident)
        rows, more = PendingPointsRepository(tx.conn, tx.project_id).page(
            campaign_id=campaign["id"], limit=limit, newest_first=newest_first, after_id=after_id
        )
        return _zoned(tx, rows), more


def list_for_member(
    uow: UnitOfWork,
    project_id: str,
    member_id: str,
    ident: str | None,
    *,
    limit: int,
    newest_first: bool,
    after_id: str | None,
) -> tuple[list[dict[str, Any]], bool]:
    """``GET …/members/{memberId}/pending-points``: the card's PENDING entries."""
    with uow.read(project_id) as tx:
        card = loyalty.member(tx, member_id, ident)
        rows, more = PendingPointsRepository(tx.conn, tx.project_id).page(
            voucher_id=card["id"], limit=limit, newest_first=newest_first, after_id=after_id
        )
        return _zoned(tx, rows), more


def _zoned(tx: Tx, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The rows with the project's time zone, for their ``activates_at`` dates."""
    zone = project_zone.zone_name(tx)
    return [{**row, "zone": zone} for row in rows]


def activate_member_entry(
    uow: UnitOfWork, project_id: str, member_id: str, entry_id: str
) -> dict[str, Any]:
    """``POST …/pending-points/{id}/activate``: activate by hand; the balance object."""
    with uow.write(project_id) as tx:
        card, row = locked_entry(tx, loyalty.member(tx, member_id), entry_id)
        return activate(tx, card, row, operation="MANUAL", source=None)


def adjust_member_entry(
    uow: UnitOfWork, project_id: str, member_id: str, entry_id: str, change: Any
) -> dict[str, Any]:
    """``POST …/pending-points/{id}/balance``: add or subtract points; the balance object."""
    with uow.write(project_id) as tx:
        card, row = locked_entry(tx, loyalty.member(tx, member_id), entry_id)
        return adjust(tx, card, row, change)


def cancel_member_entry(uow: UnitOfWork, project_id: str, member_id: str, entry_id: str) -> None:
    """``POST …/pending-points/{id}/cancel``: cancel the entry."""
    with uow.write(project_id) as tx:
        card, row = locked_entry(tx, loyalty.member(tx, member_id), entry_id)
        cancel(tx, card, row)
