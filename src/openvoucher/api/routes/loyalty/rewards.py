"""``/v1/rewards``, reward assignments of loyalty programmes, and buying rewards with points."""

from __future__ import annotations

from typing import Any

from openvoucher.api.params import bool_param, page_params
from openvoucher.api.routing import ApiRequest, Routes
from openvoucher.api.schemas.rewards import AssignmentBody, RewardBody, RewardRedeem, plain
from openvoucher.api.schemas.vouchers import given
from openvoucher.loyalty import reward_redemptions, rewards
from openvoucher.loyalty.model import RewardChange

routes = Routes()


@routes.post("/v1/rewards")
def create_reward(request: ApiRequest) -> dict[str, Any]:
    """Create a reward (CAMPAIGN, COIN or MATERIAL, by its parameters)."""
    fields = RewardChange.of(given(request.json(RewardBody)))
    return rewards.create_reward(request.uow, request.project_id, fields)


@routes.get("/v1/rewards")
def list_rewards(request: ApiRequest) -> dict[str, Any]:
    """A page of rewards (``assignment_id``: the reward of that assignment)."""
    page = page_params(request.query, max_page=100)
    return rewards.list_rewards(
        request.uow,
        request.project_id,
        limit=page.limit,
        offset=page.offset,
        assignment_id=request.query.get("assignment_id") or None,
    )


@routes.get("/v1/rewards/{rewardId}")
def get_reward(request: ApiRequest) -> dict[str, Any]:
    """One reward."""
    return rewards.get_reward(request.uow, request.project_id, request.path["rewardId"])


@routes.put("/v1/rewards/{rewardId}")
def update_reward(request: ApiRequest) -> dict[str, Any]:
    """Change the given fields of a reward (its type stays)."""
    fields = RewardChange.of(given(request.json(RewardBody)))
    return rewards.update_reward(request.uow, request.project_id, request.path["rewardId"], fields)


@routes.delete("/v1/rewards/{rewardId}")
def delete_reward(request: ApiRequest) -> None:
    """Delete a reward and its assignments."""
    rewards.delete_reward(request.uow, request.project_id, request.path["rewardId"])


@routes.post("/v1/rewards/{rewardId}/assignments")
def create_assignment(request: ApiRequest) -> dict[str, Any]:
    """Offer the reward in a loyalty programme for a points cost."""
    fields = plain(request.json(AssignmentBody))
    return rewards.create_assignment(
        request.uow, request.project_id, request.path["rewardId"], fields
    )


@routes.get("/v1/rewards/{rewardId}/assignments")
def list_assignments(request: ApiRequest) -> dict[str, Any]:
    """A page of the reward's assignments."""
    page = page_params(request.query, max_page=100)
    return rewards.list_assignments(
        request.uow,
        request.project_id,
        limit=page.limit,
        offset=page.offset,
        reward_id=request.path["rewardId"],
    )


def _owner(request: ApiRequest) -> dict[str, str | None]:
    """Whose assignment the path names: the reward's (``rewardId``) or the programme's."""
    return {"reward_id": request.path.get("rewardId"), "ident": request.path.get("campaignId")}


@routes.get("/v1/rewards/{rewardId}/assignments/{assignmentId}")
@routes.get("/v1/loyalties/{campaignId}/rewards/{assignmentId}")
@routes.get("/v1/loyalties/{campaignId}/reward-assignments/{assignmentId}")
def get_assignment(request: ApiRequest) -> dict[str, Any]:
    """One assignment of the reward, or of the programme."""
    assignment_id = request.path["assignmentId"]
    return rewards.get_assignment(request.uow, request.project_id, assignment_id, **_owner(request))


@routes.put("/v1/rewards/{rewardId}/assignments/{assignmentId}")
@routes.put("/v1/loyalties/{campaignId}/rewards/{assignmentId}")
def update_assignment(request: ApiRequest) -> dict[str, Any]:
    """Change the points cost of an assignment of the reward, or of the programme."""
    fields = plain(request.json(AssignmentBody))
    assignment_id = request.path["assignmentId"]
    return rewards.update_assignment(
        request.uow, request.project_id, assignment_id, fields, **_owner(request)
    )


@routes.delete("/v1/rewards/{rewardId}/assignments/{assignmentId}")
@routes.delete("/v1/loyalties/{campaignId}/rewards/{assignmentId}")
def delete_assignment(request: ApiRequest) -> None:
    """Withdraw the reward from a programme."""
    assignment_id = request.path["assignmentId"]
    rewards.delete_assignment(request.uow, request.project_id, assignment_id, **_owner(request))


@routes.post("/v1/loyalties/{campaignId}/rewards")
def assign_rewards(request: ApiRequest) -> dict[str, Any]:
    """Offer rewards (a list) in the programme; the first assignment created."""
    items = [plain(item) for item in request.json(list[AssignmentBody])]
    return rewards.assign_to_programme(
        request.uow, request.project_id, request.path["campaignId"], items
    )


@routes.get("/v1/loyalties/{campaignId}/rewards")
@routes.get("/v1/loyalties/{campaignId}/reward-assignments")
def list_programme_assignments(request: ApiRequest) -> dict[str, Any]:
    """A page of the programme's reward assignments."""
    page = page_params(request.query, max_page=100)
    wanted = request.query.get("assignment_id") or request.query.get("assignmentId")
    return rewards.list_assignments(
        request.uow,
        request.project_id,
        limit=page.limit,
        offset=page.offset,
        ident=request.path["campaignId"],
        assignment_id=wanted or None,
    )


@routes.get("/v1/loyalties/{campaignId}/reward-assignments/{assignmentId}/reward")
def get_assigned_reward(request: ApiRequest) -> dict[str, Any]:
    """The reward of one of the programme's assignments."""
    path = request.path
    return rewards.assigned_reward(
        request.uow, request.project_id, path["campaignId"], path["assignmentId"]
    )


@routes.get("/v1/loyalties/members/{memberId}/rewards")
def member_rewards(request: ApiRequest) -> dict[str, Any]:
    """The rewards of the member's programme (``affordable_only``: those the balance pays)."""
    return rewards.member_rewards(
        request.uow,
        request.project_id,
        request.path["memberId"],
        bool_param(request.query, "affordable_only"),
    )


@routes.post("/v1/loyalties/{campaignId}/members/{memberId}/redemption")
@routes.post("/v1/loyalties/members/{memberId}/redemption")
def redeem_reward(request: ApiRequest) -> dict[str, Any]:
    """Buy a reward with the member's points."""
    fields = plain(request.json(RewardRedeem))
    return reward_redemptions.redeem(
        request.uow,
        request.project_id,
        request.path["memberId"],
        request.path.get("campaignId"),
        fields,
    )
