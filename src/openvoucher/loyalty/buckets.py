"""A loyalty card's point buckets: when added points expire (``Expiry``), filling a bucket,
taking points soonest-expiring first, and refilling the buckets a refund gives back to.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from openvoucher.kernel import project_time
from openvoucher.kernel.clock import parse_datetime
from openvoucher.kernel.errors import InvalidPayload, VoucherifyError
from openvoucher.kernel.ids import new_id
from openvoucher.kernel.unit_of_work import Tx
from openvoucher.loyalty.domain import loyalty as points_math
from openvoucher.loyalty.domain.loyalty import Bucket
from openvoucher.loyalty.repositories.loyalty import EXPIRED, USED, BucketRepository
from openvoucher.platform import project_zone

EXPIRATION_TYPES = ("PROGRAM_RULES", "NON_EXPIRING", "CUSTOM_DATE")


@dataclass(frozen=True)
class Expiry:
    """When added points expire: the programme's rules (or ``rules`` of an earning rule),
    never, or on a custom last day."""

    kind: str = "PROGRAM_RULES"
    last_day: date | None = None
    rules: dict[str, Any] | None = None


def invalid_points(details: str) -> InvalidPayload:
    """400 ``invalid_payload`` with ``details``."""
    return InvalidPayload("Invalid payload", details)


def expiry_from_request(tx: Tx, kind: str | None, when: str | None) -> Expiry:
    """An :class:`Expiry` from a request's ``expiration_type`` / ``expiration_date``."""
    chosen = kind or ("CUSTOM_DATE" if when else "PROGRAM_RULES")
    if chosen not in EXPIRATION_TYPES:
        raise invalid_points(f"expiration_type must be one of: {', '.join(EXPIRATION_TYPES)}")
    if chosen != "CUSTOM_DATE":
        return Expiry(chosen)
    if not when:
        raise invalid_points("expiration_date is required with expiration_type CUSTOM_DATE")
    try:
        day = parse_datetime(when).date()
    except ValueError:
        raise invalid_points("expiration_date must be a date (YYYY-MM-DD)") from None
    if day < project_time.local_date(tx.now, project_zone.zone_name(tx)):
        raise invalid_points("expiration_date must not be in the past")
    return Expiry("CUSTOM_DATE", day)


def as_buckets(rows: list[dict[str, Any]]) -> list[Bucket]:
    """Bucket rows as the domain's :class:`Bucket` values."""
    return [Bucket(r["id"], int(r["points"]), r["expires_at"], int(r["seq"])) for r in rows]


def programme_rules(card: dict[str, Any]) -> dict[str, Any] | None:
    """The expiration rules of the card's programme (its campaign's loyalty card template)."""
    template = (card.get("campaign_attrs") or {}).get("voucher") or {}
    rules: dict[str, Any] | None = (template.get("loyalty_card") or {}).get("expiration_rules")
    return rules


def last_day(tx: Tx, card: dict[str, Any], expiry: Expiry) -> date | None:
    """The last day points added now under ``expiry`` count (None: they never expire)."""
    if expiry.kind == "NON_EXPIRING":
        return None
    if expiry.kind == "CUSTOM_DATE":
        return expiry.last_day
    today = project_time.local_date(tx.now, project_zone.zone_name(tx))
    return points_math.expiration_date(today, expiry.rules or programme_rules(card))


def add_bucket(tx: Tx, card: dict[str, Any], points: int, expiry: Expiry) -> dict[str, Any]:
    """A new bucket of ``points`` on the card, expiring as ``expiry`` says."""
    day = last_day(tx, card, expiry)
    row = {
        "id": new_id("points_bucket"),
        "voucher_id": card["id"],
        "campaign_id": card["campaign_id"],
        "total_points": points,
        "points": points,
        "status": "ACTIVE",
        "expires_at": points_math.deduction_moment(day, project_zone.zone_name(tx))
        if day is not None
        else None,
        "created_at": tx.now,
        "updated_at": None,
    }
    BucketRepository(tx.conn, tx.project_id).insert(row)
    return row


def take_points(tx: Tx, card: dict[str, Any], kind: str, points: int) -> list[dict[str, Any]]:
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
    taken = points_math.consume(as_buckets(rows), untracked, points)
    emptied = EXPIRED if kind == points_math.POINTS_EXPIRATION else USED
    repo.take(taken, tx.now, emptied)
    by_id = {r["id"]: r for r in rows}
    return [
        {**by_id[bid], "points": part, "status": emptied, "updated_at": tx.now}
        for bid, part in taken
        if bid
    ]


def refill_buckets(
    tx: Tx, card: dict[str, Any], points: int, refill: list[tuple[str, int]]
) -> None:
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
        add_bucket(tx, card, points - back, Expiry("NON_EXPIRING"))
