"""``/v2/loyalties/programs``: programmes, their component assignments and activities."""

from __future__ import annotations

from typing import Any

from openvoucher.api.params import int_param
from openvoucher.api.routes.loyalty_v2.params import activity_window, window
from openvoucher.api.routing import ApiRequest, Routes
from openvoucher.api.schemas.loyalty_v2 import Batch, ProgramCreate, ProgramUpdate
from openvoucher.api.schemas.vouchers import given
from openvoucher.loyalty.v2 import components, member_tiers, programs
from openvoucher.loyalty.v2.components import KINDS, decode_cursor

routes = Routes()
BASE = "/v2/loyalties/programs"
ONE = BASE + "/{programId}"


@routes.post(BASE)
def create_program(request: ApiRequest) -> dict[str, Any]:
    """Create a programme with its card definitions and earning rules (ACTIVE: activated)."""
    return programs.create(request.uow, request.project_id, given(request.json(ProgramCreate)))


@routes.get(BASE)
def list_programs(request: ApiRequest) -> dict[str, Any]:
    """A page of programmes (cursor, order, filters)."""
    found = window(request, KINDS["program"].cursor)
    return components.list_objects(request.uow, request.project_id, "program", found)


@routes.get(ONE)
def get_program(request: ApiRequest) -> dict[str, Any]:
    """One programme."""
    return components.get(request.uow, request.project_id, "program", request.path["programId"])


@routes.put(ONE)
def update_program(request: ApiRequest) -> dict[str, Any]:
    """Change a programme's name, dates or metadata."""
    fields = given(request.json(ProgramUpdate))
    ident = request.path["programId"]
    return components.update(request.uow, request.project_id, "program", ident, fields)


@routes.delete(ONE)
def delete_program(request: ApiRequest) -> dict[str, Any]:
    """Delete a programme that is not active; the deleted programme."""
    ident = request.path["programId"]
    return components.delete(request.uow, request.project_id, "program", ident)


@routes.post(ONE + "/activate")
def activate_program(request: ApiRequest) -> dict[str, Any]:
    """Activate: needs an active card definition and an active earning rule (409 otherwise)."""
    return programs.activate(request.uow, request.project_id, request.path["programId"])


@routes.post(ONE + "/deactivate")
def deactivate_program(request: ApiRequest) -> dict[str, Any]:
    """ACTIVE → INACTIVE."""
    ident = request.path["programId"]
    return components.transition(request.uow, request.project_id, "program", ident, "deactivate")


@routes.get(ONE + "/activities")
def list_program_activities(request: ApiRequest) -> dict[str, Any]:
    """What happened to a programme, newest first."""
    found = activity_window(request, "program")
    ident = request.path["programId"]
    return components.activities(request.uow, request.project_id, "program", ident, found)


def _assignments(request: ApiRequest, kind: str) -> dict[str, Any]:
    prefix = programs.CURSORS[kind]
    offset = decode_cursor(prefix, request.query.get("cursor"))
    limit = int_param(request.query, "limit", 10, low=1, high=100)
    ident = request.path["programId"]
    return programs.assignments(request.uow, request.project_id, ident, kind, offset, limit)


def _batch(request: ApiRequest, kind: str) -> dict[str, Any]:
    fields = given(request.json(Batch))
    ident = request.path["programId"]
    return programs.batch(request.uow, request.project_id, ident, kind, fields)


@routes.get(ONE + "/card-definitions")
def list_program_card_definitions(request: ApiRequest) -> dict[str, Any]:
    """The programme's card definitions (wallets)."""
    return _assignments(request, "card_definition")


@routes.post(ONE + "/card-definitions/batch")
def batch_program_card_definitions(request: ApiRequest) -> dict[str, Any]:
    """Assign and unassign wallets in one transaction (not once the programme is active)."""
    return _batch(request, "card_definition")


@routes.get(ONE + "/earning-rules")
def list_program_earning_rules(request: ApiRequest) -> dict[str, Any]:
    """The programme's earning rules."""
    return _assignments(request, "earning_rule")


@routes.post(ONE + "/earning-rules/batch")
def batch_program_earning_rules(request: ApiRequest) -> dict[str, Any]:
    """Assign and unassign earning rules in one transaction."""
    return _batch(request, "earning_rule")


@routes.get(ONE + "/tier-structures")
def list_program_tier_structures(request: ApiRequest) -> dict[str, Any]:
    """The programme's tier structure (at most one)."""
    return _assignments(request, "tier_structure")


@routes.post(ONE + "/tier-structures/batch")
def batch_program_tier_structures(request: ApiRequest) -> dict[str, Any]:
    """Unassign (a DRAFT programme's) then assign tier structures, at most one in all."""
    fields = given(request.json(Batch))
    ident = request.path["programId"]
    return member_tiers.batch(request.uow, request.project_id, ident, fields)
