"""A v2 card's pending points (list, activate, cancel) and expiring points (list): the v1
pending-points entries and expiry buckets of its loyalty card, under their own ids."""

from __future__ import annotations

from typing import Any

from openvoucher.kernel.clock import iso
from openvoucher.kernel.errors import NotFound, VoucherifyError
from openvoucher.kernel.unit_of_work import UnitOfWork
from openvoucher.loyalty import loyalty_cards, pending_points, points_expiration
from openvoucher.loyalty.domain.loyalty import last_day
from openvoucher.loyalty.presenters import v2 as present
from openvoucher.loyalty.presenters import v2_members as shown
from openvoucher.loyalty.repositories.loyalty import BucketRepository
from openvoucher.loyalty.repositories.pending_points import PendingPointsRepository
from openvoucher.loyalty.repositories.v2 import ObjectRepository
from openvoucher.loyalty.repositories.v2_members import CardRepository, MemberRepository
from openvoucher.loyalty.v2.cards import require_card
from openvoucher.loyalty.v2.components import decode_cursor, require
from openvoucher.platform import project_zone

PENDING_CURSOR = "lcrscppb_"
EXPIRING_CURSOR = "lcrspeb_"
Path = tuple[str, str, str]


def _pending(row: dict[str, Any], card: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": row["id"],
        "card_id": card["id"],
        "card_definition_id": card["card_definition_id"],
        "program_id": card["program_id"],
        "card_type": "INDIVIDUAL",
        "member_id": card["member_id"],
        "points": {"total": int(row["points"])},
        "date": iso(row["activates_at"]),
        "type": "PERIOD_BASED",
        "status": row["status"],
        "created_at": iso(row["created_at"]),
        "updated_at": iso(row["updated_at"]),
        "object": "card_pending_points_bucket",
    }


def _entry(tx: Any, card: dict[str, Any], entry_id: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """The locked card and pending entry; an entry no longer pending is 404 here: the v2
    operations answer only 404 (and 423) — there is no pending bucket of that id any more."""
    voucher = loyalty_cards.lock_card(tx, card["voucher_id"])
    try:
        return pending_points.locked_entry(tx, voucher, entry_id)
    except VoucherifyError as error:
        if error.key != "pending_points_not_pending":
            raise
        raise NotFound("pending points bucket", entry_id) from None


def list_pending(
    uow: UnitOfWork, project_id: str, path: Path, cursor: str | None, limit: int
) -> dict[str, Any]:
    """The card's pending points, oldest first."""
    offset = decode_cursor(PENDING_CURSOR, cursor)
    with uow.read(project_id) as tx:
        card = require_card(tx, *path)
        rows, more = PendingPointsRepository(tx.conn, tx.project_id).page(
            voucher_id=card["voucher_id"], limit=offset + limit, newest_first=False
        )
    next_cursor = f"{PENDING_CURSOR}{offset + limit:x}" if more else None
    return present.page([_pending(r, card) for r in rows[offset:]], next_cursor)


def _last_transaction(tx: Any, card: dict[str, Any]) -> dict[str, Any]:
    (row,) = CardRepository(tx.conn, tx.project_id).transactions(card["voucher_id"], 0, 0, True)
    return shown.transaction(row, card)


def activate(uow: UnitOfWork, project_id: str, path: Path, entry_id: str) -> dict[str, Any]:
    """Activate one pending entry now: its points reach the balance."""
    with uow.write(project_id) as tx:
        card = require_card(tx, *path)
        locked, row = _entry(tx, card, entry_id)
        pending_points.activate(tx, locked, row, operation="MANUAL", source="API")
        return {
            "transaction": _last_transaction(tx, card),
            "status": "TRANSACTION_CREATED",
            "message": f"Activated {int(row['points'])} pending points",
        }


def cancel(uow: UnitOfWork, project_id: str, path: Path, entry_id: str) -> dict[str, Any]:
    """Cancel one pending entry: its points never reach the balance. The ledger records no
    transaction for them; the response's transaction is the canceled entry."""
    with uow.write(project_id) as tx:
        card = require_card(tx, *path)
        locked, row = _entry(tx, card, entry_id)
        pending_points.cancel(tx, locked, row)
        body = {
            "id": row["id"],
            "type": "PENDING_POINTS_CANCELED",
            "reason": None,
            "amount": -int(row["points"]),
            "details": {},
            "created_at": tx.now,
        }
        return {
            "transaction": shown.transaction(body, card),
            "status": "TRANSACTION_CREATED",
            "message": f"Canceled {int(row['points'])} pending points",
        }


def list_expiring(
    uow: UnitOfWork, project_id: str, path: Path, cursor: str | None, limit: int
) -> dict[str, Any]:
    """The card's buckets of points that expire, soonest first."""
    offset = decode_cursor(EXPIRING_CURSOR, cursor)
    with uow.read(project_id) as tx:
        card = require_card(tx, *path)
        member = MemberRepository(tx.conn, tx.project_id).get(card["member_id"])
        wallet = ObjectRepository(tx.conn, tx.project_id).of_kind(
            "card_definition", card["card_definition_id"]
        )
        assert member is not None
        assert wallet is not None
        rows, total = BucketRepository(tx.conn, tx.project_id).expiring_page(
            card["voucher_id"], limit=limit, offset=offset
        )
        zone = project_zone.zone_name(tx)
    kind = wallet["attrs"]["points_expiration"]["type"]
    found = [
        {
            "id": row["id"],
            "card_id": card["id"],
            "customer_id": member["customer_id"],
            "card_definition_id": card["card_definition_id"],
            "program_id": card["program_id"],
            "card_type": "INDIVIDUAL",
            "member_id": card["member_id"],
            "points": {"total": int(row["points"])},
            "expiration_date": last_day(row["expires_at"], zone).isoformat(),
            "expiration_type": kind,
            "status": row["status"],
            "created_at": iso(row["created_at"]),
            "updated_at": iso(row["updated_at"]),
            "object": "card_points_bucket",
        }
        for row in rows
    ]
    more = offset + limit < total
    return present.page(found, f"{EXPIRING_CURSOR}{offset + limit:x}" if more else None)


def _locked(details: str) -> VoucherifyError:
    return VoucherifyError("Resource locked", details, key="locked", status=423)


def expire(uow: UnitOfWork, project_id: str, path: Path, bucket_id: str) -> dict[str, Any]:
    """Expire one of the card's buckets now (423 unless the programme and member are ACTIVE
    and the bucket is active with an expiry still ahead)."""
    with uow.write(project_id) as tx:
        card = require_card(tx, *path)
        program = require(tx, "program", path[0])
        member = MemberRepository(tx.conn, tx.project_id).get(path[1])
        loyalty_cards.lock_card(tx, card["voucher_id"])
        bucket = BucketRepository(tx.conn, tx.project_id).one(card["voucher_id"], bucket_id)
        if bucket is None:
            raise NotFound("points bucket", bucket_id)
        if program["status"] != "ACTIVE" or (member or {}).get("status") != "ACTIVE":
            raise _locked("The program and the member must be ACTIVE")
        if bucket["status"] != "ACTIVE" or bucket["expires_at"] is None:
            raise _locked(f"Bucket {bucket_id} is not an active bucket of expiring points")
        if bucket["expires_at"] <= tx.now:
            raise _locked(f"Bucket {bucket_id} is already due to expire")
        points_expiration.expire_bucket(tx, bucket)
        return {
            "transaction": _last_transaction(tx, card),
            "status": "TRANSACTION_CREATED",
            "message": "Points expiration transaction created",
        }
