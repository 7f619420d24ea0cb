"""Loyalty v2 members in tiers: tier structures assigned to programmes, applied by the v1 tier
engine, and every tier movement kept as a v2 tier transaction.

A structure assigned to a programme (at most one; ACTIVE; tracking one of the programme's
wallets) is applied to the v1 campaign backing that wallet as soon as the campaign exists
(the assignment to an active programme, else the programme's activation): the campaign's
``loyalty_tiers_expiration`` becomes the structure's rules and its v1 tiers mirror the
structure's tiers (``attrs.v2_tier_id``; ``domain.v2_tier_rules``). From then on
``loyalty.tiers`` moves members inside every points change (earning, adjustments, payments,
purchases, refunds, activation, expiry) and at each tier expiry, and :func:`record` appends the
movement as a tier transaction in that transaction (ADR 0081).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from openvoucher.catalog import campaigns
from openvoucher.catalog import vouchers as catalog_vouchers
from openvoucher.kernel.errors import InvalidPayload, NotFound, VoucherifyError
from openvoucher.kernel.ids import hex_id, new_id
from openvoucher.kernel.unit_of_work import Tx, UnitOfWork
from openvoucher.loyalty import tiers
from openvoucher.loyalty.domain import tier_settings, v2_tier_rules, v2_tiers
from openvoucher.loyalty.repositories.loyalty_rules import TierRepository
from openvoucher.loyalty.repositories.v2 import AssignmentRepository, ObjectRepository
from openvoucher.loyalty.repositories.v2_members import CardRepository
from openvoucher.loyalty.repositories.v2_tiers import TierTransactionRepository
from openvoucher.loyalty.v2 import programs
from openvoucher.loyalty.v2.components import conflict, require

KIND = "tier_structure"
DERIVED = "derived"
"""The origin of a movement is read from the card's ledger (see :func:`_origin`)."""
_origin: ContextVar[dict[str, Any] | str | None] = ContextVar("v2_tier_origin", default=DERIVED)


@contextmanager
def origin(value: dict[str, Any] | None) -> Iterator[None]:
    """Movements recorded inside the block carry ``value`` as their origin."""
    token = _origin.set(value)
    try:
        yield
    finally:
        _origin.reset(token)


def structure_of(tx: Tx, program_id: str) -> dict[str, Any] | None:
    """The tier structure assigned to the programme, if any."""
    repo = AssignmentRepository(tx.conn, tx.project_id)
    for row in repo.of_program(program_id, KIND):
        return ObjectRepository(tx.conn, tx.project_id).of_kind(KIND, row["component_id"])
    return None


def _tracked(structure: dict[str, Any]) -> str:
    return next(iter(v2_tiers.wallets(structure["attrs"])))


def _campaign_id(tx: Tx, program_id: str, wallet_id: str) -> str | None:
    for row in AssignmentRepository(tx.conn, tx.project_id).of_program(
        program_id, "card_definition"
    ):
        if row["component_id"] == wallet_id and row["attrs"].get("campaign_id"):
            return str(row["attrs"]["campaign_id"])
    return None


def install(tx: Tx, program_id: str, *, activating: bool = False) -> None:
    """Apply the programme's structure to its wallet's backing campaign once the campaign
    exists (and only once); its members are placed in tiers at once. ``activating``: the
    campaigns were just made, so a structure whose wallet has none (it is not an ACTIVE
    wallet of the programme) is 409."""
    structure = structure_of(tx, program_id)
    if structure is None:
        return
    campaign_id = _campaign_id(tx, program_id, _tracked(structure))
    if activating and campaign_id is None:
        raise conflict(
            f"Tier structure {structure['id']} tracks card definition {_tracked(structure)}, "
            f"which is not an active card definition of program {program_id}"
        )
    repo = TierRepository(tx.conn, tx.project_id)
    if campaign_id is None or repo.of_campaign(campaign_id):
        return
    setting = v2_tier_rules.v1_setting(structure["attrs"])
    campaigns.update_in(tx, campaign_id, {tier_settings.FIELD: setting})
    for tier in ObjectRepository(tx.conn, tx.project_id).children(structure["id"]):
        fields = v2_tier_rules.v1_tier(tier)
        fields["attrs"]["v2_tier_structure_id"] = structure["id"]
        row = {"id": new_id("loyalty_tier"), "campaign_id": campaign_id, **fields}
        repo.insert({**row, "created_at": tx.now, "updated_at": None})
    with origin(None):
        tiers.refresh_all(tx, campaign_id)


def on_cards_issued(tx: Tx, program_id: str, voucher_ids: list[str]) -> None:
    """A new member's cards enter the tier their (zero) points reach, if any (a card the
    engine placed when it was published, before it was a v2 card, has that move recorded)."""
    if structure_of(tx, program_id) is None:
        return
    with origin({"type": "member_card_created", "card_transaction_ids": []}):
        for voucher_id in voucher_ids:
            card = catalog_vouchers.find(tx, voucher_id)
            held = card and card["attrs"].get("loyalty_tier")
            if card is not None and held:
                level = TierRepository(tx.conn, tx.project_id).get(held["id"])
                record(tx, card, "customer.loyalty.tier.joined", None, level, held)
            elif card is not None:
                tiers.refresh(tx, card)


def rename(tx: Tx, tier: dict[str, Any]) -> None:
    """Keep the names of the v1 tiers mirroring ``tier`` (a renamed v2 tier) in step."""
    for program in AssignmentRepository(tx.conn, tx.project_id).of_component(tier["parent_id"]):
        structure = structure_of(tx, program["program_id"])
        campaign_id = structure and _campaign_id(tx, program["program_id"], _tracked(structure))
        repo = TierRepository(tx.conn, tx.project_id)
        for row in repo.of_campaign(campaign_id) if campaign_id else []:
            if row["attrs"].get("v2_tier_id") == tier["id"]:
                repo.update(row["id"], {"name": tier["name"], "updated_at": tx.now})


def check_tier_refs(tx: Tx, attrs: dict[str, Any]) -> None:
    """404 unless every tier structure an earning rule's ``tier_rules`` name exists and holds
    the tiers named."""
    for structure_id, tier_ids in v2_tier_rules.tier_refs(attrs):
        require(tx, KIND, structure_id)
        repo = ObjectRepository(tx.conn, tx.project_id)
        held = {row["id"] for row in repo.children(structure_id)}
        for tier_id in tier_ids:
            if tier_id not in held:
                raise NotFound("tier", tier_id)


def held_tiers(tx: Tx, member_id: str) -> set[tuple[str, str]]:
    """(tier structure, tier) the member's cards hold now."""
    found = set()
    for card in CardRepository(tx.conn, tx.project_id).of_member(member_id):
        voucher = catalog_vouchers.find(tx, card["voucher_id"])
        held = voucher and voucher["attrs"].get("loyalty_tier")
        level = TierRepository(tx.conn, tx.project_id).get(held["id"]) if held else None
        if level is not None and level["attrs"].get("v2_tier_id"):
            found.add((level["attrs"]["v2_tier_structure_id"], level["attrs"]["v2_tier_id"]))
    return found


def require_unassigned(tx: Tx, structure_id: str, what: str) -> None:
    """409 when a programme uses the structure: its rules and tiers are fixed then."""
    if AssignmentRepository(tx.conn, tx.project_id).of_component(structure_id):
        raise conflict(f"Tier structure {structure_id} is assigned to a program: {what}")


def _assign(tx: Tx, program: dict[str, Any], ident: str) -> dict[str, Any]:
    structure = require(tx, KIND, ident)
    if structure["status"] != "ACTIVE":
        raise conflict(f"Tier structure {ident} is {structure['status']}, not ACTIVE")
    held = structure_of(tx, program["id"])
    if held is not None:
        raise conflict(f"Program {program['id']} already has tier structure {held['id']}")
    wallets = AssignmentRepository(tx.conn, tx.project_id).of_program(
        program["id"], "card_definition"
    )
    if _tracked(structure) not in {w["component_id"] for w in wallets}:
        raise conflict(f"Tier structure {ident} tracks a card definition the program lacks")
    assigned = programs.assign(tx, program, KIND, ident)
    install(tx, program["id"])
    return assigned


def _ids(refs: list[dict[str, Any]] | None, field: str) -> list[str]:
    found = [str(r["id"]) for r in refs or []]
    if len(set(found)) != len(found):
        raise InvalidPayload("Invalid payload", f"{field} names a tier structure twice")
    return found


def batch(
    uow: UnitOfWork, project_id: str, program_id: str, fields: dict[str, Any]
) -> dict[str, Any]:
    """``POST …/programs/{id}/tier-structures/batch``: unassign (a DRAFT programme's only,
    else 423 ``non_draft_program``), then assign; all or nothing."""
    unassign = _ids(fields.get("unassign"), "unassign")
    assign = _ids(fields.get("assign"), "assign")
    with uow.write(project_id) as tx:
        program = require(tx, "program", program_id, lock=True)
        if unassign and program["status"] != "DRAFT":
            raise VoucherifyError(
                "Resource locked",
                f"Program {program_id} is {program['status']}: tier structures are unassigned "
                "from DRAFT programs only",
                key="non_draft_program",
                status=423,
            )
        gone = [programs.unassign(tx, program, KIND, ident) for ident in unassign]
        added = [_assign(tx, program, ident) for ident in assign]
    return {
        "assigned": added if fields.get("assign") is not None else None,
        "unassigned": gone if fields.get("unassign") is not None else None,
    }


def assign_on_create(tx: Tx, program: dict[str, Any], refs: list[dict[str, Any]]) -> None:
    """``tier_structures`` of a programme being created."""
    for ident in _ids(refs, "tier_structures"):
        _assign(tx, program, ident)


def _origin_now(tx: Tx, voucher_id: str) -> dict[str, Any] | None:
    chosen = _origin.get()
    if chosen != DERIVED:
        return chosen if isinstance(chosen, dict) else None
    latest = CardRepository(tx.conn, tx.project_id).transactions(voucher_id, 0, 0, True)
    if latest and latest[0]["created_at"] == tx.now:
        return {"type": "card_operations", "card_transaction_ids": [latest[0]["id"]]}
    return {"type": "daily_task_operations", "card_transaction_ids": []}


def record(
    tx: Tx,
    card: dict[str, Any],
    kind: str,
    old: dict[str, Any] | None,
    new: dict[str, Any] | None,
    membership: dict[str, Any] | None,
) -> None:
    """Append the v2 tier transaction of a v1 tier movement of a v2 member's card."""
    kind_v2 = v2_tier_rules.movement_type(kind)
    level = new or old
    structure_id = (level or {}).get("attrs", {}).get("v2_tier_structure_id")
    if kind_v2 is None or level is None or structure_id is None:
        return
    v2_card = CardRepository(tx.conn, tx.project_id).by_voucher(card["id"])
    if v2_card is None:
        return
    points = _points(tx, card, structure_id)
    moved_from = old if kind_v2 in {"LEFT", "UPGRADED", "DOWNGRADED"} else None
    moved_to = new if kind_v2 != "LEFT" else None
    details = {
        "points": points,
        "tier_from": moved_from["attrs"].get("v2_tier_id") if moved_from else None,
        "tier_to": moved_to["attrs"].get("v2_tier_id") if moved_to else None,
        "origin": _origin_now(tx, card["id"]),
        "rejection": None,
        "start_at": (membership or {}).get("since") if moved_to else None,
        "expires_at": (membership or {}).get("expires_at") if moved_to else None,
    }
    attrs = {
        "program_id": v2_card["program_id"],
        "card_definition_id": v2_card["card_definition_id"],
        "tier_structure_id": structure_id,
        "tier_id": level["attrs"].get("v2_tier_id"),
        "type": kind_v2,
        "status": "APPROVED",
        "details": details,
    }
    TierTransactionRepository(tx.conn, tx.project_id).add(
        {
            "id": hex_id("lttx_"),
            "member_id": v2_card["member_id"],
            "card_id": v2_card["id"],
            "points": points,
            "attrs": attrs,
            "created_at": tx.now,
        }
    )


def _points(tx: Tx, card: dict[str, Any], structure_id: str) -> int:
    """The points the structure counts now: the balance, or the points earned in the
    current tracking period."""
    from openvoucher.loyalty.v2 import tier_progress

    structure = ObjectRepository(tx.conn, tx.project_id).of_kind(KIND, structure_id)
    if structure is None or structure["attrs"]["type"] != "POINT_EARNED":
        return int(card["loyalty_balance"] or 0)
    return tier_progress.earned_now(tx, card)[0]
