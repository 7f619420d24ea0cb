"""Stacking rules: Voucherify's defaults until a project sets its own through the management API.

``get_effective(tx)`` is what validations and redemptions read: the project's rules merged over
:data:`DEFAULTS`, in the open transaction.
"""

from __future__ import annotations

from typing import Any

from openvoucher.kernel.errors import DuplicateFound, InvalidPayload, NotFound
from openvoucher.kernel.ids import new_id
from openvoucher.kernel.unit_of_work import Tx, UnitOfWork
from openvoucher.platform.repositories import projects as project_repo
from openvoucher.platform.repositories.project_settings import StackingRulesRepository

DEFAULTS: dict[str, Any] = {
    "exclusive_categories": [],
    "joint_categories": [],
    "redeemables_limit": 30,
    "applicable_redeemables_limit": 5,
    "applicable_redeemables_per_category_limit": 1,
    "applicable_redeemables_category_limits": {},
    "applicable_exclusive_redeemables_limit": 1,
    "applicable_exclusive_redeemables_per_category_limit": 1,
    "discount_calculation_mode": "DISCOUNTED_AMOUNT",
    "initial_amount_mode_categories": [],
    "discounted_amount_mode_categories": [],
    "redeemables_application_mode": "ALL",
    "redeemables_sorting_rule": "REQUESTED_ORDER",
    "redeemables_products_application_mode": "STACK",
    "redeemables_no_effect_rule": "REDEEM_ANYWAY",
    "no_effect_skip_categories": [],
    "no_effect_redeem_anyway_categories": [],
    "redeemables_rollback_order_mode": "WITH_ORDER",
}
"""Voucherify's default stacking rules (also what a project gets back after DELETE)."""


def get_effective(tx: Tx) -> dict[str, Any]:
    """The rules in force for ``tx``'s project: its own merged over the defaults."""
    row = StackingRulesRepository(tx.conn, tx.project_id).current()
    return {**DEFAULTS, **(row["rules"] if row else {})}


def _check(rules: dict[str, Any]) -> dict[str, Any]:
    """Cross-field checks on the merged rules (single fields are checked at the edge)."""
    if rules["applicable_redeemables_limit"] > rules["redeemables_limit"]:
        raise InvalidPayload(
            "Invalid payload", "applicable_redeemables_limit must not exceed redeemables_limit"
        )
    if rules["applicable_redeemables_per_category_limit"] > rules["applicable_redeemables_limit"]:
        raise InvalidPayload(
            "Invalid payload",
            "applicable_redeemables_per_category_limit exceeds applicable_redeemables_limit",
        )
    overlap = set(rules["no_effect_skip_categories"]) & set(
        rules["no_effect_redeem_anyway_categories"]
    )
    if overlap:
        raise InvalidPayload(
            "Invalid payload",
            f"Categories cannot be in both no-effect lists: {', '.join(sorted(overlap))}",
        )
    return rules


def _require_project(tx: Tx) -> None:
    if project_repo.get_project(tx.conn, tx.project_id) is None:
        raise NotFound("project", tx.project_id)


def _view(tx: Tx, row: dict[str, Any] | None) -> dict[str, Any]:
    return {"row": row, "rules": get_effective(tx)}


def create(uow: UnitOfWork, project_id: str, fields: dict[str, Any]) -> dict[str, Any]:
    """Replace the defaults with the project's own rules; 409 when it already has some."""
    with uow.write(project_id) as tx:
        _require_project(tx)
        repo = StackingRulesRepository(tx.conn, tx.project_id)
        if repo.current() is not None:
            raise DuplicateFound(
                "Duplicated resource", "The project already has stacking rules; update them"
            )
        rules = _check({**DEFAULTS, **fields})
        row = {"id": new_id("stacking_rules"), "rules": rules, "created_at": tx.now}
        repo.insert({**row, "updated_at": None})
        return _view(tx, repo.current())


def _require(tx: Tx, rules_id: str) -> dict[str, Any]:
    _require_project(tx)
    row = StackingRulesRepository(tx.conn, tx.project_id).get(rules_id)
    if row is None:
        raise NotFound("stacking_rules", rules_id)
    return row


def get(uow: UnitOfWork, project_id: str, rules_id: str) -> dict[str, Any]:
    """The project's own rules by id."""
    with uow.read(project_id) as tx:
        return _view(tx, _require(tx, rules_id))


def list_rules(uow: UnitOfWork, project_id: str) -> dict[str, Any]:
    """The rules in force: the project's own, or the defaults (which have no id)."""
    with uow.read(project_id) as tx:
        _require_project(tx)
        return _view(tx, StackingRulesRepository(tx.conn, tx.project_id).current())


def update(
    uow: UnitOfWork, project_id: str, rules_id: str, fields: dict[str, Any]
) -> dict[str, Any]:
    """Change the given fields (arrays are replaced, not merged)."""
    with uow.write(project_id) as tx:
        row = _require(tx, rules_id)
        rules = _check({**DEFAULTS, **row["rules"], **fields})
        repo = StackingRulesRepository(tx.conn, tx.project_id)
        repo.update(row["id"], {"rules": rules, "updated_at": tx.now})
        return _view(tx, repo.get(row["id"]))


def delete(uow: UnitOfWork, project_id: str, rules_id: str) -> None:
    """Drop the project's own rules: the defaults apply again."""
    with uow.write(project_id) as tx:
        row = _require(tx, rules_id)
        StackingRulesRepository(tx.conn, tx.project_id).delete(row["id"])
