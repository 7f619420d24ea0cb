"""Loyalty v2 programmes: create with components, assign components in batches, activate
(which needs an active wallet and an active earning rule, and fixes the wallets: each gets the
v1 ``LOYALTY_PROGRAM`` campaign backing its cards), deactivate.
"""

from __future__ import annotations

from typing import Any

from openvoucher.catalog import campaigns
from openvoucher.kernel.clock import iso
from openvoucher.kernel.errors import NotFound
from openvoucher.kernel.ids import hex_id
from openvoucher.kernel.unit_of_work import Tx, UnitOfWork
from openvoucher.loyalty.domain import v2_card_definitions as wallets
from openvoucher.loyalty.presenters import v2 as present
from openvoucher.loyalty.repositories.v2 import (
    ActivityRepository,
    AssignmentRepository,
    ObjectRepository,
)
from openvoucher.loyalty.v2 import components
from openvoucher.loyalty.v2.components import conflict, record, require

ASSIGNABLE = {
    "card_definitions": "card_definition",
    "earning_rules": "earning_rule",
    "rewards": "reward",
}
"""Request field → the kind of component it assigns (tier structures: ``member_tiers``)."""


def _program_activity(tx: Tx, program: dict[str, Any], what: str, data: dict[str, Any]) -> None:
    ActivityRepository(tx.conn, tx.project_id).insert(
        {
            "id": hex_id("laprg_"),
            "subject_id": program["id"],
            "type": f"vl.program.{what}",
            "attrs": {"data": data},
            "created_at": tx.now,
        }
    )


def assignment(row: dict[str, Any]) -> dict[str, Any]:
    """An assignment as its list renders it."""
    body: dict[str, Any] = {f"{row['kind']}_id": row["component_id"]}
    if row["kind"] == "card_definition":
        body["card_type"] = "INDIVIDUAL"
    if row["kind"] == "reward":
        stock = row["attrs"].get("stock") or {"type": "UNLIMITED"}
        body.update(stock=stock, redeemed=int(row["attrs"].get("redeemed") or 0))
        body["updated_at"] = row["attrs"].get("updated_at")
    return {**body, "created_at": iso(row["created_at"]), "object": f"program_{row['kind']}"}


def check_stock(raw: Any) -> dict[str, Any]:
    """A reward assignment's stock: UNLIMITED, or LIMITED to ``limited.quantity``."""
    kind = (raw or {}).get("type")
    if kind == "UNLIMITED":
        return {"type": "UNLIMITED"}
    quantity = ((raw or {}).get("limited") or {}).get("quantity")
    if kind != "LIMITED" or not isinstance(quantity, int) or quantity < 0:
        raise wallets.invalid("stock must be UNLIMITED, or LIMITED with limited.quantity >= 0")
    return {"type": "LIMITED", "limited": {"quantity": quantity}}


def assign(
    tx: Tx, program: dict[str, Any], kind: str, ident: str, stock: Any = None
) -> dict[str, Any]:
    """Assign a component (409 for a wallet of an active programme, or twice); a reward
    with its ``stock``."""
    if kind == "card_definition" and program["status"] == "ACTIVE":
        raise conflict(f"Program {program['id']} is active: its wallets cannot change")
    component = require(tx, kind, ident)
    repo = AssignmentRepository(tx.conn, tx.project_id)
    if any(a["component_id"] == ident for a in repo.of_program(program["id"], kind)):
        raise conflict(f"{kind} {ident} is already assigned to program {program['id']}")
    attrs = {"stock": check_stock(stock), "redeemed": 0} if kind == "reward" else {}
    repo.add(program["id"], kind, ident, tx.now, attrs)
    record(tx, kind, component, "assigned")
    _program_activity(tx, program, f"{kind}.assigned", {kind: present.render(component)})
    (row,) = [a for a in repo.of_program(program["id"], kind) if a["component_id"] == ident]
    return assignment(row)


def unassign(tx: Tx, program: dict[str, Any], kind: str, ident: str) -> dict[str, Any]:
    """Unassign a component (409 for a wallet of an active programme; 404 if not assigned)."""
    if kind == "card_definition" and program["status"] == "ACTIVE":
        raise conflict(f"Program {program['id']} is active: its wallets cannot change")
    repo = AssignmentRepository(tx.conn, tx.project_id)
    found = [a for a in repo.of_program(program["id"], kind) if a["component_id"] == ident]
    if not found:
        raise NotFound(f"{kind} assignment", ident)
    if found[0]["attrs"].get("campaign_id"):
        raise conflict(f"Wallet {ident} already holds cards of program {program['id']}")
    repo.remove(program["id"], ident)
    component = require(tx, kind, ident)
    record(tx, kind, component, "unassigned")
    _program_activity(tx, program, f"{kind}.unassigned", {kind: present.render(component)})
    return assignment(found[0])


def create(uow: UnitOfWork, project_id: str, fields: dict[str, Any]) -> dict[str, Any]:
    """``POST /v2/loyalties/programs``: the programme, its components, and (``status``
    ACTIVE) its activation, in one transaction."""
    from openvoucher.loyalty.v2 import member_tiers  # it assigns through this module

    with uow.write(project_id) as tx:
        row = components.create_in(tx, "program", {**fields, "status": "DRAFT"})
        body = present.program(row)
        for field, kind in ASSIGNABLE.items():
            refs = fields.get(field) or []
            for ref in refs:
                assign(tx, row, kind, ref["id"], ref.get("stock"))
            body[field] = [_created(ref, kind) for ref in refs] or None
        structures = fields.get("tier_structures") or []
        member_tiers.assign_on_create(tx, row, structures)
        body["tier_structures"] = [{"id": ref["id"]} for ref in structures] or None
        if fields.get("status") == "ACTIVE":
            body.update(present.program(activate_in(tx, row["id"])))
        return body


def _created(ref: dict[str, Any], kind: str) -> dict[str, Any]:
    if kind == "reward":
        return {"id": ref["id"], "stock": check_stock(ref.get("stock"))}
    return {"id": ref["id"]}


def update_reward_assignment(
    uow: UnitOfWork, project_id: str, program_id: str, reward_id: str, stock: Any
) -> dict[str, Any]:
    """``PUT …/programs/{id}/rewards/{rewardId}``: change the stock (not below what was
    already redeemed)."""
    with uow.write(project_id) as tx:
        program = require(tx, "program", program_id)
        row = AssignmentRepository(tx.conn, tx.project_id).locked(program_id, reward_id)
        if row is None or row["kind"] != "reward":
            raise NotFound("reward assignment", reward_id)
        checked = check_stock(stock)
        redeemed = int(row["attrs"].get("redeemed") or 0)
        if checked["type"] == "LIMITED" and checked["limited"]["quantity"] < redeemed:
            raise wallets.invalid(f"stock cannot go below the {redeemed} already redeemed")
        attrs = {**row["attrs"], "stock": checked, "updated_at": iso(tx.now)}
        AssignmentRepository(tx.conn, tx.project_id).set_attrs(program_id, reward_id, attrs)
        reward = require(tx, "reward", reward_id)
        _program_activity(tx, program, "reward.updated", {"reward": present.render(reward)})
        return assignment({**row, "attrs": attrs})


def _active(tx: Tx, program_id: str, kind: str) -> list[dict[str, Any]]:
    repo = AssignmentRepository(tx.conn, tx.project_id)
    found = []
    for row in repo.of_program(program_id, kind):
        component = ObjectRepository(tx.conn, tx.project_id).of_kind(kind, row["component_id"])
        if component is not None and component["status"] == "ACTIVE":
            found.append({**row, "component": component})
    return found


def activate_in(tx: Tx, program_id: str) -> dict[str, Any]:
    """Activate: 409 without an active wallet and an active earning rule; each wallet gets
    its backing campaign (once)."""
    program = require(tx, "program", program_id, lock=True)
    held = _active(tx, program_id, "card_definition")
    if not held:
        raise conflict(f"Program {program_id} needs an active card definition to be activated")
    if not _active(tx, program_id, "earning_rule"):
        raise conflict(f"Program {program_id} needs an active earning rule to be activated")
    for row in held:
        if not row["attrs"].get("campaign_id"):
            backing = _backing_campaign(tx, program, row["component"])
            AssignmentRepository(tx.conn, tx.project_id).set_attrs(
                program_id, row["component_id"], {"campaign_id": backing}
            )
    from openvoucher.loyalty.v2 import member_tiers  # it assigns through this module

    member_tiers.install(tx, program_id, activating=True)
    return components.transition_in(tx, "program", program_id, "activate")


def _backing_campaign(tx: Tx, program: dict[str, Any], wallet: dict[str, Any]) -> str:
    """A ``LOYALTY_PROGRAM`` campaign issuing the wallet's cards with its code config and
    expiration rules; its id."""
    card: dict[str, Any] = {"points": 0}
    rules = wallets.v1_expiration_rules(wallet["attrs"])
    if rules is not None:
        card["expiration_rules"] = rules
    fields = {
        "name": f"{program['name']} · {wallet['name']} ({program['id']}/{wallet['id']})",
        "campaign_type": "LOYALTY_PROGRAM",
        "type": "AUTO_UPDATE",
        "voucher": {
            "type": "LOYALTY_CARD",
            "loyalty_card": card,
            "code_config": wallets.v1_code_config(wallet["attrs"]),
        },
        "metadata": {"loyalty_v2_program_id": program["id"], "card_definition_id": wallet["id"]},
    }
    return str(campaigns.create_in(tx, fields)["id"])


def activate(uow: UnitOfWork, project_id: str, program_id: str) -> dict[str, Any]:
    """``POST …/programs/{id}/activate``."""
    with uow.write(project_id) as tx:
        return present.program(activate_in(tx, program_id))


def batch(
    uow: UnitOfWork, project_id: str, program_id: str, kind: str, fields: dict[str, Any]
) -> dict[str, Any]:
    """``POST …/programs/{id}/<kind>s/batch``: unassign then assign, all or nothing."""
    with uow.write(project_id) as tx:
        program = require(tx, "program", program_id, lock=True)
        unassigned = [unassign(tx, program, kind, r["id"]) for r in fields.get("unassign") or []]
        assigned = [
            assign(tx, program, kind, r["id"], r.get("stock")) for r in fields.get("assign") or []
        ]
        return {"assigned": assigned, "unassigned": unassigned}


def assignments(
    uow: UnitOfWork, project_id: str, program_id: str, kind: str, offset: int, limit: int
) -> dict[str, Any]:
    """A page of the programme's ``kind`` assignments, oldest first."""
    with uow.read(project_id) as tx:
        require(tx, "program", program_id)
        rows = AssignmentRepository(tx.conn, tx.project_id).of_program(program_id, kind)
    cursor = components.encode_cursor(CURSORS[kind], offset + limit)
    page = rows[offset : offset + limit]
    return present.page(
        [assignment(r) for r in page], cursor if len(rows) > offset + limit else None
    )


CURSORS = {
    "card_definition": "lcrscdefa_",
    "earning_rule": "lcrserna_",
    "reward": "lcrsrewa_",
    "tier_structure": "lcrstsa_",
}
"""Cursor prefixes of the assignment lists."""
