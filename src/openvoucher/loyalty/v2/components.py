"""Loyalty v2 reusable components and their lifecycle: create, list, get, update, delete,
activate / deactivate / draft, and the activities each change leaves.

One generic store (``loyalty_v2_objects``) serves every kind; a :class:`Kind` names its ids,
its statuses and transitions and the function that checks and defaults its settings. A change
is one transaction that also appends the object's activity (the object as it became).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from openvoucher.catalog import campaigns
from openvoucher.kernel.clock import parse_datetime
from openvoucher.kernel.errors import NotFound, VoucherifyError
from openvoucher.kernel.ids import hex_id
from openvoucher.kernel.unit_of_work import Tx, UnitOfWork
from openvoucher.loyalty.domain import (
    v2_benefits,
    v2_card_definitions,
    v2_earning_rules,
    v2_rewards,
    v2_tiers,
)
from openvoucher.loyalty.domain.v2_card_definitions import invalid
from openvoucher.loyalty.presenters import v2 as present
from openvoucher.loyalty.repositories.v2 import (
    ActivityRepository,
    AssignmentRepository,
    ObjectRepository,
    Window,
)

Settings = Callable[[dict[str, Any], "dict[str, Any] | None"], dict[str, Any]]


@dataclass(frozen=True)
class Kind:
    """One kind of v2 object: ids, cursors, statuses and transitions."""

    name: str
    prefix: str
    activity_prefix: str
    cursor: str
    activity_cursor: str
    settings: Settings
    transitions: dict[str, tuple[frozenset[str], str]] = field(default_factory=dict)
    created: frozenset[str] = frozenset({"DRAFT", "ACTIVE"})
    shows_deleted: bool = True
    """Whether a deleted object renders as ``DELETED`` (an earning rule keeps its status)."""


ACTIVATE = frozenset({"DRAFT", "INACTIVE"})


def _program_settings(fields: dict[str, Any], current: dict[str, Any] | None) -> dict[str, Any]:
    base = current or {}
    hours = fields.get("validity_hours")
    if hours is not None and hours.get("type") != "ANY_TIME":
        raise v2_card_definitions.not_supported("validity_hours.type", "only ANY_TIME")
    found = {k: fields[k] if k in fields else base.get(k) for k in ("start_date", "end_date")}
    for name, value in found.items():
        if value is not None:
            _date(value, name)
    metadata = fields["metadata"] if "metadata" in fields else base.get("metadata")
    return {**found, "metadata": metadata or {}}


def _date(value: Any, name: str) -> datetime:
    try:
        return parse_datetime(value)
    except (TypeError, ValueError):
        raise invalid(f"{name} must be an ISO-8601 date-time") from None


def _dates(fields: dict[str, Any]) -> None:
    for name in ("start_date", "end_date"):
        if fields.get(name) is not None:
            _date(fields[name], name)


def _rule_settings(fields: dict[str, Any], current: dict[str, Any] | None) -> dict[str, Any]:
    _dates(fields)
    return v2_earning_rules.settings(fields, current)


def _reward_settings(fields: dict[str, Any], current: dict[str, Any] | None) -> dict[str, Any]:
    _dates(fields)
    return v2_rewards.settings(fields, current)


KINDS = {
    "card_definition": Kind(
        "card_definition",
        "lcdef_",
        "lacd_",
        "lcrscdef_",
        "lcrsacd_",
        v2_card_definitions.settings,
        {"activate": (frozenset({"DRAFT"}), "ACTIVE"), "draft": (frozenset({"ACTIVE"}), "DRAFT")},
    ),
    "earning_rule": Kind(
        "earning_rule",
        "lern_",
        "laer_",
        "lcrsern_",
        "lcrsaer_",
        _rule_settings,
        {
            "activate": (ACTIVATE, "ACTIVE"),
            "deactivate": (frozenset({"ACTIVE"}), "INACTIVE"),
            "draft": (frozenset({"ACTIVE", "INACTIVE"}), "DRAFT"),
        },
        shows_deleted=False,
    ),
    "reward": Kind(
        "reward",
        "lrew_",
        "larew_",
        "lcrsrew_",
        "lcrsarew_",
        _reward_settings,
        {
            "activate": (ACTIVATE, "ACTIVE"),
            "deactivate": (frozenset({"ACTIVE"}), "INACTIVE"),
            "draft": (frozenset({"ACTIVE", "INACTIVE"}), "DRAFT"),
        },
    ),
    "benefit": Kind(
        "benefit",
        "lben_",
        "laben_",
        "lcrsben_",
        "lcrsaben_",
        v2_benefits.settings,
        {"activate": (frozenset({"DRAFT"}), "ACTIVE"), "draft": (frozenset({"ACTIVE"}), "DRAFT")},
    ),
    "tier_structure": Kind(
        "tier_structure",
        "lts_",
        "lats_",
        "lcrsts_",
        "lcrsats_",
        v2_tiers.structure_settings,
        {
            "activate": (ACTIVATE, "ACTIVE"),
            "deactivate": (frozenset({"ACTIVE"}), "INACTIVE"),
            "draft": (frozenset({"ACTIVE", "INACTIVE"}), "DRAFT"),
        },
    ),
    "program": Kind(
        "program",
        "lprg_",
        "laprg_",
        "lcrsprg_",
        "lcrsapr_",
        _program_settings,
        {"activate": (ACTIVATE, "ACTIVE"), "deactivate": (frozenset({"ACTIVE"}), "INACTIVE")},
    ),
}
PAST = {"activate": "activated", "deactivate": "deactivated", "draft": "drafted"}


def conflict(details: str) -> VoucherifyError:
    """409: the change is not allowed in the object's current state."""
    return VoucherifyError("Invalid state transition", details, key="conflict", status=409)


def encode_cursor(prefix: str, offset: int) -> str:
    """The cursor of the page starting at ``offset``."""
    return f"{prefix}{offset:x}"


def decode_cursor(prefix: str, raw: str | None) -> int:
    """The offset a cursor stands for (0 without one); 400 for a cursor of another list."""
    if not raw:
        return 0
    digits = raw.removeprefix(prefix)
    if digits == raw or not digits or any(c not in "0123456789abcdef" for c in digits):
        raise VoucherifyError(
            "Invalid query params",
            f"cursor must be one this list returned ({prefix}…)",
            key="invalid_query_params",
        )
    return int(digits, 16)


def windowed(
    rows: list[dict[str, Any]], prefix: str, offset: int, limit: int
) -> tuple[list[dict[str, Any]], str | None]:
    """The page's rows and the next page's cursor (None on the last page)."""
    more = len(rows) > limit
    return rows[:limit], encode_cursor(prefix, offset + limit) if more else None


def require(tx: Tx, kind: str, ident: str, *, lock: bool = False) -> dict[str, Any]:
    """The live ``kind`` object, or 404."""
    row = ObjectRepository(tx.conn, tx.project_id).of_kind(kind, ident, lock=lock)
    if row is None or row["status"] == "DELETED":
        raise NotFound(kind, ident)
    return row


def record(tx: Tx, kind: str, row: dict[str, Any], what: str) -> None:
    """Append the object's ``vl.<kind>.<what>`` activity carrying it as it is now."""
    spec = KINDS[kind]
    ActivityRepository(tx.conn, tx.project_id).insert(
        {
            "id": hex_id(spec.activity_prefix),
            "subject_id": row["id"],
            "type": f"vl.{kind}.{what}",
            "attrs": {"data": {kind: present.render(row)}},
            "created_at": tx.now,
        }
    )


def _check_campaign(tx: Tx, wanted: tuple[str, str] | None) -> None:
    """A digital benefit's or reward's campaign exists (404) and is of its type (400)."""
    if wanted is None:
        return
    ident, campaign_type = wanted
    found = campaigns.require(tx, ident)
    if found["id"] != ident:
        raise NotFound("campaign", ident)
    if found["campaign_type"] != campaign_type:
        kind = found["campaign_type"]
        raise invalid(f"Campaign {ident} is a {kind} campaign, not {campaign_type}")


def _check_refs(tx: Tx, kind: str, attrs: dict[str, Any]) -> None:
    found: set[str] = set()
    if kind == "earning_rule":
        found = v2_earning_rules.card_definitions(attrs)
        for ident in sorted(v2_earning_rules.benefits(attrs)):
            require(tx, "benefit", ident)
    elif kind == "reward":
        found = v2_rewards.wallets(attrs)
        _check_campaign(tx, v2_benefits.campaign(attrs))
    elif kind == "benefit":
        found = v2_benefits.wallets(attrs)
        _check_campaign(tx, v2_benefits.campaign(attrs))
    elif kind == "tier_structure":
        found = v2_tiers.wallets(attrs)
    if kind == "earning_rule":
        from openvoucher.loyalty.v2 import event_earning, member_tiers  # they build on this

        member_tiers.check_tier_refs(tx, attrs)
        event_earning.check_trigger(tx, attrs)
    for ident in sorted(found):
        wallet = require(tx, "card_definition", ident)
        if kind == "benefit" and wallet["status"] != "ACTIVE":
            raise conflict(f"Card definition {ident} is {wallet['status']}: activate it first")


def create_in(tx: Tx, kind: str, fields: dict[str, Any]) -> dict[str, Any]:
    """Store a new ``kind`` object (its activity too); the row."""
    spec = KINDS[kind]
    if not fields.get("name"):
        raise invalid("name is required")
    status = fields.get("status") or "DRAFT"
    if status not in spec.created:
        raise invalid(f"status must be one of {', '.join(sorted(spec.created))} on create")
    attrs = spec.settings(fields, None)
    _check_refs(tx, kind, attrs)
    row = {
        "id": hex_id(spec.prefix),
        "kind": kind,
        "parent_id": None,
        "status": status,
        "name": fields["name"],
        "attrs": attrs,
        "created_at": tx.now,
        "updated_at": None,
    }
    ObjectRepository(tx.conn, tx.project_id).insert(row)
    record(tx, kind, row, "created")
    return row


def create(uow: UnitOfWork, project_id: str, kind: str, fields: dict[str, Any]) -> dict[str, Any]:
    """``POST /v2/loyalties/<kind>s``."""
    with uow.write(project_id) as tx:
        return present.render(create_in(tx, kind, fields))


def get(uow: UnitOfWork, project_id: str, kind: str, ident: str) -> dict[str, Any]:
    """One object."""
    with uow.read(project_id) as tx:
        return present.render(require(tx, kind, ident))


def _in_active_program(tx: Tx, ident: str) -> str | None:
    repo = ObjectRepository(tx.conn, tx.project_id)
    for assignment in AssignmentRepository(tx.conn, tx.project_id).of_component(ident):
        found = repo.of_kind("program", assignment["program_id"])
        if found is not None and found["status"] == "ACTIVE":
            return str(found["id"])
    return None


def _fixed_while_assigned(tx: Tx, kind: str, ident: str, changed: set[str]) -> None:
    """409: a tier structure a programme uses keeps its rules and status (name and metadata
    may change)."""
    repo = AssignmentRepository(tx.conn, tx.project_id)
    if kind == "tier_structure" and changed and repo.of_component(ident):
        raise conflict(f"Tier structure {ident} is assigned to a program: {sorted(changed)}")


def update(
    uow: UnitOfWork, project_id: str, kind: str, ident: str, fields: dict[str, Any]
) -> dict[str, Any]:
    """``PUT``: the given fields change; a wallet of an active programme cannot (409)."""
    with uow.write(project_id) as tx:
        row = require(tx, kind, ident, lock=True)
        if kind == "card_definition" and (program := _in_active_program(tx, ident)):
            raise conflict(f"Card definition {ident} belongs to active program {program}")
        _fixed_while_assigned(tx, kind, ident, set(fields) - {"name", "metadata"})
        frozen = sorted(set(fields) - v2_benefits.ACTIVE_CHANGES)
        if kind == "benefit" and row["status"] == "ACTIVE" and frozen:
            raise conflict(f"An ACTIVE benefit changes only name and stock, not {frozen}")
        attrs = KINDS[kind].settings(fields, row["attrs"])
        _check_refs(tx, kind, attrs)
        values = {"attrs": attrs, "name": fields.get("name") or row["name"], "updated_at": tx.now}
        ObjectRepository(tx.conn, tx.project_id).update(ident, values)
        changed = {**row, **values}
        record(tx, kind, changed, "updated")
        return present.render(changed)


def delete(uow: UnitOfWork, project_id: str, kind: str, ident: str) -> dict[str, Any]:
    """``DELETE``: the object becomes DELETED (409 while a programme uses it or, for a
    programme, while it is active)."""
    with uow.write(project_id) as tx:
        row = require(tx, kind, ident, lock=True)
        if kind == "program" and row["status"] == "ACTIVE":
            raise conflict(f"Deactivate program {ident} before deleting it")
        if kind != "program" and AssignmentRepository(tx.conn, tx.project_id).of_component(ident):
            raise conflict(f"{kind} {ident} is assigned to a program: unassign it first")
        values = {"status": "DELETED", "updated_at": tx.now}
        ObjectRepository(tx.conn, tx.project_id).update(ident, values)
        gone = {**row, **values} if KINDS[kind].shows_deleted else {**row, "updated_at": tx.now}
        record(tx, kind, gone, "deleted")
        return present.render(gone)


def transition_in(tx: Tx, kind: str, ident: str, action: str) -> dict[str, Any]:
    """Move the object by ``action`` (activate / deactivate / draft); 409 from a status the
    action does not leave."""
    row = require(tx, kind, ident, lock=True)
    _fixed_while_assigned(tx, kind, ident, {"status"} if action != "activate" else set())
    sources, target = KINDS[kind].transitions[action]
    if row["status"] not in sources:
        raise conflict(f"Cannot {action} {kind} {ident}: it is {row['status']}")
    values = {"status": target, "updated_at": tx.now}
    ObjectRepository(tx.conn, tx.project_id).update(ident, values)
    moved = {**row, **values}
    record(tx, kind, moved, PAST[action])
    return moved


def transition(
    uow: UnitOfWork, project_id: str, kind: str, ident: str, action: str
) -> dict[str, Any]:
    """``POST …/{id}/<action>``."""
    with uow.write(project_id) as tx:
        return present.render(transition_in(tx, kind, ident, action))


def list_objects(uow: UnitOfWork, project_id: str, kind: str, window: Window) -> dict[str, Any]:
    """A page of live ``kind`` objects."""
    with uow.read(project_id) as tx:
        rows = ObjectRepository(tx.conn, tx.project_id).page(kind, window, tx.now)
    shown, cursor = windowed(rows, KINDS[kind].cursor, window.offset, window.limit)
    return present.page([present.render(r) for r in shown], cursor)


def activities(
    uow: UnitOfWork, project_id: str, kind: str, ident: str, window: Window
) -> dict[str, Any]:
    """A page of the object's activities (newest first unless ``order`` is ``created_at``)."""
    newest = window.order != ("created_at",)
    with uow.read(project_id) as tx:
        found = ObjectRepository(tx.conn, tx.project_id).of_kind(kind, ident)
        if found is None:
            raise NotFound(kind, ident)
        rows = ActivityRepository(tx.conn, tx.project_id).page(
            ident, window.offset, window.limit, newest
        )
    shown, cursor = windowed(rows, KINDS[kind].activity_cursor, window.offset, window.limit)
    return present.page([present.activity(r, kind) for r in shown], cursor)
