"""The loyalty points ledger: every change of a card's points is one appended transaction.

``apply_points`` works inside an open :class:`Tx` (orders, events, transfers, and later
redemptions call it in their own transaction). It appends the transaction, fills or empties
expiry buckets (spending takes the soonest-expiring points first), updates the card's cached
figures and emits the loyalty events — all in the same transaction — then moves the holder
between tiers. The card's ``loyalty_points`` is its lifetime points and ``loyalty_balance``
what is left: points − expired − subtracted − redeemed (the counters live in ``attrs``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from openvoucher.catalog.repositories.campaigns import CampaignRepository
from openvoucher.catalog.repositories.vouchers import VoucherRepository
from openvoucher.gift_cards.repositories.voucher_transactions import (
    VoucherTransactionRepository,
)
from openvoucher.kernel.errors import NotFound, VoucherifyError
from openvoucher.kernel.ids import new_id
from openvoucher.kernel.unit_of_work import Tx
from openvoucher.loyalty import loyalty_events, tiers
from openvoucher.loyalty.buckets import (
    Expiry,
    add_bucket,
    as_buckets,
    expiry_from_request,
    invalid_points,
    refill_buckets,
    take_points,
)
from openvoucher.loyalty.domain import loyalty as points_math
from openvoucher.loyalty.model import EarningRule
from openvoucher.loyalty.presenters.loyalty import earning_rule_ref, loyalty_balance, tier_ref
from openvoucher.loyalty.repositories.loyalty import BucketRepository
from openvoucher.platform import project_zone

MANUAL = {points_math.POINTS_ADDITION, points_math.POINTS_REMOVAL}
AUTOMATIC = {points_math.POINTS_ACCRUAL, points_math.POINTS_EXPIRATION}
COUNTERS = {
    points_math.POINTS_EXPIRATION: "loyalty_expired_points",
    points_math.POINTS_REMOVAL: "loyalty_subtracted_points",
    points_math.POINTS_TRANSFER_OUT: "loyalty_subtracted_points",
    points_math.POINTS_REDEMPTION: "loyalty_redeemed_points",
}
"""Where each kind of deduction is counted; a refund gives redeemed points back."""


def lock_card(tx: Tx, voucher_id: str) -> dict[str, Any]:
    """The card by id, locked for this transaction and read afresh; 400 if not a card."""
    row = VoucherRepository(tx.conn, tx.project_id).get_locked(voucher_id)
    if row is None:
        raise NotFound("voucher", voucher_id)
    if row["type"] != "LOYALTY_CARD":
        raise VoucherifyError(
            "Not a loyalty card",
            f"Voucher {row['code']} is a {row['type']}: only a LOYALTY_CARD has points",
            key="invalid_voucher_type",
        )
    return row


def next_expiration_attr(tx: Tx, voucher_id: str) -> dict[str, Any] | None:
    """``{date, points}`` of the card's next expiring points (None when none expire)."""
    rows = BucketRepository(tx.conn, tx.project_id).dated(voucher_id)
    found = points_math.next_expiration(as_buckets(rows), project_zone.zone_name(tx))
    return {"date": found[0].isoformat(), "points": found[1]} if found else None


def _figures(card: dict[str, Any], kind: str, points: int) -> tuple[int, int, dict[str, Any]]:
    """The card's lifetime points, balance and attrs after the change."""
    lifetime = int(card["loyalty_points"] or 0)
    balance = int(card["loyalty_balance"] or 0) + points_math.SIGNS[kind] * points
    attrs = dict(card["attrs"])
    if kind == points_math.POINTS_REFUND:
        counter = COUNTERS[points_math.POINTS_REDEMPTION]
        attrs[counter] = int(attrs.get(counter, 0)) - points
    elif kind in COUNTERS:
        attrs[COUNTERS[kind]] = int(attrs.get(COUNTERS[kind], 0)) + points
    else:
        lifetime += points
    return lifetime, balance, attrs


def _details(
    card: dict[str, Any],
    kind: str,
    points: int,
    lifetime: int,
    after: int,
    refs: dict[str, Any],
    operation: str | None = None,
) -> dict[str, Any]:
    if operation is None:
        operation = "MANUAL" if kind in MANUAL else ("AUTOMATIC" if kind in AUTOMATIC else None)
    signed = points_math.SIGNS[kind] * points
    details: dict[str, Any] = {
        "balance": loyalty_balance(card["id"], signed, lifetime, after, operation)
    }
    order, event = refs.get("order"), refs.get("event")
    if order is not None:
        details["order"] = {"id": order["id"], "source_id": order.get("source_id")}
    if event is not None:
        details["event"] = {"id": event["id"], "type": event["type"]}
    if refs.get("earning_rule") is not None:
        details["earning_rule"] = earning_rule_ref(refs["earning_rule"])
    if refs.get("loyalty_tier") is not None:
        details["loyalty_tier"] = tier_ref(refs["loyalty_tier"])
    for name in ("redemption", "rollback", "reward"):
        if refs.get(name) is not None:
            details[name] = {"id": refs[name]["id"], **_named(refs[name])}
    if refs.get("custom_event") is not None:
        details["custom_event"] = {
            "id": refs["custom_event"]["id"],
            "type": refs["custom_event"]["type"],
        }
    for name in ("source_voucher", "destination_voucher"):
        if refs.get(name) is not None:
            details[name] = refs[name]
    pending = refs.get("pending_points")
    if pending is not None:
        details["pending_points"] = pending
        if "earning_rule" in pending["details"]:
            details.setdefault("earning_rule", pending["details"]["earning_rule"])
    return details


def _named(ref: dict[str, Any]) -> dict[str, Any]:
    return {"name": ref["name"]} if ref.get("object") == "reward" and "name" in ref else {}


def _source(kind: str, given: str | None) -> str | None:
    if given is not None:
        return given
    if kind in AUTOMATIC:
        return "Automation"
    if kind in {points_math.POINTS_REDEMPTION, points_math.POINTS_REFUND}:
        return None
    return "API"


def apply_points(
    tx: Tx,
    card: dict[str, Any],
    kind: str,
    points: int,
    *,
    source_id: str | None = None,
    reason: str | None = None,
    order: dict[str, Any] | None = None,
    event: dict[str, Any] | None = None,
    earning_rule: EarningRule | None = None,
    loyalty_tier: dict[str, Any] | None = None,
    redemption: dict[str, Any] | None = None,
    rollback: dict[str, Any] | None = None,
    reward: dict[str, Any] | None = None,
    custom_event: dict[str, Any] | None = None,
    segment: dict[str, Any] | None = None,
    source_voucher: dict[str, Any] | None = None,
    destination_voucher: dict[str, Any] | None = None,
    expiration: Expiry | None = None,
    source: str | None = None,
    related_transaction_id: str | None = None,
    refill: list[tuple[str, int]] | None = None,
    locked: bool = False,
    pending_points: dict[str, Any] | None = None,
    operation: str | None = None,
) -> dict[str, Any]:
    """Append one points transaction of ``kind`` (``POINTS_*``) to ``card``; returns it as
    stored. ``points`` is positive, ``kind`` gives the sign; taking more than the balance is
    400 ``not_enough_points`` with nothing written.

    ``earning_rule`` and ``loyalty_tier`` are rows; ``order`` (rendered), ``event``
    (``SimpleEvent``), ``redemption``/``rollback``/``reward``/``custom_event`` (rendered),
    ``segment`` (``SimpleSegment``, the transaction event only) and
    ``source_voucher``/``destination_voucher`` (``SimpleVoucher``) are the objects the events
    carry (their references go into ``details``). ``expiration`` applies to additions
    (default: the programme's rules). ``refill`` (a refund) puts the points back into the
    buckets ``(id, points)`` they were taken from, keeping their expiry; points taken from no
    bucket come back in a never-expiring one. The returned row's ``buckets_taken`` lists
    ``(bucket id, points)`` a deduction took (id ``""``: points held without a bucket).
    ``locked``: ``card`` was locked and read in this transaction (``lock_card``, or
    ``loyalty.card_of(…, lock=True)``) and is used as it is. ``pending_points`` (a rendered
    entry being activated) goes into ``details``; ``operation`` overrides the balance's
    ``operation_type``.
    """
    refs = {
        "order": order,
        "event": event,
        "earning_rule": earning_rule,
        "loyalty_tier": loyalty_tier,
        "redemption": redemption,
        "rollback": rollback,
        "reward": reward,
        "custom_event": custom_event,
        "segment": segment,
        "source_voucher": source_voucher,
        "destination_voucher": destination_voucher,
        "pending_points": pending_points,
    }
    labels = {
        "source_id": source_id,
        "source": _source(kind, source),
        "reason": reason,
        "related_transaction_id": related_transaction_id,
    }
    change = _Change(kind, points, expiration, refill, operation)
    return _record(tx, card, locked, change, refs, labels)


@dataclass(frozen=True, slots=True)
class _Change:
    """What moves: the kind, the points, and how the buckets and the balance take it."""

    kind: str
    points: int
    expiration: Expiry | None
    refill: list[tuple[str, int]] | None
    operation: str | None


def _record(
    tx: Tx,
    card: dict[str, Any],
    locked: bool,
    change: _Change,
    refs: dict[str, Any],
    labels: dict[str, Any],
) -> dict[str, Any]:
    """Check, write the transaction and the card's figures, emit, then react to the change."""
    kind, points = change.kind, change.points
    _check_change(kind, points)
    current = _current(tx, card, locked)
    taken = _move(tx, current, kind, points, change.expiration, change.refill)
    lifetime, after, attrs = _figures(current, kind, points)
    attrs["loyalty_next_expiration"] = next_expiration_attr(tx, current["id"])
    details = _details(current, kind, points, lifetime, after, refs, change.operation)
    stored = _append(tx, current, kind, points, after, labels, details)
    updated = _store_figures(tx, current, lifetime, after, attrs)
    loyalty_events.emit_transaction(tx, updated, stored, refs, taken)
    _after_change(tx, updated, kind)
    stored["buckets_taken"] = _parts(kind, points, taken)
    return stored


def _current(tx: Tx, card: dict[str, Any], locked: bool) -> dict[str, Any]:
    """The card as this transaction holds it: used as given when already locked, else locked now."""
    return card if locked and card["type"] == "LOYALTY_CARD" else lock_card(tx, card["id"])


def _after_change(tx: Tx, card: dict[str, Any], kind: str) -> None:
    """What follows a change: rewards redeemed automatically, then the holder's tier."""
    from openvoucher.loyalty import auto_redeem  # it redeems rewards, which apply points

    updated = auto_redeem.after_points_added(tx, card, kind)
    tiers.refresh(tx, updated)


def _check_change(kind: str, points: int) -> None:
    """A known transaction type and a positive integer of points, or an error."""
    if kind not in points_math.SIGNS:
        raise ValueError(f"unknown loyalty transaction type {kind}")
    if isinstance(points, bool) or not isinstance(points, int) or points <= 0:
        raise invalid_points("points must be a positive integer")


def _append(
    tx: Tx,
    card: dict[str, Any],
    kind: str,
    points: int,
    after: int,
    labels: dict[str, Any],
    details: dict[str, Any],
) -> dict[str, Any]:
    """Append the transaction to the ledger; returns it as stored (``labels``: source_id,
    source, reason and related_transaction_id)."""
    return VoucherTransactionRepository(tx.conn, tx.project_id).insert(
        {
            "id": new_id("loyalty_transaction"),
            "voucher_id": card["id"],
            "campaign_id": card["campaign_id"],
            "kind": "loyalty",
            "type": kind,
            "amount": points_math.SIGNS[kind] * points,
            "balance_after": after,
            **labels,
            "details": details,
            "created_at": tx.now,
        }
    )


def _store_figures(
    tx: Tx, card: dict[str, Any], lifetime: int, after: int, attrs: dict[str, Any]
) -> dict[str, Any]:
    """Cache the card's new lifetime points, balance and counters; the card as updated
    (``UPDATE … RETURNING``, the joined campaign columns kept from ``card``)."""
    values = {"loyalty_points": lifetime, "loyalty_balance": after, "attrs": attrs}
    repo = VoucherRepository(tx.conn, tx.project_id)
    updated = repo.update_returning(card, {**values, "updated_at": tx.now})
    assert updated is not None
    return updated


def _move(
    tx: Tx,
    card: dict[str, Any],
    kind: str,
    points: int,
    expiration: Expiry | None,
    refill: list[tuple[str, int]] | None,
) -> list[dict[str, Any]]:
    """Fill a bucket (or refill the given ones), or take from the buckets; what was taken."""
    if points_math.SIGNS[kind] < 0:
        return take_points(tx, card, kind, points)
    if refill:
        refill_buckets(tx, card, points, refill)
    else:
        add_bucket(tx, card, points, expiration or Expiry())
    return []


def _parts(kind: str, points: int, taken: list[dict[str, Any]]) -> list[tuple[str, int]]:
    """``(bucket id, points)`` a deduction took; id ``""`` for points held without a bucket."""
    parts = [(str(b["id"]), int(b["points"])) for b in taken]
    untracked = points - sum(part for _, part in parts)
    if points_math.SIGNS[kind] < 0 and untracked > 0:
        parts.append(("", untracked))
    return parts


def require_holder(card: dict[str, Any]) -> None:
    """400 when the card is not assigned to a customer."""
    if card["holder_id"] is None:
        raise VoucherifyError(
            "Loyalty card has no holder",
            f"Loyalty card {card['code']} is not assigned to a customer; add a member first",
            key="missing_customer",
        )


def change_balance(
    tx: Tx,
    voucher: dict[str, Any],
    points: Any,
    *,
    source_id: str | None,
    reason: str | None,
    expiration_type: str | None = None,
    expiration_date: str | None = None,
) -> dict[str, Any]:
    """A manual adjustment of a held card: ``points`` > 0 adds (POINTS_ADDITION), < 0 removes
    (POINTS_REMOVAL); returns the balance response body."""
    if isinstance(points, bool) or not isinstance(points, int) or points == 0:
        raise invalid_points("points must be a non-zero integer: positive adds, negative removes")
    card = lock_card(tx, voucher["id"])
    require_holder(card)
    if points > 0:
        expiry = expiry_from_request(tx, expiration_type, expiration_date)
        kind = points_math.POINTS_ADDITION
    else:
        expiry, kind = None, points_math.POINTS_REMOVAL
    stored = apply_points(
        tx, card, kind, abs(points), source_id=source_id, reason=reason, expiration=expiry
    )
    body: dict[str, Any] = dict(stored["details"]["balance"])
    body.setdefault("operation_type", "MANUAL")
    return body


def campaign_of(tx: Tx, card: dict[str, Any]) -> dict[str, Any] | None:
    """The card's campaign row."""
    if card["campaign_id"] is None:
        return None
    return CampaignRepository(tx.conn, tx.project_id).get(card["campaign_id"])
