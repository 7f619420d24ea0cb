"""The events a points transaction emits, rendered inside its transaction.

Every transaction: ``voucher.loyalty_card.transaction.created``. Points added (accrual,
addition, transfer in, refund, pending points activation): ``voucher.loyalty_card.points_added``
and, for a held card,
``customer.voucher.loyalty_card.points_added``. An accrual by an earning rule:
``customer.rewarded.loyalty_points``. An expiration: ``voucher.loyalty_card.points_expired``
and ``customer.voucher.loyalty_card.points_expired``.
"""

from __future__ import annotations

from typing import Any

from openvoucher.catalog import tx_cache
from openvoucher.catalog.presenters.vouchers import simple_voucher
from openvoucher.customers.presenters.customers import customer_ref
from openvoucher.customers.repositories.customers import CustomerRepository
from openvoucher.gift_cards.presenters.transactions import points_event_balance, transaction
from openvoucher.kernel.events import Event
from openvoucher.kernel.unit_of_work import Tx
from openvoucher.loyalty.domain import loyalty as points_math
from openvoucher.loyalty.presenters.loyalty import bucket, earning_rule, simple_earning_rule, tier
from openvoucher.loyalty.repositories.loyalty_rules import TierRepository
from openvoucher.platform import project_zone

ADDED = {
    points_math.POINTS_ACCRUAL,
    points_math.POINTS_ADDITION,
    points_math.POINTS_TRANSFER_IN,
    points_math.POINTS_REFUND,
    points_math.PENDING_POINTS_ACTIVATION,
}
REF_NAMES = ("order", "event", "redemption", "rollback", "reward", "custom_event")


def holder_tier(tx: Tx, card: dict[str, Any]) -> dict[str, Any] | None:
    """The holder's current tier in the card's programme, rendered with its membership."""
    membership = card["attrs"].get("loyalty_tier")
    if not membership or card["holder_id"] is None:
        return None
    row = TierRepository(tx.conn, tx.project_id).get(membership["id"])
    if row is None:
        return None
    return tier(row, {**membership, "customer_id": card["holder_id"]})


def context(tx: Tx, card: dict[str, Any]) -> dict[str, Any]:
    """What every loyalty event of ``card`` carries: voucher, campaign, holder (the voucher
    rendered and the campaign read once per transaction, ``kernel.tx_cache``)."""
    holder = None
    if card["holder_id"] is not None:
        holder = CustomerRepository(tx.conn, tx.project_id).get(card["holder_id"])
    data = tx_cache.voucher_event_data(tx, card)
    return {**data, "holder": holder}


def emit_transaction(
    tx: Tx,
    card: dict[str, Any],
    stored: dict[str, Any],
    refs: dict[str, Any],
    taken: list[dict[str, Any]],
    known: dict[str, Any] | None = None,
) -> None:
    """Emit the events of one stored points transaction of ``card`` (read after the change).

    ``known`` (``context`` plus ``holder_loyalty_tier``) spares the reads in bulk work.
    """
    shared = known or context(tx, card)
    holder = customer_ref(shared["holder"])
    body = transaction(stored)
    money = points_event_balance(stored["details"])
    rule, level = refs.get("earning_rule"), refs.get("loyalty_tier")
    data: dict[str, Any] = {
        "transaction": body,
        "voucher": shared["voucher"],
        "campaign": shared["campaign"],
        "holder": holder,
        "holder_loyalty_tier": shared["holder_loyalty_tier"]
        if "holder_loyalty_tier" in shared
        else holder_tier(tx, card),
        "balance": money,
        "earning_rule": simple_earning_rule(rule) if rule is not None else None,
        "segment": refs.get("segment"),
        "loyalty_tier": tier(level) if level is not None else None,
        "source_voucher": refs.get("source_voucher"),
        "destination_voucher": refs.get("destination_voucher"),
        **{name: refs.get(name) for name in REF_NAMES},
    }
    tx.emit(Event("voucher.loyalty_card.transaction.created", data, entity_id=card["id"]))
    kind = stored["type"]
    if kind in ADDED:
        _points_added(tx, card, shared, holder, money, body)
    if kind == points_math.POINTS_ACCRUAL and rule is not None and holder is not None:
        _rewarded(tx, shared, holder, money, refs, data["holder_loyalty_tier"])
    if kind == points_math.POINTS_EXPIRATION:
        zone = project_zone.zone_name(tx)
        expired = [bucket(row, zone) for row in taken]
        _points_expired(tx, card, shared, holder, body, expired)


def _points_added(
    tx: Tx,
    card: dict[str, Any],
    shared: dict[str, Any],
    holder: dict[str, Any] | None,
    money: dict[str, Any],
    body: dict[str, Any],
) -> None:
    common = {"voucher": shared["voucher"], "campaign": shared["campaign"], "balance": money}
    data = {**common, "customer": holder, "transaction": body}
    tx.emit(Event("voucher.loyalty_card.points_added", data, entity_id=card["id"]))
    if holder is not None:
        trigger = {**data, "voucher": simple_voucher(shared["voucher"])}
        tx.emit(
            Event("customer.voucher.loyalty_card.points_added", trigger, entity_id=holder["id"])
        )


def _rewarded(
    tx: Tx,
    shared: dict[str, Any],
    holder: dict[str, Any],
    money: dict[str, Any],
    refs: dict[str, Any],
    level: dict[str, Any] | None,
) -> None:
    data = {
        "customer": holder,
        "holder": holder,
        "voucher": simple_voucher(shared["voucher"]),
        "campaign": shared["campaign"],
        "loyalty_tier": level,
        "earning_rule": earning_rule(refs["earning_rule"]),
        "balance": money,
        "order": refs.get("order"),
        "event": refs.get("event"),
    }
    tx.emit(Event("customer.rewarded.loyalty_points", data, entity_id=holder["id"]))


def _points_expired(
    tx: Tx,
    card: dict[str, Any],
    shared: dict[str, Any],
    holder: dict[str, Any] | None,
    body: dict[str, Any],
    expired: list[dict[str, Any]],
) -> None:
    points = -int(body["details"]["balance"]["points"])
    data = {
        "voucher": shared["voucher"],
        "points": points,
        "campaign": shared["campaign"],
        "customer": holder,
        "buckets": expired,
        "transaction": body,
    }
    # The voucher event's schema carries one bucket: one event per expired bucket.
    for one in expired:
        single = {**data, "points": one["bucket"]["total_points"], "buckets": one}
        tx.emit(Event("voucher.loyalty_card.points_expired", single, entity_id=card["id"]))
    if holder is not None:
        trigger = {**data, "voucher": simple_voucher(shared["voucher"])}
        tx.emit(
            Event("customer.voucher.loyalty_card.points_expired", trigger, entity_id=holder["id"])
        )
