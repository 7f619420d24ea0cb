"""Loyalty v2 members: joining a programme (one card per wallet, each a v1 loyalty card of the
wallet's backing campaign), reading, updating, (de)activating, leaving; memberships."""

from __future__ import annotations

from typing import Any

from openvoucher.catalog import vouchers as catalog_vouchers
from openvoucher.customers import customers
from openvoucher.kernel.errors import DuplicateFound, NotFound
from openvoucher.kernel.ids import hex_id
from openvoucher.kernel.unit_of_work import Tx, UnitOfWork
from openvoucher.loyalty import programmes
from openvoucher.loyalty.domain.v2_card_definitions import invalid
from openvoucher.loyalty.presenters import v2 as present
from openvoucher.loyalty.presenters import v2_members as shown
from openvoucher.loyalty.repositories.v2 import ActivityRepository, AssignmentRepository
from openvoucher.loyalty.repositories.v2_members import (
    CardRepository,
    MemberRepository,
    TransactionRepository,
)
from openvoucher.loyalty.v2 import member_tiers, tier_progress
from openvoucher.loyalty.v2.components import conflict, decode_cursor, require, windowed

MEMBER_CURSOR = "lcrsmbr_"


def _activity(tx: Tx, member: dict[str, Any], what: str, data: dict[str, Any]) -> None:
    ActivityRepository(tx.conn, tx.project_id).insert(
        {
            "id": hex_id("lambr_"),
            "subject_id": member["id"],
            "type": f"vl.member.{what}",
            "attrs": {"data": data},
            "created_at": tx.now,
        }
    )


def _customer_spec(fields: dict[str, Any]) -> dict[str, Any]:
    named = fields.get("customer_identification") or {}
    if fields.get("customer_id"):
        return {"id": fields["customer_id"]}
    if named.get("type") == "customer_id" and named.get("customer_id"):
        return {"id": named["customer_id"]}
    if named.get("type") == "customer_source_id" and named.get("customer_source_id"):
        return {"source_id": named["customer_source_id"]}
    raise invalid("customer_id (or customer_identification) is required")


def render_card(tx: Tx, row: dict[str, Any]) -> dict[str, Any]:
    """A v2 card with its v1 card's figures."""
    voucher = catalog_vouchers.find(tx, row["voucher_id"])
    assert voucher is not None
    cards = CardRepository(tx.conn, tx.project_id)
    figures = {
        "totals": cards.ledger_totals(voucher["id"]),
        "pending": cards.pending_totals(voucher["id"]),
        "next_activation": cards.next_activation(voucher["id"]),
    }
    return shown.card(row, voucher, figures)


def with_cards(tx: Tx, member: dict[str, Any]) -> dict[str, Any]:
    """The member and its cards."""
    rows = CardRepository(tx.conn, tx.project_id).of_member(member["id"])
    cards = [shown.member_card(r, render_card(tx, r)) for r in rows]
    return {**shown.member(member), "cards": cards}


def _issue_cards(tx: Tx, program_id: str, member: dict[str, Any], customer: dict[str, Any]) -> None:
    repo = CardRepository(tx.conn, tx.project_id)
    issued = []
    for wallet in AssignmentRepository(tx.conn, tx.project_id).of_program(
        program_id, "card_definition"
    ):
        campaign_id = wallet["attrs"].get("campaign_id")
        if not campaign_id:
            continue
        voucher = programmes.enrol(tx, {"id": campaign_id}, customer)
        row = {
            "id": hex_id("lcrd_"),
            "member_id": member["id"],
            "program_id": program_id,
            "card_definition_id": wallet["component_id"],
            "voucher_id": voucher["id"],
            "created_at": tx.now,
        }
        repo.insert(row)
        issued.append(voucher["id"])
        rendered = render_card(tx, row)
        _activity(tx, member, "card.assigned", {"card": rendered})
        for what in ("created", "assigned"):
            ActivityRepository(tx.conn, tx.project_id).insert(
                {
                    "id": hex_id("lacrd_"),
                    "subject_id": row["id"],
                    "type": f"vl.card.{what}",
                    "attrs": {"data": {"card": rendered, "member": shown.member(member)}},
                    "created_at": tx.now,
                }
            )
    member_tiers.on_cards_issued(tx, program_id, issued)


def create_in(tx: Tx, program_id: str, fields: dict[str, Any]) -> dict[str, Any]:
    """Make the member in an open transaction (every check before the first write); the
    member row."""
    spec = _customer_spec(fields)
    program = require(tx, "program", program_id, lock=True)
    if program["status"] != "ACTIVE":
        raise conflict(f"Program {program_id} is {program['status']}: it takes no members")
    customer = customers.resolve(tx, spec, create=False)
    assert customer is not None
    members = MemberRepository(tx.conn, tx.project_id)
    if members.of_customer(customer["id"], program_id):
        raise DuplicateFound(
            "Duplicated resource", f"Customer {customer['id']} is already a member"
        )
    member = {
        "id": hex_id("lmbr_"),
        "program_id": program_id,
        "customer_id": customer["id"],
        "status": fields.get("status") or "ACTIVE",
        "attrs": {"metadata": fields.get("metadata") or {}},
        "created_at": tx.now,
        "updated_at": None,
    }
    members.insert(member)
    _activity(tx, member, "created", {"member": shown.member(member)})
    _issue_cards(tx, program_id, member, customer)
    return member


def create(
    uow: UnitOfWork, project_id: str, program_id: str, fields: dict[str, Any]
) -> dict[str, Any]:
    """``POST …/programs/{id}/members``: an active programme's member with one card per
    wallet; 409 if the customer already is one."""
    with uow.write(project_id) as tx:
        return with_cards(tx, create_in(tx, program_id, fields))


def require_member(
    tx: Tx, program_id: str, member_id: str, *, lock: bool = False
) -> dict[str, Any]:
    """The programme's live member, or 404."""
    repo = MemberRepository(tx.conn, tx.project_id)
    row = repo.get_locked(member_id) if lock else repo.get(member_id)
    if row is None or row["program_id"] != program_id or row["status"] == "DELETED":
        raise NotFound("member", member_id)
    return row


def transactions_page(
    uow: UnitOfWork,
    project_id: str,
    program_id: str,
    member_id: str,
    *,
    kind: str,
    prefix: str,
    cursor: str | None,
    limit: int,
) -> tuple[list[dict[str, Any]], str | None]:
    """A page of a programme member's v2 transactions of ``kind``, newest first, and the next
    page's cursor (``prefix`` names the cursor's kind)."""
    offset = decode_cursor(prefix, cursor)
    with uow.read(project_id) as tx:
        require(tx, "program", program_id)
        require_member(tx, program_id, member_id)
        rows = TransactionRepository(tx.conn, tx.project_id).page(
            member_id, kind, offset, limit, True
        )
    return windowed(rows, prefix, offset, limit)


def get(uow: UnitOfWork, project_id: str, program_id: str, member_id: str) -> dict[str, Any]:
    """One member with its cards."""
    with uow.read(project_id) as tx:
        require(tx, "program", program_id)
        return with_cards(tx, require_member(tx, program_id, member_id))


def _change(
    uow: UnitOfWork,
    project_id: str,
    program_id: str,
    member_id: str,
    values: dict[str, Any],
    what: str,
) -> dict[str, Any]:
    with uow.write(project_id) as tx:
        row = require_member(tx, program_id, member_id, lock=True)
        if "status" in values and values["status"] == row["status"]:
            raise conflict(f"Member {member_id} is already {row['status']}")
        changed = {**row, **values, "updated_at": tx.now}
        MemberRepository(tx.conn, tx.project_id).update(member_id, {**values, "updated_at": tx.now})
        _activity(tx, changed, what, {"member": shown.member(changed)})
        return shown.member(changed)


def update(
    uow: UnitOfWork, project_id: str, program_id: str, member_id: str, fields: dict[str, Any]
) -> dict[str, Any]:
    """``PUT …/members/{id}``: its metadata."""
    values = {"attrs": {"metadata": fields.get("metadata") or {}}}
    return _change(uow, project_id, program_id, member_id, values, "updated")


def set_status(
    uow: UnitOfWork, project_id: str, program_id: str, member_id: str, status: str
) -> dict[str, Any]:
    """Activate (ACTIVE), deactivate (INACTIVE) or delete (DELETED) a member."""
    what = {"ACTIVE": "activated", "INACTIVE": "deactivated", "DELETED": "deleted"}[status]
    return _change(uow, project_id, program_id, member_id, {"status": status}, what)


def list_members(
    uow: UnitOfWork, project_id: str, program_id: str, cursor: str | None, limit: int, newest: bool
) -> dict[str, Any]:
    """A page of the programme's members."""
    offset = decode_cursor(MEMBER_CURSOR, cursor)
    with uow.read(project_id) as tx:
        require(tx, "program", program_id)
        rows = MemberRepository(tx.conn, tx.project_id).page(program_id, offset, limit, newest)
    page, next_cursor = windowed(rows, MEMBER_CURSOR, offset, limit)
    return present.page([shown.member(r) for r in page], next_cursor)


def _program_simple(row: dict[str, Any]) -> dict[str, Any]:
    body = present.program(row)
    return {k: body[k] for k in ("id", "name", "status", "metadata", "object")}


def memberships(uow: UnitOfWork, project_id: str, customer_id: str) -> dict[str, Any]:
    """``GET /v2/loyalties/memberships/{customerId}``: every programme the customer is in."""
    with uow.read(project_id) as tx:
        customer = customers.resolve(tx, {"id": customer_id}, create=False)
        assert customer is not None
        found = []
        for member in MemberRepository(tx.conn, tx.project_id).of_customer(customer["id"]):
            program = require(tx, "program", member["program_id"])
            body = with_cards(tx, member)
            cards = body.pop("cards")
            found.append(
                {
                    "member": body,
                    "program": _program_simple(program),
                    "cards": cards,
                    "object": "membership",
                }
            )
    return {
        "customer": {
            "id": customer["id"],
            "source_id": customer["source_id"],
            "object": "customer",
        },
        "memberships": found,
        "object": "memberships_result",
    }


def activities(
    uow: UnitOfWork,
    project_id: str,
    path: tuple[str, str, str | None],
    cursor: str | None,
    limit: int,
) -> dict[str, Any]:
    """A page of a member's activities, or (``path[2]``, a card id) of one of its cards,
    newest first."""
    program_id, member_id, card_id = path
    prefix = "lcrsacrd_" if card_id else "lcrsambr_"
    offset = decode_cursor(prefix, cursor)
    with uow.read(project_id) as tx:
        require(tx, "program", program_id)
        require_member(tx, program_id, member_id)
        subject = member_id
        if card_id is not None:
            card = CardRepository(tx.conn, tx.project_id).get(card_id)
            if card is None or card["member_id"] != member_id:
                raise NotFound("card", card_id)
            subject = card_id
        rows = ActivityRepository(tx.conn, tx.project_id).page(subject, offset, limit, True)
    page, next_cursor = windowed(rows, prefix, offset, limit)
    kind = "card" if card_id else "member"
    return present.page([present.activity(r, kind) for r in page], next_cursor)


def membership(
    uow: UnitOfWork, project_id: str, program_id: str, customer_id: str
) -> dict[str, Any]:
    """``GET …/programs/{id}/memberships/{customerId}``: the customer's membership of the
    programme with its cards and their tier progress; 404 when not a member."""
    with uow.read(project_id) as tx:
        program = require(tx, "program", program_id)
        found = MemberRepository(tx.conn, tx.project_id).of_customer(customer_id, program_id)
        if not found:
            raise NotFound("member", customer_id)
        body = with_cards(tx, found[0])
        rows = CardRepository(tx.conn, tx.project_id).of_member(found[0]["id"])
        progress = {row["id"]: tier_progress.progress(tx, row) for row in rows}
    cards = [{**card, "tier_progress": progress[card["card"]["id"]]} for card in body.pop("cards")]
    return {
        "member": body,
        "program": _program_simple(program),
        "cards": cards,
        "object": "membership",
    }
