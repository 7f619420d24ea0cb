"""Stacking rules: Voucherify's defaults until a project sets its own through the management API.

``get_effective(tx)`` is what validations, redemptions and qualifications hand the stacking
engine (as a :class:`~openvoucher.checkout.domain.stacking_policy.Policy`): the project's
rules merged over :data:`DEFAULTS`, in the open transaction; ``with_categories`` gives the
redeemables the categories (own, else their campaign's) the rules judge them by.
Rules naming unknown categories, or limits beyond ``redeemables_limit``, are refused (400).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import replace
from typing import Any

from openvoucher.catalog.repositories.campaigns import CampaignRepository
from openvoucher.catalog.repositories.categories import CategoryRepository
from openvoucher.checkout.domain.redeemables import VoucherFacts
from openvoucher.checkout.domain.stacking_policy import Category
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


STACKING_RULES_KEYS = (
    "redeemables_limit",
    "applicable_redeemables_limit",
    "applicable_redeemables_per_category_limit",
    "applicable_redeemables_category_limits",
    "applicable_exclusive_redeemables_limit",
    "applicable_exclusive_redeemables_per_category_limit",
    "exclusive_categories",
    "joint_categories",
    "redeemables_application_mode",
    "redeemables_sorting_rule",
    "redeemables_products_application_mode",
    "redeemables_no_effect_rule",
    "no_effect_skip_categories",
    "no_effect_redeem_anyway_categories",
    "redeemables_rollback_order_mode",
)
"""The fields of the ``stacking_rules`` a validation or qualification reports."""

CATEGORY_LISTS = (
    "exclusive_categories",
    "joint_categories",
    "no_effect_skip_categories",
    "no_effect_redeem_anyway_categories",
    "initial_amount_mode_categories",
    "discounted_amount_mode_categories",
)
"""The rules' fields that name categories (by id)."""

BELOW_REDEEMABLES_LIMIT = (
    "applicable_redeemables_limit",
    "applicable_redeemables_per_category_limit",
    "applicable_exclusive_redeemables_limit",
    "applicable_exclusive_redeemables_per_category_limit",
)
"""Limits that cannot exceed ``redeemables_limit``."""


def reported(rules: Mapping[str, Any]) -> dict[str, Any]:
    """The rules in force (``get_effective``), as a validation's ``stacking_rules``."""
    return {key: rules[key] for key in STACKING_RULES_KEYS}


def with_categories(
    tx: Tx, facts: Mapping[str, VoucherFacts], rows: Mapping[str, Mapping[str, Any]]
) -> dict[str, VoucherFacts]:
    """``facts`` with their categories; ``rows``: the voucher or tier rows by their id (a
    redeemable's own ``category_id``, else its campaign's)."""
    own = {ident: _own_category(row) for ident, row in rows.items()}
    lacking = [row["campaign_id"] for i, row in rows.items() if not own[i] and row["campaign_id"]]
    of_campaign = CampaignRepository(tx.conn, tx.project_id).category_ids(lacking)
    chosen = {i: own[i] or of_campaign.get(rows[i]["campaign_id"] or "") for i in rows}
    typed = {  # a voucher row comes with its own category's hierarchy joined
        str(row["category_id"]): Category(str(row["category_id"]), int(row["category_hierarchy"]))
        for row in rows.values()
        if row.get("category_id") and row.get("category_hierarchy") is not None
    }
    unread = {c for c in chosen.values() if c and c not in typed}
    found = CategoryRepository(tx.conn, tx.project_id).get_many(unread)
    typed.update({key: Category(key, row.hierarchy) for key, row in found.items()})
    found_for = {i: (typed[c],) if c in typed else () for i, c in chosen.items()}
    return {
        key: one
        if one.categories == (wanted := found_for.get(one.id, ()))
        else replace(one, categories=wanted)
        for key, one in facts.items()
    }


def _own_category(row: Mapping[str, Any]) -> str | None:
    found = row.get("category_id") or (row.get("attrs") or {}).get("category_id")
    return str(found) if found else None


def _named_categories(rules: dict[str, Any]) -> Iterable[str]:
    """Every category id the rules name."""
    for key in CATEGORY_LISTS:
        yield from rules.get(key) or []
    yield from rules.get("applicable_redeemables_category_limits") or {}


def _check_categories(tx: Tx, rules: dict[str, Any]) -> None:
    """Every category the rules name exists in the project."""
    named = sorted(set(_named_categories(rules)))
    known = CategoryRepository(tx.conn, tx.project_id).get_many(named)
    unknown = [ident for ident in named if ident not in known]
    if unknown:
        raise InvalidPayload(
            "Invalid payload", f"Unknown categories in stacking rules: {', '.join(unknown)}"
        )


def _check(tx: Tx, rules: dict[str, Any]) -> dict[str, Any]:
    """Cross-field checks on the merged rules (single fields are checked at the edge)."""
    for key in BELOW_REDEEMABLES_LIMIT:
        if rules[key] > rules["redeemables_limit"]:
            raise InvalidPayload("Invalid payload", f"{key} must not exceed redeemables_limit")
    for key, limit in (rules["applicable_redeemables_category_limits"] or {}).items():
        if limit > rules["applicable_redeemables_limit"]:
            raise InvalidPayload(
                "Invalid payload",
                f"applicable_redeemables_category_limits.{key} exceeds "
                "applicable_redeemables_limit",
            )
    if rules["applicable_redeemables_per_category_limit"] > rules["applicable_redeemables_limit"]:
        raise InvalidPayload(
            "Invalid payload",
            "applicable_redeemables_per_category_limit exceeds applicable_redeemables_limit",
        )
    _check_categories(tx, rules)
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
        rules = _check(tx, {**DEFAULTS, **fields})
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
        rules = _check(tx, {**DEFAULTS, **row["rules"], **fields})
        repo = StackingRulesRepository(tx.conn, tx.project_id)
        repo.update(row["id"], {"rules": rules, "updated_at": tx.now})
        return _view(tx, repo.get(row["id"]))


def delete(uow: UnitOfWork, project_id: str, rules_id: str) -> None:
    """Drop the project's own rules: the defaults apply again."""
    with uow.write(project_id) as tx:
        row = _require(tx, rules_id)
        StackingRulesRepository(tx.conn, tx.project_id).delete(row["id"])
