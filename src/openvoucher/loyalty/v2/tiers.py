"""Loyalty v2 tiers: the levels of a tier structure (create, list, update, delete).

A tier is a row of the component store under its structure (``parent_id``); each change is
one transaction that also appends the structure's ``vl.tier_structure.tier.<what>`` activity
carrying the structure and the tier as they became. A structure's tiers cannot overlap: each
range of points (``min_value`` to ``max_value``, open above when absent) qualifies one tier.
"""

from __future__ import annotations

from typing import Any

from openvoucher.kernel.errors import NotFound
from openvoucher.kernel.ids import hex_id
from openvoucher.kernel.unit_of_work import Tx, UnitOfWork
from openvoucher.loyalty.domain import v2_tiers
from openvoucher.loyalty.domain.v2_card_definitions import invalid
from openvoucher.loyalty.presenters import v2 as present
from openvoucher.loyalty.repositories.v2 import ActivityRepository, ObjectRepository, Window
from openvoucher.loyalty.v2 import member_tiers
from openvoucher.loyalty.v2.components import conflict, require, windowed

CURSOR = "lcrst_"


def _record(tx: Tx, structure: dict[str, Any], tier: dict[str, Any], what: str) -> None:
    ActivityRepository(tx.conn, tx.project_id).insert(
        {
            "id": hex_id("lats_"),
            "subject_id": structure["id"],
            "type": f"vl.tier_structure.tier.{what}",
            "attrs": {
                "data": {
                    "tier_structure": present.render(structure),
                    "tier": present.render(tier),
                }
            },
            "created_at": tx.now,
        }
    )


def _range(attrs: dict[str, Any]) -> tuple[int, float]:
    points = attrs["qualification_rules"]["points"]
    return points["min_value"], points.get("max_value", float("inf"))


def _no_overlap(tx: Tx, structure_id: str, attrs: dict[str, Any], skip: str | None) -> None:
    low, high = _range(attrs)
    for other in ObjectRepository(tx.conn, tx.project_id).children(structure_id):
        other_low, other_high = _range(other["attrs"])
        if other["id"] != skip and low <= other_high and other_low <= high:
            raise conflict(f"The points range overlaps tier {other['id']}")


def _tier(tx: Tx, structure_id: str, tier_id: str) -> dict[str, Any]:
    row = ObjectRepository(tx.conn, tx.project_id).of_kind("tier", tier_id, lock=True)
    if row is None or row["status"] == "DELETED" or row["parent_id"] != structure_id:
        raise NotFound("tier", tier_id)
    return row


def create(
    uow: UnitOfWork, project_id: str, structure_id: str, fields: dict[str, Any]
) -> dict[str, Any]:
    """``POST …/tier-structures/{id}/tiers``."""
    if not fields.get("name"):
        raise invalid("name is required")
    with uow.write(project_id) as tx:
        structure = require(tx, "tier_structure", structure_id, lock=True)
        member_tiers.require_unassigned(tx, structure_id, "no tier can be added")
        attrs = v2_tiers.tier_settings(fields, None)
        _no_overlap(tx, structure_id, attrs, None)
        row = {
            "id": hex_id("lt_"),
            "kind": "tier",
            "parent_id": structure_id,
            "status": "ACTIVE",
            "name": fields["name"],
            "attrs": attrs,
            "created_at": tx.now,
            "updated_at": None,
        }
        ObjectRepository(tx.conn, tx.project_id).insert(row)
        _record(tx, structure, row, "created")
        return present.render(row)


def update(
    uow: UnitOfWork, project_id: str, structure_id: str, tier_id: str, fields: dict[str, Any]
) -> dict[str, Any]:
    """``PUT …/tiers/{tierId}``: the given fields change."""
    with uow.write(project_id) as tx:
        structure = require(tx, "tier_structure", structure_id, lock=True)
        row = _tier(tx, structure_id, tier_id)
        attrs = v2_tiers.tier_settings(fields, row["attrs"])
        if attrs["qualification_rules"] != row["attrs"]["qualification_rules"]:
            member_tiers.require_unassigned(tx, structure_id, "its tiers' points are fixed")
        _no_overlap(tx, structure_id, attrs, tier_id)
        values = {"attrs": attrs, "name": fields.get("name") or row["name"], "updated_at": tx.now}
        ObjectRepository(tx.conn, tx.project_id).update(tier_id, values)
        changed = {**row, **values}
        member_tiers.rename(tx, changed)
        _record(tx, structure, changed, "updated")
        return present.render(changed)


def delete(uow: UnitOfWork, project_id: str, structure_id: str, tier_id: str) -> dict[str, Any]:
    """``DELETE …/tiers/{tierId}``: the tier as it was."""
    with uow.write(project_id) as tx:
        structure = require(tx, "tier_structure", structure_id, lock=True)
        row = _tier(tx, structure_id, tier_id)
        member_tiers.require_unassigned(tx, structure_id, "no tier can be deleted")
        values = {"status": "DELETED", "updated_at": tx.now}
        ObjectRepository(tx.conn, tx.project_id).update(tier_id, values)
        gone = {**row, **values}
        _record(tx, structure, gone, "deleted")
        return present.render(gone)


def list_tiers(
    uow: UnitOfWork, project_id: str, structure_id: str, window: Window
) -> dict[str, Any]:
    """A page of the structure's tiers."""
    with uow.read(project_id) as tx:
        require(tx, "tier_structure", structure_id)
        rows = ObjectRepository(tx.conn, tx.project_id).page("tier", window, tx.now, structure_id)
    shown, cursor = windowed(rows, CURSOR, window.offset, window.limit)
    return present.page([present.render(r) for r in shown], cursor)
