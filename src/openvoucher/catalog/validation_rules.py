"""Validation rules: create, read, update, delete, list; assignments to vouchers, campaigns and
promotion tiers.

``assign`` serves the ``validation_rules`` field of voucher, campaign and tier bodies, and
``rendered_assignments`` their assignment lists; the evaluation's rule
reading lives in :mod:`openvoucher.checkout.rule_checks`.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from openvoucher.catalog.domain import validation_rules as domain
from openvoucher.catalog.domain.rule_contexts import CONTEXT_TYPES
from openvoucher.catalog.model import RuleCopy
from openvoucher.catalog.presenters import validation_rules as present
from openvoucher.catalog.presenters.campaigns import simple_campaign
from openvoucher.catalog.presenters.vouchers import simple_voucher
from openvoucher.catalog.presenters.vouchers import voucher as render_voucher
from openvoucher.catalog.repositories.campaigns import CampaignRepository
from openvoucher.catalog.repositories.validation_rules import (
    AssignmentRepository,
    ValidationRuleRepository,
)
from openvoucher.catalog.repositories.vouchers import VoucherRepository
from openvoucher.checkout.presenters.promotions import promotion_tier, simple_promotion_tier
from openvoucher.checkout.repositories.promotions import PromotionTierRepository
from openvoucher.kernel.clock import iso
from openvoucher.kernel.errors import DuplicateFound, InvalidPayload, NotFound
from openvoucher.kernel.events import Event
from openvoucher.kernel.ids import new_id
from openvoucher.kernel.unit_of_work import Tx, UnitOfWork

TYPES = {"expression", "basic", "advanced", "complex"}
RELATED_TYPES = {"voucher", "campaign", "promotion_tier"}
"""What rules can be assigned to here (earning rules name their rule by ``validation_rule_id``;
distributions and reward assignments have no rule evaluation, so assigning to them is refused)."""
EVENT_PREFIX = "business_validation_rule"


def _invalid(details: str) -> InvalidPayload:
    return InvalidPayload("Invalid payload", details)


def _attrs(fields: dict[str, Any], current: dict[str, Any] | None) -> dict[str, Any]:
    """The stored shape: given fields checked; absent or null ones kept from ``current``
    (the SDK sends null for every field it was not given)."""
    base = dict(current or {})
    if fields.get("rules") is not None or current is None:
        base["rules"] = domain.check_rules(fields.get("rules") or {})
    if fields.get("applicable_to") is not None or current is None:
        base["applicable_to"] = domain.check_applicable_to(fields.get("applicable_to"))
    if fields.get("error") is not None or current is None:
        error = fields.get("error")
        if error is not None and not isinstance(error, dict):
            raise _invalid("error must be an object with a message")
        base["error"] = {"message": error["message"]} if error and error.get("message") else None
    if fields.get("bundle_rules"):
        raise _invalid("bundle_rules are not supported")
    base["bundle_rules"] = {}
    kind = fields.get("type") or base.get("type") or "expression"
    if kind not in TYPES:
        raise _invalid(f"type must be one of: {', '.join(sorted(TYPES))}")
    context = fields.get("context_type") or base.get("context_type") or "global"
    if context not in CONTEXT_TYPES:
        raise _invalid(f"context_type {context} is not a Voucherify context type")
    return {**base, "type": kind, "context_type": context}


def _require(tx: Tx, rule_id: str) -> dict[str, Any]:
    row = ValidationRuleRepository(tx.conn, tx.project_id).get(rule_id)
    if row is None:
        raise NotFound("validation_rule", rule_id)
    return row


def _render(tx: Tx, row: dict[str, Any]) -> dict[str, Any]:
    counts = ValidationRuleRepository(tx.conn, tx.project_id).assignment_counts([row["id"]])
    return present.rule(row, counts.get(row["id"], 0))


def _name(fields: dict[str, Any]) -> str:
    name = fields.get("name")
    if not isinstance(name, str) or not name.strip():
        raise _invalid("name is required")
    return name


def create(uow: UnitOfWork, project_id: str, fields: dict[str, Any]) -> dict[str, Any]:
    """``POST /v1/validation-rules``; emits ``business_validation_rule.created``."""
    name = _name(fields)
    attrs = _attrs(fields, None)
    with uow.write(project_id) as tx:
        return _insert(tx, name, attrs)


def _insert(tx: Tx, name: str, attrs: dict[str, Any]) -> dict[str, Any]:
    """Store a new rule and emit ``business_validation_rule.created``; its rendered body."""
    rule_id = new_id("validation_rule", 12)
    row = {"id": rule_id, "name": name, "attrs": attrs, "created_at": tx.now}
    ValidationRuleRepository(tx.conn, tx.project_id).insert({**row, "updated_at": None})
    body = _render(tx, _require(tx, rule_id))
    data = {"rule": body, "created_at": iso(tx.now)}
    tx.emit(Event(f"{EVENT_PREFIX}.created", data, entity_id=rule_id))
    return body


def copies_of(tx: Tx, rule_ids: Iterable[str]) -> tuple[RuleCopy, ...]:
    """What re-creates these rules elsewhere (campaign templates)."""
    wanted = list(rule_ids)
    rules = ValidationRuleRepository(tx.conn, tx.project_id).get_many(wanted)
    return tuple(RuleCopy(rules[i]["name"], rules[i]["attrs"]) for i in wanted if i in rules)


def insert_copies(tx: Tx, copies: Iterable[RuleCopy]) -> list[str]:
    """New rules made from :func:`copies_of` (in ``tx``'s project); their ids."""
    return [_insert(tx, copy.name, copy.attrs)["id"] for copy in copies]


def assigned_ids(tx: Tx, related_type: str, related_id: str) -> list[str]:
    """The ids of the rules assigned to one voucher or campaign, oldest assignment first."""
    rows = AssignmentRepository(tx.conn, tx.project_id).of_objects([(related_type, related_id)])
    return [row["rule_id"] for row in rows]


def get(uow: UnitOfWork, project_id: str, rule_id: str) -> dict[str, Any]:
    """``GET /v1/validation-rules/{id}``."""
    with uow.read(project_id) as tx:
        return _render(tx, _require(tx, rule_id))


def update(
    uow: UnitOfWork, project_id: str, rule_id: str, fields: dict[str, Any]
) -> dict[str, Any]:
    """``PUT /v1/validation-rules/{id}``: the given fields change at once for every assignment."""
    with uow.write(project_id) as tx:
        row = _require(tx, rule_id)
        values: dict[str, Any] = {"attrs": _attrs(fields, row["attrs"]), "updated_at": tx.now}
        if "name" in fields:
            values["name"] = _name(fields)
        ValidationRuleRepository(tx.conn, tx.project_id).update(rule_id, values)
        body = _render(tx, _require(tx, rule_id))
        data = {"rule": body, "updated_at": iso(tx.now)}
        tx.emit(Event(f"{EVENT_PREFIX}.updated", data, entity_id=rule_id))
        return body


def delete(uow: UnitOfWork, project_id: str, rule_id: str) -> None:
    """``DELETE /v1/validation-rules/{id}``: the rule and its assignments go."""
    with uow.write(project_id) as tx:
        body = _render(tx, _require(tx, rule_id))
        ValidationRuleRepository(tx.conn, tx.project_id).delete(rule_id)
        data = {"rule": body, "deleted_at": iso(tx.now)}
        tx.emit(Event(f"{EVENT_PREFIX}.deleted", data, entity_id=rule_id))


def list_rules(
    uow: UnitOfWork, project_id: str, *, order: str, limit: int, offset: int, since: Any, until: Any
) -> dict[str, Any]:
    """``GET /v1/validation-rules``."""
    with uow.read(project_id) as tx:
        repo = ValidationRuleRepository(tx.conn, tx.project_id)
        rows, total = repo.page(order=order, limit=limit, offset=offset, since=since, until=until)
        counts = repo.assignment_counts(row["id"] for row in rows)
        return present.rules_list(rows, counts, total)


def _related(tx: Tx, related_type: str, related_id: str) -> dict[str, Any]:
    """The voucher (by id or code), promotion tier (by id) or campaign (by id or name) an
    assignment names."""
    if related_type == "voucher":
        found = VoucherRepository(tx.conn, tx.project_id).get_by_code_or_id(related_id)
    elif related_type == "promotion_tier":
        found = PromotionTierRepository(tx.conn, tx.project_id).get(related_id)
    else:
        found = CampaignRepository(tx.conn, tx.project_id).get_by_id_or_name(related_id)
    if found is None:
        raise NotFound(related_type, related_id)
    return found


def _event_data(tx: Tx, rule: dict[str, Any], row: dict[str, Any]) -> dict[str, Any]:
    """``{rule, assignment, voucher | promotion_tier | campaign}`` of the assignment events."""
    data: dict[str, Any] = {"rule": _render(tx, rule), "assignment": present.assignment(row)}
    target = _related(tx, row["related_object_type"], row["related_object_id"])
    if row["related_object_type"] == "voucher":
        data["voucher"] = simple_voucher(render_voucher(target, tx.base_url))
    elif row["related_object_type"] == "promotion_tier":
        data["promotion_tier"] = simple_promotion_tier(promotion_tier(target))
    else:
        data["campaign"] = simple_campaign(target)
    return data


def _assign(tx: Tx, rule: dict[str, Any], related_type: str, related_id: str) -> dict[str, Any]:
    repo = AssignmentRepository(tx.conn, tx.project_id)
    if repo.find(rule["id"], related_type, related_id) is not None:
        raise DuplicateFound(
            "Duplicated resource", f"{rule['id']} is already assigned to {related_id}"
        )
    row = {
        "id": new_id("validation_rule_assignment", 16),
        "rule_id": rule["id"],
        "related_object_type": related_type,
        "related_object_id": related_id,
        "created_at": tx.now,
    }
    repo.insert(row)
    data = _event_data(tx, rule, row)
    tx.emit(Event(f"{EVENT_PREFIX}.assignment.created", data, entity_id=rule["id"]))
    return row


def _unassign(tx: Tx, rule: dict[str, Any], row: dict[str, Any]) -> None:
    data = _event_data(tx, rule, row)
    AssignmentRepository(tx.conn, tx.project_id).delete(row["id"])
    tx.emit(Event(f"{EVENT_PREFIX}.assignment.deleted", data, entity_id=rule["id"]))


def create_assignment(
    uow: UnitOfWork, project_id: str, rule_id: str, fields: dict[str, Any], *, force: bool
) -> dict[str, Any]:
    """``POST /v1/validation-rules/{id}/assignments``; ``force`` replaces an equal one."""
    related_type = fields.get("related_object_type") or "voucher"
    if related_type not in RELATED_TYPES:
        raise _invalid(
            f"validation rules can be assigned to vouchers, campaigns and promotion tiers "
            f"only here, not to a {related_type}"
        )
    if not fields.get("related_object_id"):
        raise _invalid("related_object_id is required")
    with uow.write(project_id) as tx:
        rule = _require(tx, rule_id)
        target = _related(tx, related_type, fields["related_object_id"])
        existing = AssignmentRepository(tx.conn, tx.project_id).find(
            rule_id, related_type, target["id"]
        )
        if existing is not None and force:
            _unassign(tx, rule, existing)
        return present.assignment(_assign(tx, rule, related_type, target["id"]))


def delete_assignment(uow: UnitOfWork, project_id: str, rule_id: str, assignment_id: str) -> None:
    """``DELETE /v1/validation-rules/{id}/assignments/{assignmentId}``."""
    with uow.write(project_id) as tx:
        rule = _require(tx, rule_id)
        row = AssignmentRepository(tx.conn, tx.project_id).get(assignment_id)
        if row is None or row["rule_id"] != rule_id:
            raise NotFound("validation_rules_assignment", assignment_id)
        _unassign(tx, rule, row)


def list_assignments(
    uow: UnitOfWork,
    project_id: str,
    *,
    rule_id: str | None,
    related_id: str | None,
    order: str,
    limit: int,
    offset: int,
    rule_must_exist: bool = False,
) -> dict[str, Any]:
    """Assignments of a rule and/or to an object, one page (404 for an unknown rule when
    ``rule_must_exist``)."""
    with uow.read(project_id) as tx:
        if rule_must_exist and rule_id is not None:
            _require(tx, rule_id)
        rows, total = AssignmentRepository(tx.conn, tx.project_id).page(
            order=order, limit=limit, offset=offset, rule_id=rule_id, related_id=related_id
        )
        return present.assignments_list(rows, total)


def assign(tx: Tx, related_type: str, related_id: str, rule_ids: Iterable[str] | None) -> None:
    """Make ``rule_ids`` the rules assigned to a voucher, campaign or promotion tier
    (``validation_rules``).

    Assignments already there stay; rules no longer listed are unassigned.
    """
    wanted = list(dict.fromkeys(rule_ids or []))
    rules = ValidationRuleRepository(tx.conn, tx.project_id).get_many(wanted)
    for rule_id in wanted:
        if rule_id not in rules:
            raise NotFound("validation_rule", rule_id)
    current = AssignmentRepository(tx.conn, tx.project_id).of_objects([(related_type, related_id)])
    have = {row["rule_id"]: row for row in current}
    for rule_id, row in have.items():
        if rule_id not in rules:
            _unassign(tx, _require(tx, rule_id), row)
    for rule_id in wanted:
        if rule_id not in have:
            _assign(tx, rules[rule_id], related_type, related_id)


def rendered_assignments(tx: Tx, related_type: str, ids: Iterable[str]) -> dict[str, Any]:
    """``validation_rules_assignments`` lists of these vouchers or campaigns, by id."""
    wanted = list(ids)
    rows = AssignmentRepository(tx.conn, tx.project_id).of_objects(
        (related_type, ident) for ident in wanted
    )
    found: dict[str, list[dict[str, Any]]] = {ident: [] for ident in wanted}
    for row in rows:
        found[row["related_object_id"]].append(row)
    return {ident: present.assignments_list(mine) for ident, mine in found.items()}


def with_assignments(
    tx: Tx,
    related_type: str,
    bodies: list[dict[str, Any]],
    key: str = "validation_rules_assignments",
) -> None:
    """Fill in the assignment lists (``key``) of rendered vouchers, campaigns or tiers."""
    lists = rendered_assignments(tx, related_type, (body["id"] for body in bodies))
    for body in bodies:
        body[key] = lists[body["id"]]


def forget(tx: Tx, related_type: str, related_id: str) -> None:
    """Drop the assignments of a voucher, campaign or promotion tier that is being deleted."""
    AssignmentRepository(tx.conn, tx.project_id).delete_of_object(related_type, related_id)


def forget_deleted_objects(tx: Tx) -> None:
    """Drop the assignments of vouchers and promotion tiers that no longer exist (after a
    campaign's deletion)."""
    AssignmentRepository(tx.conn, tx.project_id).delete_of_missing()


def exists(tx: Tx, rule_id: str) -> bool:
    """Whether the project has this validation rule."""
    return ValidationRuleRepository(tx.conn, tx.project_id).get(rule_id) is not None


def assign_imported(tx: Tx, wanted: list[tuple[str, list[str]]]) -> None:
    """Assign rules to imported vouchers (``(voucher_id, rule_ids)``), without per-voucher
    events, as imports emit none."""
    rows = [
        {
            "id": new_id("validation_rule_assignment", 16),
            "rule_id": rule_id,
            "related_object_type": "voucher",
            "related_object_id": voucher_id,
            "created_at": tx.now,
        }
        for voucher_id, rule_ids in wanted
        for rule_id in dict.fromkeys(rule_ids)
    ]
    AssignmentRepository(tx.conn, tx.project_id).insert_many(rows)
