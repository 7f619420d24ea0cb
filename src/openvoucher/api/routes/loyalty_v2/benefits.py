"""``/v2/loyalties/benefits``: reusable benefit definitions, their lifecycle and activities."""

from __future__ import annotations

from typing import Any

from openvoucher.api.routes.loyalty_v2.params import activity_window, window
from openvoucher.api.routing import ApiRequest, Routes
from openvoucher.api.schemas.loyalty_v2 import BenefitCreate, BenefitUpdate
from openvoucher.api.schemas.vouchers import given
from openvoucher.loyalty.v2 import components
from openvoucher.loyalty.v2.components import KINDS

routes = Routes()
BASE = "/v2/loyalties/benefits"
ONE = BASE + "/{benefitId}"


@routes.post(BASE)
def create_benefit(request: ApiRequest) -> dict[str, Any]:
    """Create a benefit, DRAFT unless ``status`` says ACTIVE (its wallet must be ACTIVE)."""
    fields = given(request.json(BenefitCreate))
    return components.create(request.uow, request.project_id, "benefit", fields)


@routes.get(BASE)
def list_benefits(request: ApiRequest) -> dict[str, Any]:
    """A page of benefits (cursor, order, filters)."""
    found = window(request, KINDS["benefit"].cursor)
    return components.list_objects(request.uow, request.project_id, "benefit", found)


@routes.get(ONE)
def get_benefit(request: ApiRequest) -> dict[str, Any]:
    """One benefit."""
    return components.get(request.uow, request.project_id, "benefit", request.path["benefitId"])


@routes.put(ONE)
def update_benefit(request: ApiRequest) -> dict[str, Any]:
    """Change a benefit (an ACTIVE one: only ``name`` and ``stock``, else 409)."""
    fields = given(request.json(BenefitUpdate))
    ident = request.path["benefitId"]
    return components.update(request.uow, request.project_id, "benefit", ident, fields)


@routes.delete(ONE)
def delete_benefit(request: ApiRequest) -> dict[str, Any]:
    """Delete a benefit; the deleted object."""
    ident = request.path["benefitId"]
    return components.delete(request.uow, request.project_id, "benefit", ident)


@routes.post(ONE + "/activate")
def activate_benefit(request: ApiRequest) -> dict[str, Any]:
    """DRAFT → ACTIVE."""
    ident = request.path["benefitId"]
    return components.transition(request.uow, request.project_id, "benefit", ident, "activate")


@routes.post(ONE + "/draft")
def draft_benefit(request: ApiRequest) -> dict[str, Any]:
    """ACTIVE → DRAFT."""
    ident = request.path["benefitId"]
    return components.transition(request.uow, request.project_id, "benefit", ident, "draft")


@routes.get(ONE + "/activities")
def list_benefit_activities(request: ApiRequest) -> dict[str, Any]:
    """What happened to a benefit, newest first."""
    ident = request.path["benefitId"]
    found = activity_window(request, "benefit")
    return components.activities(request.uow, request.project_id, "benefit", ident, found)
