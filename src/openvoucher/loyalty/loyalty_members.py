"""Use cases on one member's card: balance changes, transfers, and its history."""

from __future__ import annotations

from typing import Any

from openvoucher.catalog import vouchers
from openvoucher.catalog.presenters.vouchers import simple_voucher
from openvoucher.gift_cards.repositories.voucher_transactions import (
    VoucherTransactionRepository,
)
from openvoucher.kernel.errors import InvalidPayload
from openvoucher.kernel.idempotency import IdempotencyKey, once
from openvoucher.kernel.unit_of_work import Tx, UnitOfWork
from openvoucher.loyalty import loyalty_cards
from openvoucher.loyalty import programmes as loyalty
from openvoucher.loyalty.domain import loyalty as points_math
from openvoucher.loyalty.presenters.loyalty import bucket
from openvoucher.loyalty.repositories.loyalty import BucketRepository, holder_events
from openvoucher.platform import project_zone

ACTIVITY_TYPES = (
    "customer.loyalty.tier.upgraded",
    "customer.loyalty.tier.downgraded",
    "customer.loyalty.tier.prolonged",
    "customer.loyalty.tier.joined",
    "customer.loyalty.tier.left",
    "customer.publication.succeeded",
    "customer.rewarded",
    "customer.rewarded.loyalty_points",
    "customer.voucher.loyalty_card.points_added",
    "customer.voucher.loyalty_card.points_expired",
    "customer.voucher.loyalty_card.pending_points.added",
    "customer.voucher.loyalty_card.pending_points.updated",
    "customer.voucher.loyalty_card.pending_points.activated",
    "customer.voucher.loyalty_card.pending_points.canceled",
)


def update_balance(
    uow: UnitOfWork,
    project_id: str,
    member_id: str,
    ident: str | None,
    fields: dict[str, Any],
    idempotency: IdempotencyKey | None = None,
) -> dict[str, Any]:
    """``POST …/members/{id}/balance``: add (> 0) or remove (< 0) points; the balance body."""

    def adjust(tx: Tx) -> dict[str, Any]:
        card = loyalty.member(tx, member_id, ident)
        return loyalty_cards.change_balance(
            tx,
            card,
            fields.get("points"),
            source_id=fields.get("source_id"),
            reason=fields.get("reason"),
            expiration_type=fields.get("expiration_type"),
            expiration_date=fields.get("expiration_date"),
        )

    with uow.write(project_id) as tx:
        return once(tx, idempotency, lambda: adjust(tx))


def _check_items(items: list[dict[str, Any]]) -> None:
    if not items:
        raise InvalidPayload("Invalid payload", "Give at least one card to transfer from")
    for index, item in enumerate(items):
        points = item.get("points")
        if isinstance(points, bool) or not isinstance(points, int) or points <= 0:
            raise InvalidPayload("Invalid payload", f"[{index}].points must be a positive integer")
        if not item.get("code"):
            raise InvalidPayload("Invalid payload", f"[{index}].code is required")


def transfer(
    uow: UnitOfWork, project_id: str, ident: str, member_id: str, items: list[dict[str, Any]]
) -> dict[str, Any]:
    """``POST /v1/loyalties/{id}/members/{memberId}/transfers``: move points from the listed
    cards (held by customers; of any programme, point for point) into the member's card, all
    in one transaction; they expire by the member's programme's rules, counted from today."""
    _check_items(items)
    with uow.write(project_id) as tx:
        destination = loyalty.member(tx, member_id, ident)
        loyalty_cards.require_holder(destination)
        sources = [_source(tx, destination, item["code"]) for item in items]
        for voucher_id in sorted({destination["id"], *(s["id"] for s in sources)}):
            loyalty_cards.lock_card(tx, voucher_id)
        for source, item in zip(sources, items, strict=True):
            _move(tx, source, destination, item)
        return transfer_response(vouchers.render(tx, vouchers.require(tx, destination["id"])))


def transfer_response(card: dict[str, Any]) -> dict[str, Any]:
    """The destination card as the spec types the transfer response: ``active`` a string,
    ``validity_timeframe`` an object and ``validity_day_of_week`` a list (empty: no limit)."""
    return {
        **card,
        "active": "true" if card["active"] else "false",
        "validity_timeframe": card.get("validity_timeframe") or {},
        "validity_day_of_week": card.get("validity_day_of_week") or [],
    }


def _source(tx: Tx, destination: dict[str, Any], code: str) -> dict[str, Any]:
    card = vouchers.require(tx, code)
    if card["type"] != "LOYALTY_CARD":
        raise InvalidPayload("Invalid transfer", f"Voucher {code} is not a loyalty card")
    if card["id"] == destination["id"]:
        raise InvalidPayload("Invalid transfer", "A card cannot transfer points to itself")
    loyalty_cards.require_holder(card)
    return card


def _move(
    tx: Tx, source: dict[str, Any], destination: dict[str, Any], item: dict[str, Any]
) -> None:
    source_now = vouchers.require(tx, source["id"])
    destination_now = vouchers.require(tx, destination["id"])
    points = int(item["points"])
    source_id, reason = item.get("source_id"), item.get("reason")
    out = loyalty_cards.apply_points(
        tx,
        source_now,
        points_math.POINTS_TRANSFER_OUT,
        points,
        destination_voucher=simple_voucher(vouchers.render(tx, destination_now)),
        source_id=source_id,
        reason=reason,
    )
    loyalty_cards.apply_points(
        tx,
        destination_now,
        points_math.POINTS_TRANSFER_IN,
        points,
        source_voucher=simple_voucher(vouchers.render(tx, vouchers.require(tx, source["id"]))),
        related_transaction_id=out["id"],
        source_id=source_id,
        reason=reason,
    )


def transactions(
    uow: UnitOfWork,
    project_id: str,
    member_id: str,
    ident: str | None,
    *,
    limit: int,
    newest_first: bool,
    after_id: str | None,
) -> tuple[list[dict[str, Any]], bool]:
    """A page of the card's points transactions and whether more follow."""
    with uow.read(project_id) as tx:
        card = loyalty.member(tx, member_id, ident)
        return VoucherTransactionRepository(tx.conn, tx.project_id).page(
            card["id"], limit=limit, newest_first=newest_first, after_id=after_id
        )


def points_expiration(
    uow: UnitOfWork, project_id: str, ident: str, member_id: str, *, limit: int, offset: int
) -> tuple[list[dict[str, Any]], int]:
    """The card's buckets of expiring points, soonest first, and their number."""
    with uow.read(project_id) as tx:
        card = loyalty.member(tx, member_id, ident)
        rows, total = BucketRepository(tx.conn, tx.project_id).expiring_page(
            card["id"], limit=limit, offset=offset
        )
        zone = project_zone.zone_name(tx)
        return [bucket(row, zone) for row in rows], total


def activity(
    uow: UnitOfWork,
    project_id: str,
    member_id: str,
    ident: str | None,
    *,
    limit: int,
    newest_first: bool,
) -> list[dict[str, Any]]:
    """The holder's loyalty events of this card's programme, from the event log."""
    with uow.read(project_id) as tx:
        card = loyalty.member(tx, member_id, ident)
        if card["holder_id"] is None:
            return []
        rows = holder_events(
            tx.conn, tx.project_id, card["holder_id"], ACTIVITY_TYPES, newest_first=newest_first
        )
        found = []
        for row in rows:
            if (row["data"].get("campaign") or {}).get("id") == card["campaign_id"]:
                found.append(dict(row))
            if len(found) == limit:
                break
        return found
