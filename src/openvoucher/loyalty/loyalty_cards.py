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
from datetime import date
from typing import Any

from openvoucher.catalog.repositories.campaigns import CampaignRepository
from openvoucher.catalog.repositories.vouchers import VoucherRepository
from openvoucher.gift_cards.repositories.voucher_transactions import (
    VoucherTransactionRepository,
)
from openvoucher.kernel.clock import parse_datetime
from openvoucher.kernel.errors import InvalidPayload, NotFound, VoucherifyError
from openvoucher.kernel.ids import new_id
from openvoucher.kernel.unit_of_work import Tx
from openvoucher.loyalty import loyalty_events, tiers
from openvoucher.loyalty.domain import loyalty as points_math
from openvoucher.loyalty.domain.loyalty import Bucket
from openvoucher.loyalty.presenters.loyalty import earning_rule_ref, loyalty_balance, tier_ref
from openvoucher.loyalty.repositories.loyalty import EXPIRED, USED, BucketRepository

MANUAL = {points_math.POINTS_ADDITION, points_math.POINTS_REMOVAL}
AUTOMATIC = {points_math.POINTS_ACCRUAL, points_math.POINTS_EXPIRATION}
COUNTERS = {
    points_math.POINTS_EXPIRATION: "loyalty_expired_points",
    points_math.POINTS_REMOVAL: "loyalty_subtracted_points",
    points_math.POINTS_TRANSFER_OUT: "loyalty_subtracted_points",
    points_math.POINTS_REDEMPTION: "loyalty_redeemed_points",
}
"""Where each kind of deduction is counted; a refund gives redeemed points back."""

EXPIRATION_TYPES = ("PROGRAM_RULES", "NON_EXPIRING", "CUSTOM_DATE")


@dataclass(frozen=True)
class Expiry:
    """When added points expire: the programme's rules (or ``rules`` of an earning rule),
    never, or on a custom last day."""

    kind: str = "PROGRAM_RULES"
    last_day: date | None = None
    rules: dict[str, Any] | None = None


def _invalid(details: str) -> InvalidPayload:
    return InvalidPayload("Invalid payload", details)


def expiry_from_request(tx: Tx, kind: str | None, when: str | None) -> Expiry:
    """An :class:`Expiry` from a request's ``expiration_type`` / ``expiration_date``."""
    chosen = kind or ("CUSTOM_DATE" if when else "PROGRAM_RULES")
    if chosen not in EXPIRATION_TYPES:
        raise _invalid(f"expiration_type must be one of: {', '.join(EXPIRATION_TYPES)}")
    if chosen != "CUSTOM_DATE":
        return Expiry(chosen)
    if not when:
        raise _invalid("expiration_date is required with expiration_type CUSTOM_DATE")
    try:
        day = parse_datetime(when).date()
    except ValueError:
        raise _invalid("expiration_date must be a date (YYYY-MM-DD)") from None
    if day < tx.now.date():
        raise _invalid("expiration_date must not be in the past")
    return Expiry("CUSTOM_DATE", day)


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


def _buckets(rows: list[dict[str, Any]]) -> list[Bucket]:
    return [Bucket(r["id"], int(r["points"]), r["expires_at"], int(r["seq"])) for r in rows]


def programme_rules(card: dict[str, Any]) -> dict[str, Any] | None:
    """The expiration rules of the card's programme (its campaign's loyalty card template)."""
    template = (card.get("campaign_attrs") or {}).get("voucher") or {}
    rules: dict[str, Any] | None = (template.get("loyalty_card") or {}).get("expiration_rules")
    return rules


def _last_day(tx: Tx, card: dict[str, Any], expiry: Expiry) -> date | None:
    if expiry.kind == "NON_EXPIRING":
        return None
    if expiry.kind == "CUSTOM_DATE":
        return expiry.last_day
    return points_math.expiration_date(tx.now.date(), expiry.rules or programme_rules(card))


def _add_bucket(tx: Tx, card: dict[str, Any], points: int, expiry: Expiry) -> dict[str, Any]:
    day = _last_day(tx, card, expiry)
    row = {
        "id": new_id("points_bucket"),
        "voucher_id": card["id"],
        "campaign_id": card["campaign_id"],
        "total_points": points,
        "points": points,
        "status": "ACTIVE",
        "expires_at": points_math.deduction_moment(day) if day is not None else None,
        "created_at": tx.now,
        "updated_at": None,
    }
    BucketRepository(tx.conn, tx.project_id).insert(row)
    return row


def _take(tx: Tx, card: dict[str, Any], kind: str, points: int) -> list[dict[str, Any]]:
    """Take ``points`` from the card's buckets; the buckets touched, with the points taken."""
    repo = BucketRepository(tx.conn, tx.project_id)
    rows = repo.active(card["id"])
    held = sum(int(r["points"]) for r in rows)
    untracked = max(int(card["loyalty_balance"] or 0) - held, 0)
    if points > held + untracked:
        raise VoucherifyError(
            "Insufficient points",
            f"Cannot take {points} points from card {card['code']}: its balance is "
            f"{card['loyalty_balance'] or 0}",
            key="not_enough_points",
        )
    taken = points_math.consume(_buckets(rows), untracked, points)
    emptied = EXPIRED if kind == points_math.POINTS_EXPIRATION else USED
    repo.take(taken, tx.now, emptied)
    by_id = {r["id"]: r for r in rows}
    return [
        {**by_id[bid], "points": part, "status": emptied, "updated_at": tx.now}
        for bid, part in taken
        if bid
    ]


def next_expiration_attr(tx: Tx, voucher_id: str) -> dict[str, Any] | None:
    """``{date, points}`` of the card's next expiring points (None when none expire)."""
    rows = BucketRepository(tx.conn, tx.project_id).dated(voucher_id)
    found = points_math.next_expiration(_buckets(rows))
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
    earning_rule: dict[str, Any] | None = None,
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
    _check_change(kind, points)
    current = card if locked and card["type"] == "LOYALTY_CARD" else lock_card(tx, card["id"])
    taken = _move(tx, current, kind, points, expiration, refill)
    lifetime, after, attrs = _figures(current, kind, points)
    attrs["loyalty_next_expiration"] = next_expiration_attr(tx, current["id"])
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
    details = _details(current, kind, points, lifetime, after, refs, operation)
    stored = _append(tx, current, kind, points, after, labels, details)
    updated = _store_figures(tx, current, lifetime, after, attrs)
    loyalty_events.emit_transaction(tx, updated, stored, refs, taken)
    from openvoucher.loyalty import auto_redeem  # it redeems rewards, which apply points

    updated = auto_redeem.after_points_added(tx, updated, kind)
    tiers.refresh(tx, updated)
    stored["buckets_taken"] = _parts(kind, points, taken)
    return stored


def _check_change(kind: str, points: int) -> None:
    """A known transaction type and a positive integer of points, or an error."""
    if kind not in points_math.SIGNS:
        raise ValueError(f"unknown loyalty transaction type {kind}")
    if isinstance(points, bool) or not isinstance(points, int) or points <= 0:
        raise _invalid("points must be a positive integer")


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
        return _take(tx, card, kind, points)
    if refill:
        _refill(tx, card, points, refill)
    else:
        _add_bucket(tx, card, points, expiration or Expiry())
    return []


def _parts(kind: str, points: int, taken: list[dict[str, Any]]) -> list[tuple[str, int]]:
    """``(bucket id, points)`` a deduction took; id ``""`` for points held without a bucket."""
    parts = [(str(b["id"]), int(b["points"])) for b in taken]
    untracked = points - sum(part for _, part in parts)
    if points_math.SIGNS[kind] < 0 and untracked > 0:
        parts.append(("", untracked))
    return parts


def _refill(tx: Tx, card: dict[str, Any], points: int, refill: list[tuple[str, int]]) -> None:
    """Put ``points`` back into the buckets they came from (their expiry kept: points whose
    day has passed expire on the job's next run); the rest into a never-expiring bucket."""
    given = [(bucket_id, part) for bucket_id, part in refill if bucket_id and part > 0]
    back = min(sum(part for _, part in given), points)
    left = back
    trimmed = []
    for bucket_id, part in given:
        share = min(part, left)
        if share:
            trimmed.append((bucket_id, share))
            left -= share
    BucketRepository(tx.conn, tx.project_id).give_back(trimmed, tx.now)
    if points > back:
        _add_bucket(tx, card, points - back, Expiry("NON_EXPIRING"))


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
        raise _invalid("points must be a non-zero integer: positive adds, negative removes")
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
