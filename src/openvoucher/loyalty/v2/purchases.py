"""Buying a v2 programme's rewards with a member's points, and refunding purchases.

A purchase takes the cost's points from the member's card of the cost's wallet (a
``POINTS_REDEMPTION`` of the ledger, the card locked first, so it is never overdrawn), counts
against the programme's stock of the reward, and — for a ``LOYALTY_CARD_POINTS`` reward —
adds the reward's points to the member's card of that wallet (a coupon or gift voucher reward
publishes a code: ``reward_vouchers``). A refund (when the reward is
REFUNDABLE, or the policy says ALLOW) puts the points back into the buckets they came from
(``POINTS_REFUND``), takes back the points a points reward gave, and returns the stock unless
the policy writes it off.
"""

from __future__ import annotations

from typing import Any

from openvoucher.kernel.clock import iso, parse_datetime
from openvoucher.kernel.errors import NotFound, VoucherifyError
from openvoucher.kernel.ids import hex_id
from openvoucher.kernel.unit_of_work import Tx, UnitOfWork
from openvoucher.loyalty import loyalty_cards
from openvoucher.loyalty.buckets import expiry_from_request
from openvoucher.loyalty.domain import loyalty as points_math
from openvoucher.loyalty.domain.v2_card_definitions import invalid
from openvoucher.loyalty.domain.v2_card_limits import refused as spending_refused
from openvoucher.loyalty.presenters import v2 as present
from openvoucher.loyalty.repositories.v2 import AssignmentRepository, ObjectRepository
from openvoucher.loyalty.repositories.v2_members import CardRepository, TransactionRepository
from openvoucher.loyalty.v2 import card_limits, members, reward_vouchers
from openvoucher.loyalty.v2.components import conflict, require
from openvoucher.loyalty.v2.members import require_member

KIND = "reward_purchase"
CURSOR = "lcrsrtx_"


def _refuse(details: str) -> VoucherifyError:
    return VoucherifyError("Reward cannot be purchased", details, key="reward_not_available")


def _available(tx: Tx, program_id: str, reward_id: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """The active reward and its (locked) assignment in the programme, with stock left."""
    reward = require(tx, "reward", reward_id)
    assignment = AssignmentRepository(tx.conn, tx.project_id).locked(program_id, reward_id)
    if assignment is None:
        raise NotFound("reward assignment", reward_id)
    attrs = reward["attrs"]
    if reward["status"] != "ACTIVE":
        raise _refuse(f"Reward {reward_id} is {reward['status']}")
    start, end = attrs.get("start_date"), attrs.get("end_date")
    if (start and tx.now < parse_datetime(start)) or (end and tx.now >= parse_datetime(end)):
        raise _refuse(f"Reward {reward_id} is not valid now")
    stock = assignment["attrs"]["stock"]
    redeemed = int(assignment["attrs"].get("redeemed") or 0)
    if stock["type"] == "LIMITED" and redeemed >= stock["limited"]["quantity"]:
        raise _refuse(f"Reward {reward_id} is out of stock")
    return reward, assignment


def _wallet_cards(tx: Tx, member_id: str) -> dict[str, dict[str, Any]]:
    rows = CardRepository(tx.conn, tx.project_id).of_member(member_id)
    return {row["card_definition_id"]: row for row in rows}


def _result(reward: dict[str, Any], published: dict[str, Any] | None = None) -> dict[str, Any]:
    attrs = reward["attrs"]
    digital = attrs.get("digital")
    if digital and digital["type"] in reward_vouchers.ENTRIES:
        digital = reward_vouchers.entries(digital, published)
    elif digital:
        digital = {"type": digital["type"], "loyalty_card_points": digital["loyalty_card_points"]}
    return {
        "reward": {"id": reward["id"], "type": attrs["type"]},
        "quantity": 1,
        "material": attrs.get("material"),
        "digital": digital,
    }


def _shape(card: dict[str, Any], reward_id: str, details: dict[str, Any]) -> dict[str, Any]:
    return {
        "card_id": card["id"],
        "card_transaction_id": None,
        "program_id": card["program_id"],
        "member_id": card["member_id"],
        "reward_id": reward_id,
        "type": "PURCHASE",
        "details": details,
        "updated_at": None,
        "object": "reward_transaction",
    }


def purchase(
    uow: UnitOfWork, project_id: str, program_id: str, member_id: str, fields: dict[str, Any]
) -> tuple[dict[str, Any], int]:
    """Buy the reward: ``(body, 200)`` for a dry run, ``(body, 202)`` once bought."""
    with uow.write(project_id) as tx:
        program = require(tx, "program", program_id)
        member = require_member(tx, program_id, member_id)
        if program["status"] != "ACTIVE" or member["status"] != "ACTIVE":
            raise _refuse(f"Program {program_id} and member {member_id} must be active")
        reward, assignment = _available(tx, program_id, fields["reward_id"])
        reward_vouchers.check(tx, reward, fields.get("mode") == "DRY_RUN")
        cards = _wallet_cards(tx, member_id)
        costs = [c["spending"][0] for c in reward["attrs"]["costs"]]
        spend = next((c for c in costs if c["card_definition_id"] in cards), None)
        if spend is None:
            raise _refuse(f"Member {member_id} holds no card the reward's costs can be paid from")
        card = cards[spend["card_definition_id"]]
        voucher = loyalty_cards.lock_card(tx, card["voucher_id"])
        if int(voucher["loyalty_balance"] or 0) < spend["points"]:
            raise VoucherifyError(
                "Not enough points",
                f"Card {card['id']} holds {voucher['loyalty_balance']} points, "
                f"the reward costs {spend['points']}",
                key="not_enough_points",
            )
        allowed = card_limits.spendable(tx, card)
        if allowed is not None and spend["points"] > allowed:
            raise spending_refused(card["id"], spend["points"], allowed)
        details = {
            "reason": "Reward purchase",
            "rejection": None,
            "metadata": {},
            "points": {"total": spend["points"]},
            "result": _result(reward),
        }
        if fields.get("mode") == "DRY_RUN":
            body = {"id": None, **_shape(card, reward["id"], details), "status": "SIMULATED"}
            body["created_at"] = iso(tx.now)
            return {"transaction": body, "status": "DRY_RUN", "message": "Dry run mode"}, 200
        bought = _buy(tx, reward, assignment, cards, card, voucher, details, member["customer_id"])
        return bought, 202


def _buy(
    tx: Tx,
    reward: dict[str, Any],
    assignment: dict[str, Any],
    cards: dict[str, dict[str, Any]],
    card: dict[str, Any],
    voucher: dict[str, Any],
    details: dict[str, Any],
    customer_id: str,
) -> dict[str, Any]:
    points = details["points"]["total"]
    stored = loyalty_cards.apply_points(
        tx, voucher, points_math.POINTS_REDEMPTION, points, reason="Reward purchase", locked=True
    )
    given = _give_points(tx, reward, cards)
    published = reward_vouchers.give(tx, reward, customer_id)
    if published is not None:
        details = {**details, "result": _result(reward, published)}
    attrs = {**assignment["attrs"], "redeemed": int(assignment["attrs"].get("redeemed") or 0) + 1}
    AssignmentRepository(tx.conn, tx.project_id).set_attrs(card["program_id"], reward["id"], attrs)
    row = {
        "id": hex_id("lrtx_"),
        "kind": KIND,
        "member_id": card["member_id"],
        "card_id": card["id"],
        "order_id": None,
        "points": points,
        "attrs": {
            "body": _shape(card, reward["id"], details),
            "card_transaction_id": stored["id"],
            "buckets": stored["buckets_taken"],
            "given": given,
            "published": published,
            "type": "PURCHASE",
            "status": "APPROVED",
        },
        "created_at": tx.now,
    }
    TransactionRepository(tx.conn, tx.project_id).insert(row)
    body = {**render(row), "status": "PENDING"}
    return {"transaction": body, "status": "TRANSACTION_CREATED", "message": "Reward purchased"}


def _give_points(
    tx: Tx, reward: dict[str, Any], cards: dict[str, dict[str, Any]]
) -> dict[str, Any] | None:
    grant = (reward["attrs"].get("digital") or {}).get("loyalty_card_points")
    if not grant:
        return None
    target = cards.get(grant["card_definition_id"])
    if target is None:
        raise _refuse("The member holds no card of the wallet the reward's points go to")
    voucher = loyalty_cards.lock_card(tx, target["voucher_id"])
    loyalty_cards.apply_points(
        tx,
        voucher,
        points_math.POINTS_ADDITION,
        grant["points"],
        reason="Reward purchase",
        expiration=expiry_from_request(tx, None, None),
        locked=True,
    )
    return {"voucher_id": target["voucher_id"], "points": grant["points"]}


def render(row: dict[str, Any]) -> dict[str, Any]:
    """A reward transaction (purchase or refund)."""
    attrs = row["attrs"]
    return {
        "id": row["id"],
        **attrs["body"],
        "card_transaction_id": attrs["card_transaction_id"],
        "type": attrs["type"],
        "status": attrs["status"],
        "created_at": iso(row["created_at"]),
        "updated_at": attrs.get("updated_at"),
    }


def refund(
    uow: UnitOfWork, project_id: str, program_id: str, purchase_id: str, fields: dict[str, Any]
) -> dict[str, Any]:
    """Refund a purchase (400 when the reward is not refundable and the policy does not
    allow it; 409 when already refunded)."""
    policies = fields.get("policies") or {}
    with uow.write(project_id) as tx:
        repo = TransactionRepository(tx.conn, tx.project_id)
        row = repo.get(purchase_id)
        if row is None or row["kind"] != KIND or row["attrs"]["body"]["program_id"] != program_id:
            raise NotFound("reward transaction", purchase_id)
        if row["attrs"]["type"] != "PURCHASE" or row["attrs"]["status"] != "APPROVED":
            raise conflict(f"Reward transaction {purchase_id} cannot be refunded")
        reward = ObjectRepository(tx.conn, tx.project_id).of_kind(
            "reward", row["attrs"]["body"]["reward_id"]
        )
        assert reward is not None
        if reward["attrs"]["refunds"]["type"] != "REFUNDABLE" and policies.get("refund") != "ALLOW":
            raise invalid(f"Reward {reward['id']} is not refundable (policies.refund: ALLOW)")
        return _refund(tx, row, reward, policies)


def _refund(
    tx: Tx, row: dict[str, Any], reward: dict[str, Any], policies: dict[str, Any]
) -> dict[str, Any]:
    attrs, body = row["attrs"], row["attrs"]["body"]
    if attrs.get("published"):
        reward_vouchers.take_back(tx, attrs["published"])
    given = attrs.get("given")
    if given:
        target = loyalty_cards.lock_card(tx, given["voucher_id"])
        loyalty_cards.apply_points(
            tx,
            target,
            points_math.POINTS_REMOVAL,
            given["points"],
            reason="Reward refund",
            locked=True,
        )
    card = CardRepository(tx.conn, tx.project_id).get(row["card_id"])
    assert card is not None
    voucher = loyalty_cards.lock_card(tx, card["voucher_id"])
    stored = loyalty_cards.apply_points(
        tx,
        voucher,
        points_math.POINTS_REFUND,
        int(row["points"]),
        reason="Reward refund",
        refill=[(str(b), int(p)) for b, p in attrs["buckets"]],
        locked=True,
    )
    if policies.get("stock") != "WRITE_OFF":
        assignments = AssignmentRepository(tx.conn, tx.project_id)
        found = assignments.locked(body["program_id"], reward["id"])
        if found is not None:
            left = max(0, int(found["attrs"].get("redeemed") or 0) - 1)
            assignments.set_attrs(
                body["program_id"], reward["id"], {**found["attrs"], "redeemed": left}
            )
    repo = TransactionRepository(tx.conn, tx.project_id)
    repo.update(row["id"], {"attrs": {**attrs, "status": "REFUNDED", "updated_at": iso(tx.now)}})
    details = {
        "reason": "Reward refund",
        "rejection": None,
        "metadata": {},
        "points": {"total": int(row["points"])},
        # no ``result``: with it the spec's oneOf would read a refund as a purchase too
        "purchase": {
            "card_transaction": {"id": attrs["card_transaction_id"]},
            "reward_transaction": {"id": row["id"]},
        },
    }
    refund_row = {
        "id": hex_id("lrtx_"),
        "kind": KIND,
        "member_id": row["member_id"],
        "card_id": row["card_id"],
        "order_id": None,
        "points": row["points"],
        "attrs": {
            "body": {**body, "details": details},
            "card_transaction_id": stored["id"],
            "buckets": [],
            "type": "REFUND",
            "status": "APPROVED",
        },
        "created_at": tx.now,
    }
    repo.insert(refund_row)
    return {"transaction": render(refund_row), "status": "APPROVED", "message": "Purchase refunded"}


def purchases(
    uow: UnitOfWork,
    project_id: str,
    program_id: str,
    member_id: str,
    cursor: str | None,
    limit: int,
) -> dict[str, Any]:
    """A page of the member's reward purchases and refunds, newest first."""
    page, next_cursor = members.transactions_page(
        uow, project_id, program_id, member_id, kind=KIND, prefix=CURSOR, cursor=cursor, limit=limit
    )
    return present.page([render(r) for r in page], next_cursor)
