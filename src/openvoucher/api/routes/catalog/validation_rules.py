"""``/v1/validation-rules`` and ``/v1/validation-rules-assignments``."""

from __future__ import annotations

from typing import Any

from openvoucher.api.params import bool_param, choice_param, date_param, page_params
from openvoucher.api.routing import ApiRequest, Routes
from openvoucher.api.schemas.customers import given
from openvoucher.api.schemas.validation_rules import AssignmentFields, ValidationRuleFields
from openvoucher.catalog import validation_rules

routes = Routes()

RULE_ORDERS = {"created_at", "-created_at", "updated_at", "-updated_at", "name", "-name"}
ASSIGNMENT_ORDERS = {"created_at", "-created_at"}


@routes.post("/v1/validation-rules")
def create_rule(request: ApiRequest) -> dict[str, Any]:
    """Create a validation rule (its rules are checked; unknown names are a 400)."""
    fields = given(request.json(ValidationRuleFields))
    return validation_rules.create(request.uow, request.project_id, fields)


@routes.get("/v1/validation-rules")
def list_rules(request: ApiRequest) -> dict[str, Any]:
    """A page of validation rules."""
    q = request.query
    page = page_params(q)
    return validation_rules.list_rules(
        request.uow,
        request.project_id,
        order=choice_param(q, "order", RULE_ORDERS, "-created_at"),
        limit=page.limit,
        offset=page.offset,
        since=date_param(q, "start_date"),
        until=date_param(q, "end_date"),
    )


@routes.get("/v1/validation-rules/{validationRuleId}")
def get_rule(request: ApiRequest) -> dict[str, Any]:
    """By id."""
    return validation_rules.get(request.uow, request.project_id, request.path["validationRuleId"])


@routes.put("/v1/validation-rules/{validationRuleId}")
def update_rule(request: ApiRequest) -> dict[str, Any]:
    """Change the given fields."""
    fields = given(request.json(ValidationRuleFields))
    rule_id = request.path["validationRuleId"]
    return validation_rules.update(request.uow, request.project_id, rule_id, fields)


@routes.delete("/v1/validation-rules/{validationRuleId}", status=204)
def delete_rule(request: ApiRequest) -> None:
    """Delete the rule and its assignments."""
    validation_rules.delete(request.uow, request.project_id, request.path["validationRuleId"])


def _assignments(
    request: ApiRequest, rule_id: str | None, related_id: str | None, known: bool = False
) -> Any:
    page = page_params(request.query)
    return validation_rules.list_assignments(
        request.uow,
        request.project_id,
        rule_id=rule_id,
        related_id=related_id,
        order=choice_param(request.query, "order", ASSIGNMENT_ORDERS, "-created_at"),
        limit=page.limit,
        offset=page.offset,
        rule_must_exist=known,
    )


@routes.get("/v1/validation-rules-assignments")
def list_all_assignments(request: ApiRequest) -> dict[str, Any]:
    """Assignments, optionally of one rule (``rule``) or to one object (``related_object_id``)."""
    q = request.query
    result: dict[str, Any] = _assignments(
        request, q.get("rule") or None, q.get("related_object_id") or None
    )
    return result


@routes.get("/v1/validation-rules/{validationRuleId}/assignments")
def list_rule_assignments(request: ApiRequest) -> dict[str, Any]:
    """The rule's assignments (404 for an unknown rule)."""
    result: dict[str, Any] = _assignments(request, request.path["validationRuleId"], None, True)
    return result


@routes.post("/v1/validation-rules/{validationRuleId}/assignments")
def create_assignment(request: ApiRequest) -> dict[str, Any]:
    """Assign the rule to a voucher or campaign; ``force`` replaces an equal assignment."""
    fields = given(request.json(AssignmentFields))
    force = bool_param(request.query, "force")
    rule_id = request.path["validationRuleId"]
    return validation_rules.create_assignment(
        request.uow, request.project_id, rule_id, fields, force=force
    )


@routes.delete("/v1/validation-rules/{validationRuleId}/assignments/{assignmentId}", status=204)
def delete_assignment(request: ApiRequest) -> None:
    """Remove one assignment."""
    rule_id, assignment_id = request.path["validationRuleId"], request.path["assignmentId"]
    validation_rules.delete_assignment(request.uow, request.project_id, rule_id, assignment_id)
