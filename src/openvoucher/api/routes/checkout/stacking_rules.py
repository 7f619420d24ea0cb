"""``/management/v1/projects/{projectId}/stacking-rules``."""

from __future__ import annotations

from typing import Any

from openvoucher.api.routing import ApiRequest, Routes
from openvoucher.api.schemas.customers import given
from openvoucher.api.schemas.project_settings import StackingRules
from openvoucher.checkout import stacking_rules as service
from openvoucher.platform.presenters.project_settings import stacking_rules, stacking_rules_list

routes = Routes()

BASE = "/management/v1/projects/{projectId}/stacking-rules"


@routes.post(BASE, auth="management")
def create_rules(request: ApiRequest) -> dict[str, Any]:
    """Replace the default stacking rules with the project's own."""
    fields = given(request.json(StackingRules))
    return stacking_rules(service.create(request.uow, request.path["projectId"], fields))


@routes.get(BASE, auth="management")
def list_rules(request: ApiRequest) -> dict[str, Any]:
    """The rules in force (the defaults have no id)."""
    return stacking_rules_list(service.list_rules(request.uow, request.path["projectId"]))


@routes.get(BASE + "/{stackingRulesId}", auth="management")
def get_rules(request: ApiRequest) -> dict[str, Any]:
    """The project's own rules."""
    path = request.path
    return stacking_rules(service.get(request.uow, path["projectId"], path["stackingRulesId"]))


@routes.put(BASE + "/{stackingRulesId}", auth="management")
def update_rules(request: ApiRequest) -> dict[str, Any]:
    """Change the given fields (arrays are replaced)."""
    fields = given(request.json(StackingRules))
    path = request.path
    view = service.update(request.uow, path["projectId"], path["stackingRulesId"], fields)
    return stacking_rules(view)


@routes.delete(BASE + "/{stackingRulesId}", auth="management", status=204)
def delete_rules(request: ApiRequest) -> None:
    """Back to the defaults."""
    path = request.path
    service.delete(request.uow, path["projectId"], path["stackingRulesId"])
