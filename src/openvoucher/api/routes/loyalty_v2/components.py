"""``/v2/loyalties/card-definitions`` and ``/v2/loyalties/earning-rules``: reusable
components, their lifecycle and activities."""

from __future__ import annotations

from typing import Any

from openvoucher.api.routes.loyalty_v2.params import activity_window, window
from openvoucher.api.routing import ApiRequest, Routes
from openvoucher.api.schemas.loyalty_v2 import (
    CardDefinitionCreate,
    CardDefinitionUpdate,
    EarningRuleCreate,
    EarningRuleUpdate,
)
from openvoucher.api.schemas.vouchers import given
from openvoucher.loyalty.v2 import components
from openvoucher.loyalty.v2.components import KINDS

routes = Routes()
CARDS = "/v2/loyalties/card-definitions"
RULES = "/v2/loyalties/earning-rules"


@routes.post(CARDS)
def create_card_definition(request: ApiRequest) -> dict[str, Any]:
    """Create a card definition (a point wallet), DRAFT unless ``status`` says ACTIVE."""
    fields = given(request.json(CardDefinitionCreate))
    return components.create(request.uow, request.project_id, "card_definition", fields)


@routes.get(CARDS)
def list_card_definitions(request: ApiRequest) -> dict[str, Any]:
    """A page of card definitions (cursor, order, filters)."""
    found = window(request, KINDS["card_definition"].cursor)
    return components.list_objects(request.uow, request.project_id, "card_definition", found)


@routes.get(CARDS + "/{cardDefinitionId}")
def get_card_definition(request: ApiRequest) -> dict[str, Any]:
    """One card definition."""
    ident = request.path["cardDefinitionId"]
    return components.get(request.uow, request.project_id, "card_definition", ident)


@routes.put(CARDS + "/{cardDefinitionId}")
def update_card_definition(request: ApiRequest) -> dict[str, Any]:
    """Change a card definition (409 while an active program uses it)."""
    fields = given(request.json(CardDefinitionUpdate))
    ident = request.path["cardDefinitionId"]
    return components.update(request.uow, request.project_id, "card_definition", ident, fields)


@routes.delete(CARDS + "/{cardDefinitionId}")
def delete_card_definition(request: ApiRequest) -> dict[str, Any]:
    """Delete a card definition no program uses; the deleted object."""
    ident = request.path["cardDefinitionId"]
    return components.delete(request.uow, request.project_id, "card_definition", ident)


@routes.post(CARDS + "/{cardDefinitionId}/activate")
def activate_card_definition(request: ApiRequest) -> dict[str, Any]:
    """DRAFT → ACTIVE."""
    ident = request.path["cardDefinitionId"]
    return components.transition(
        request.uow, request.project_id, "card_definition", ident, "activate"
    )


@routes.post(CARDS + "/{cardDefinitionId}/draft")
def draft_card_definition(request: ApiRequest) -> dict[str, Any]:
    """ACTIVE → DRAFT."""
    ident = request.path["cardDefinitionId"]
    return components.transition(request.uow, request.project_id, "card_definition", ident, "draft")


@routes.get(CARDS + "/{cardDefinitionId}/activities")
def list_card_definition_activities(request: ApiRequest) -> dict[str, Any]:
    """What happened to a card definition, newest first."""
    ident = request.path["cardDefinitionId"]
    found = activity_window(request, "card_definition")
    return components.activities(request.uow, request.project_id, "card_definition", ident, found)


@routes.post(RULES)
def create_earning_rule(request: ApiRequest) -> dict[str, Any]:
    """Create an earning rule (its effects name existing card definitions)."""
    fields = given(request.json(EarningRuleCreate))
    return components.create(request.uow, request.project_id, "earning_rule", fields)


@routes.get(RULES)
def list_earning_rules(request: ApiRequest) -> dict[str, Any]:
    """A page of earning rules (cursor, order, filters)."""
    found = window(request, KINDS["earning_rule"].cursor)
    return components.list_objects(request.uow, request.project_id, "earning_rule", found)


@routes.get(RULES + "/{earningRuleId}")
def get_earning_rule(request: ApiRequest) -> dict[str, Any]:
    """One earning rule."""
    ident = request.path["earningRuleId"]
    return components.get(request.uow, request.project_id, "earning_rule", ident)


@routes.put(RULES + "/{earningRuleId}")
def update_earning_rule(request: ApiRequest) -> dict[str, Any]:
    """Change an earning rule."""
    fields = given(request.json(EarningRuleUpdate))
    ident = request.path["earningRuleId"]
    return components.update(request.uow, request.project_id, "earning_rule", ident, fields)


@routes.delete(RULES + "/{earningRuleId}")
def delete_earning_rule(request: ApiRequest) -> dict[str, Any]:
    """Delete an earning rule no program uses; the deleted object."""
    ident = request.path["earningRuleId"]
    return components.delete(request.uow, request.project_id, "earning_rule", ident)


def _rule_transition(request: ApiRequest, action: str) -> dict[str, Any]:
    ident = request.path["earningRuleId"]
    return components.transition(request.uow, request.project_id, "earning_rule", ident, action)


@routes.post(RULES + "/{earningRuleId}/activate")
def activate_earning_rule(request: ApiRequest) -> dict[str, Any]:
    """DRAFT or INACTIVE → ACTIVE."""
    return _rule_transition(request, "activate")


@routes.post(RULES + "/{earningRuleId}/deactivate")
def deactivate_earning_rule(request: ApiRequest) -> dict[str, Any]:
    """ACTIVE → INACTIVE."""
    return _rule_transition(request, "deactivate")


@routes.post(RULES + "/{earningRuleId}/draft")
def draft_earning_rule(request: ApiRequest) -> dict[str, Any]:
    """ACTIVE or INACTIVE → DRAFT."""
    return _rule_transition(request, "draft")


@routes.get(RULES + "/{earningRuleId}/activities")
def list_earning_rule_activities(request: ApiRequest) -> dict[str, Any]:
    """What happened to an earning rule, newest first."""
    ident = request.path["earningRuleId"]
    found = activity_window(request, "earning_rule")
    return components.activities(request.uow, request.project_id, "earning_rule", ident, found)
