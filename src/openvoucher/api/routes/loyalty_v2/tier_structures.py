"""``/v2/loyalties/tier-structures``: tier structures, their lifecycle and activities, and
their tiers."""

from __future__ import annotations

from typing import Any

from openvoucher.api.routes.loyalty_v2.params import activity_window, window
from openvoucher.api.routing import ApiRequest, Routes
from openvoucher.api.schemas.loyalty_v2 import TierStructureCreate, TierStructureUpdate, TierUpdate
from openvoucher.api.schemas.vouchers import given
from openvoucher.loyalty.v2 import components, tiers
from openvoucher.loyalty.v2.components import KINDS

routes = Routes()
BASE = "/v2/loyalties/tier-structures"
ONE = BASE + "/{tierStructureId}"
KIND = "tier_structure"


@routes.post(BASE)
def create_tier_structure(request: ApiRequest) -> dict[str, Any]:
    """Create a tier structure on an existing wallet, DRAFT unless ``status`` says ACTIVE."""
    fields = given(request.json(TierStructureCreate))
    return components.create(request.uow, request.project_id, KIND, fields)


@routes.get(BASE)
def list_tier_structures(request: ApiRequest) -> dict[str, Any]:
    """A page of tier structures (cursor, order, filters)."""
    found = window(request, KINDS[KIND].cursor)
    return components.list_objects(request.uow, request.project_id, KIND, found)


@routes.get(ONE)
def get_tier_structure(request: ApiRequest) -> dict[str, Any]:
    """One tier structure."""
    ident = request.path["tierStructureId"]
    return components.get(request.uow, request.project_id, KIND, ident)


@routes.put(ONE)
def update_tier_structure(request: ApiRequest) -> dict[str, Any]:
    """Change a tier structure."""
    fields = given(request.json(TierStructureUpdate))
    ident = request.path["tierStructureId"]
    return components.update(request.uow, request.project_id, KIND, ident, fields)


@routes.delete(ONE)
def delete_tier_structure(request: ApiRequest) -> dict[str, Any]:
    """Delete a tier structure; the deleted object."""
    ident = request.path["tierStructureId"]
    return components.delete(request.uow, request.project_id, KIND, ident)


def _transition(request: ApiRequest, action: str) -> dict[str, Any]:
    ident = request.path["tierStructureId"]
    return components.transition(request.uow, request.project_id, KIND, ident, action)


@routes.post(ONE + "/activate")
def activate_tier_structure(request: ApiRequest) -> dict[str, Any]:
    """DRAFT or INACTIVE → ACTIVE."""
    return _transition(request, "activate")


@routes.post(ONE + "/deactivate")
def deactivate_tier_structure(request: ApiRequest) -> dict[str, Any]:
    """ACTIVE → INACTIVE."""
    return _transition(request, "deactivate")


@routes.post(ONE + "/draft")
def draft_tier_structure(request: ApiRequest) -> dict[str, Any]:
    """ACTIVE or INACTIVE → DRAFT."""
    return _transition(request, "draft")


@routes.get(ONE + "/activities")
def list_tier_structure_activities(request: ApiRequest) -> dict[str, Any]:
    """What happened to a tier structure and its tiers, newest first."""
    ident = request.path["tierStructureId"]
    found = activity_window(request, KIND)
    return components.activities(request.uow, request.project_id, KIND, ident, found)


@routes.post(ONE + "/tiers")
def create_tier(request: ApiRequest) -> dict[str, Any]:
    """Add a tier (its points range may not overlap another tier's)."""
    fields = given(request.json(TierUpdate))
    ident = request.path["tierStructureId"]
    return tiers.create(request.uow, request.project_id, ident, fields)


@routes.get(ONE + "/tiers")
def list_tiers(request: ApiRequest) -> dict[str, Any]:
    """A page of the structure's tiers."""
    found = window(request, tiers.CURSOR, filtered=False)
    ident = request.path["tierStructureId"]
    return tiers.list_tiers(request.uow, request.project_id, ident, found)


@routes.put(ONE + "/tiers/{tierId}")
def update_tier(request: ApiRequest) -> dict[str, Any]:
    """Change a tier."""
    fields = given(request.json(TierUpdate))
    ident, tier_id = request.path["tierStructureId"], request.path["tierId"]
    return tiers.update(request.uow, request.project_id, ident, tier_id, fields)


@routes.delete(ONE + "/tiers/{tierId}")
def delete_tier(request: ApiRequest) -> dict[str, Any]:
    """Delete a tier; the deleted tier."""
    ident, tier_id = request.path["tierStructureId"], request.path["tierId"]
    return tiers.delete(request.uow, request.project_id, ident, tier_id)
