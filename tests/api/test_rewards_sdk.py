"""Rewards through the official SDK: RewardsApi and the LoyaltiesApi reward calls parse."""

from __future__ import annotations

import httpx
import voucherify
from voucherify.api.loyalties_api import LoyaltiesApi
from voucherify.api.rewards_api import RewardsApi
from voucherify.models import (
    LoyaltiesMembersRedemptionRedeemRequestBody,
    LoyaltiesRewardsCreateAssignmentItemRequestBody,
    LoyaltiesRewardsUpdateAssignmentRequestBody,
    RewardsAssignmentsCreateRequestBody,
    RewardsAssignmentsUpdateRequestBody,
    RewardsCreateRequestBody,
    RewardsUpdateRequestBody,
)

from tests.api.loyalty_helpers import card, join, programme
from tests.api.reward_helpers import add_points, coupon_campaign


def test_sdk_rewards_api(sdk: voucherify.ApiClient, http: httpx.Client) -> None:
    """Create, read, update, list and assign rewards with RewardsApi."""
    api = RewardsApi(sdk)
    club = programme(http)
    coupons = coupon_campaign(http)
    body = RewardsCreateRequestBody.from_dict(
        {"name": "SDK coupon", "parameters": {"campaign": {"id": coupons["id"]}}}
    )
    created = api.create_reward(body)
    assert (created.type, created.parameters.campaign.id) == (
        "CAMPAIGN",
        coupons["id"],
    )
    coin = api.create_reward(
        RewardsCreateRequestBody.from_dict(
            {
                "name": "SDK coin",
                "parameters": {"coin": {"exchange_ratio": 2, "points_ratio": "5"}},
            }
        )
    )
    assert coin.parameters.coin.exchange_ratio == 2
    renamed = api.update_reward(created.id, RewardsUpdateRequestBody.from_dict({"name": "Renamed"}))
    assert renamed.name == "Renamed"
    assert api.get_reward(created.id).name == "Renamed"
    listed = api.list_rewards()
    assert listed.total == 2
    assert [r.id for r in listed.data] == [created.id, coin.id]
    assigned = api.create_reward_assignment(
        created.id,
        RewardsAssignmentsCreateRequestBody.from_dict(
            {"campaign": club["id"], "parameters": {"loyalty": {"points": 40}}}
        ),
    )
    assert assigned.parameters.loyalty.points == 40
    changed = api.update_reward_assignment(
        created.id,
        assigned.id,
        RewardsAssignmentsUpdateRequestBody.from_dict({"parameters": {"loyalty": {"points": 45}}}),
    )
    assert changed.parameters.loyalty.points == 45
    assert api.get_reward_assignment(created.id, assigned.id).related_object_id == club["id"]
    assert api.list_reward_assignments(created.id).total == 1
    api.delete_reward_assignment(created.id, assigned.id)
    api.delete_reward(coin.id)
    assert api.list_rewards().total == 1


def test_sdk_loyalty_reward_calls(sdk: voucherify.ApiClient, http: httpx.Client) -> None:
    """Assign, list, read, change rewards of a programme and redeem one with LoyaltiesApi."""
    api = LoyaltiesApi(sdk)
    club = programme(http)
    code = join(http, club["id"], "sdkmember")["code"]
    add_points(http, code, 100)
    coupons = coupon_campaign(http)
    made = RewardsApi(sdk).create_reward(
        RewardsCreateRequestBody.from_dict(
            {"name": "SDK", "parameters": {"campaign": {"id": coupons["id"]}}}
        )
    )
    item = LoyaltiesRewardsCreateAssignmentItemRequestBody.from_dict(
        {"reward": made.id, "parameters": {"loyalty": {"points": 30}}}
    )
    offer = api.create_reward_assignment1(club["id"], [item])
    assert offer.reward_id == made.id
    assert api.list_reward_assignments1(club["id"]).total == 1
    assert api.list_reward_assignments2(club["id"]).data[0].id == offer.id
    assert api.get_reward_assignment1(club["id"], offer.id).id == offer.id
    assert api.get_reward_assignment2(club["id"], offer.id).id == offer.id
    assert api.get_reward_details(club["id"], offer.id).id == made.id
    update = LoyaltiesRewardsUpdateAssignmentRequestBody.from_dict(
        {"parameters": {"loyalty": {"points": 35}}}
    )
    assert (
        api.update_reward_assignment1(club["id"], offer.id, update).parameters.loyalty.points == 35
    )
    mine = api.list_member_rewards(code, affordable_only=True)
    assert [i.reward.id for i in mine.data] == [made.id]
    redeem = LoyaltiesMembersRedemptionRedeemRequestBody.from_dict({"reward": {"id": made.id}})
    bought = api.redeem_reward(code, redeem)
    assert (bought.result, bought.reward.id, bought.reward.voucher.campaign_id) == (
        "SUCCESS",
        made.id,
        coupons["id"],
    )
    again = api.redeem_reward1(club["id"], code, redeem)
    assert again.loyalty_card.points == 35
    assert card(http, code)["loyalty_card"]["balance"] == 30
    api.delete_reward_assignment1(club["id"], offer.id)
    assert api.list_reward_assignments2(club["id"]).total == 0
