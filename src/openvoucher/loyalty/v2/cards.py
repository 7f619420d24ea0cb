"""A v2 member's card: points adjustments and transactions, on the v1 card's ledger."""

from __future__ import annotations

from typing import Any

from openvoucher.kernel.errors import NotFound
from openvoucher.kernel.unit_of_work import Tx, UnitOfWork
from openvoucher.loyalty import loyalty_cards
from openvoucher.loyalty.buckets import expiry_from_request
from openvoucher.loyalty.domain import loyalty as points_math
from openvoucher.loyalty.domain.v2_card_definitions import invalid
from openvoucher.loyalty.presenters import v2 as present
from openvoucher.loyalty.presenters import v2_members as shown
from openvoucher.loyalty.repositories.v2_members import CardRepository
from openvoucher.loyalty.v2.components import decode_cursor, require, windowed
from openvoucher.loyalty.v2.members import require_member

TRANSACTION_CURSOR = "lcrsctx_"


def require_card(tx: Tx, program_id: str, member_id: str, card_id: str) -> dict[str, Any]:
    """The member's card, or 404 (the programme and member must exist too)."""
    require(tx, "program", program_id)
    require_member(tx, program_id, member_id)
    card = CardRepository(tx.conn, tx.project_id).get(card_id)
    if card is None or card["member_id"] != member_id:
        raise NotFound("card", card_id)
    return card


def adjust(
    uow: UnitOfWork,
    project_id: str,
    path: tuple[str, str, str],
    fields: dict[str, Any],
) -> dict[str, Any]:
    """``POST …/cards/{id}/points``: add (> 0, expiring as the wallet says) or remove (< 0;
    never below zero: 400 ``not_enough_points``) points."""
    points = fields.get("points")
    if isinstance(points, bool) or not isinstance(points, int) or points == 0:
        raise invalid("points must be a non-zero integer: positive adds, negative removes")
    with uow.write(project_id) as tx:
        card = require_card(tx, *path)
        voucher = loyalty_cards.lock_card(tx, card["voucher_id"])
        if points > 0:
            kind, expiry = points_math.POINTS_ADDITION, expiry_from_request(tx, None, None)
        else:
            kind, expiry = points_math.POINTS_REMOVAL, None
        stored = loyalty_cards.apply_points(
            tx,
            voucher,
            kind,
            abs(points),
            reason=fields.get("reason"),
            expiration=expiry,
            locked=True,
        )
        return {
            "transaction": shown.transaction(stored, card),
            "status": "TRANSACTION_CREATED",
            "message": f"{'Added' if points > 0 else 'Removed'} {abs(points)} points",
        }


def transactions(
    uow: UnitOfWork,
    project_id: str,
    path: tuple[str, str, str],
    cursor: str | None,
    limit: int,
    newest: bool,
) -> dict[str, Any]:
    """A page of the card's transactions (its v1 card's ledger)."""
    offset = decode_cursor(TRANSACTION_CURSOR, cursor)
    with uow.read(project_id) as tx:
        card = require_card(tx, *path)
        rows = CardRepository(tx.conn, tx.project_id).transactions(
            card["voucher_id"], offset, limit, newest
        )
    page, next_cursor = windowed(rows, TRANSACTION_CURSOR, offset, limit)
    return present.page([shown.transaction(r, card) for r in page], next_cursor)
