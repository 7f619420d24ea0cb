"""``/v2/loyalties/rewards``, a programme's rewards, and members' reward purchases."""

from __future__ import annotations

from typing import Any

from openvoucher.api.params import int_param
from openvoucher.api.routes.loyalty_v2.params import activity_window, window
from openvoucher.api.routing import ApiRequest, Reply, Routes
from openvoucher.api.schemas.loyalty_v2 import (
    ExamineEarningRules,
    ExamineRewards,
    PurchaseRefund,
    RewardAssignmentUpdate,
    RewardBatch,
    RewardCreate,
    RewardPurchase,
    RewardUpdate,
)
from openvoucher.api.schemas.vouchers import given
from openvoucher.loyalty.v2 import components, examine, programs, purchases
from openvoucher.loyalty.v2.components import KINDS, decode_cursor

routes = Routes()
BASE = "/v2/loyalties/rewards"
ONE = BASE + "/{rewardId}"
PROGRAM = "/v2/loyalties/programs/{programId}"
MEMBER = PROGRAM + "/members/{memberId}"


@routes.post(BASE)
def create_reward(request: ApiRequest) -> dict[str, Any]:
    """Create a reward (material, or points on a wallet) with its costs in points."""
    fields = given(request.json(RewardCreate))
    return components.create(request.uow, request.project_id, "reward", fields)


@routes.get(BASE)
def list_rewards(request: ApiRequest) -> dict[str, Any]:
    """A page of rewards (cursor, order, filters)."""
    found = window(request, KINDS["reward"].cursor)
    return components.list_objects(request.uow, request.project_id, "reward", found)


@routes.get(ONE)
def get_reward(request: ApiRequest) -> dict[str, Any]:
    """One reward."""
    return components.get(request.uow, request.project_id, "reward", request.path["rewardId"])


@routes.put(ONE)
def update_reward(request: ApiRequest) -> dict[str, Any]:
    """Change a reward."""
    fields = given(request.json(RewardUpdate))
    ident = request.path["rewardId"]
    return components.update(request.uow, request.project_id, "reward", ident, fields)


@routes.delete(ONE)
def delete_reward(request: ApiRequest) -> dict[str, Any]:
    """Delete a reward no programme offers; the deleted reward."""
    ident = request.path["rewardId"]
    return components.delete(request.uow, request.project_id, "reward", ident)


def _move(request: ApiRequest, action: str) -> dict[str, Any]:
    ident = request.path["rewardId"]
    return components.transition(request.uow, request.project_id, "reward", ident, action)


@routes.post(ONE + "/activate")
def activate_reward(request: ApiRequest) -> dict[str, Any]:
    """DRAFT or INACTIVE → ACTIVE."""
    return _move(request, "activate")


@routes.post(ONE + "/deactivate")
def deactivate_reward(request: ApiRequest) -> dict[str, Any]:
    """ACTIVE → INACTIVE."""
    return _move(request, "deactivate")


@routes.post(ONE + "/draft")
def draft_reward(request: ApiRequest) -> dict[str, Any]:
    """ACTIVE or INACTIVE → DRAFT."""
    return _move(request, "draft")


@routes.get(ONE + "/activities")
def list_reward_activities(request: ApiRequest) -> dict[str, Any]:
    """What happened to a reward, newest first."""
    found = activity_window(request, "reward")
    ident = request.path["rewardId"]
    return components.activities(request.uow, request.project_id, "reward", ident, found)


@routes.get(PROGRAM + "/rewards")
def list_program_rewards(request: ApiRequest) -> dict[str, Any]:
    """The programme's rewards with their stock."""
    offset = decode_cursor(programs.CURSORS["reward"], request.query.get("cursor"))
    limit = int_param(request.query, "limit", 10, low=1, high=100)
    ident = request.path["programId"]
    return programs.assignments(request.uow, request.project_id, ident, "reward", offset, limit)


@routes.post(PROGRAM + "/rewards/batch")
def batch_program_rewards(request: ApiRequest) -> dict[str, Any]:
    """Offer and withdraw rewards in one transaction."""
    fields = given(request.json(RewardBatch))
    ident = request.path["programId"]
    return programs.batch(request.uow, request.project_id, ident, "reward", fields)


@routes.put(PROGRAM + "/rewards/{rewardId}")
def update_program_reward(request: ApiRequest) -> dict[str, Any]:
    """Change a reward's stock in the programme."""
    fields = given(request.json(RewardAssignmentUpdate))
    return programs.update_reward_assignment(
        request.uow,
        request.project_id,
        request.path["programId"],
        request.path["rewardId"],
        fields["stock"],
    )


@routes.post(MEMBER + "/rewards/purchases")
def purchase_reward(request: ApiRequest) -> Reply:
    """Buy a reward with the member's points (DRY_RUN: 200, nothing written; else 202)."""
    fields = given(request.json(RewardPurchase))
    body, status = purchases.purchase(
        request.uow, request.project_id, request.path["programId"], request.path["memberId"], fields
    )
    return Reply(body, status)


@routes.get(MEMBER + "/rewards/purchases")
def list_reward_purchases(request: ApiRequest) -> dict[str, Any]:
    """The member's reward purchases and refunds, newest first."""
    return purchases.purchases(
        request.uow,
        request.project_id,
        request.path["programId"],
        request.path["memberId"],
        request.query.get("cursor"),
        int_param(request.query, "limit", 10, low=1, high=100),
    )


@routes.post(PROGRAM + "/rewards/purchases/{rewardTransactionId}/refund", status=202)
def refund_reward_purchase(request: ApiRequest) -> dict[str, Any]:
    """Refund a purchase: the points come back (into the buckets they left)."""
    fields = given(request.json(PurchaseRefund))
    return purchases.refund(
        request.uow,
        request.project_id,
        request.path["programId"],
        request.path["rewardTransactionId"],
        fields,
    )


@routes.post("/v2/loyalties/examine/rewards")
def examine_rewards(request: ApiRequest) -> dict[str, Any]:
    """Which rewards the customer's cards can buy now (writes nothing)."""
    fields = given(request.json(ExamineRewards))
    return examine.rewards(request.uow, request.project_id, fields)


@routes.post("/v2/loyalties/examine/earning-rules")
def examine_earning_rules(request: ApiRequest) -> dict[str, Any]:
    """The points an order would earn each of the customer's cards (writes nothing)."""
    fields = given(request.json(ExamineEarningRules))
    return examine.earning_rules(request.uow, request.project_id, fields)
