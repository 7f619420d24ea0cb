"""Loyalty programmes through the official SDK: every response parses into its models."""

from __future__ import annotations

import voucherify
from voucherify.api.loyalties_api import LoyaltiesApi
from voucherify.api.orders_api import OrdersApi
from voucherify.models import (
    LoyaltiesCreateCampaignRequestBody,
    LoyaltiesEarningRulesCreateRequestBodyItem,
    LoyaltiesMembersBalanceUpdateRequestBody,
    LoyaltiesMembersCreateRequestBody,
    LoyaltiesTiersCreateInBulkRequestBodyItem,
    LoyaltiesTransferPoints,
    OrdersCreateRequestBody,
)


def _programme(api: LoyaltiesApi) -> str:
    body = LoyaltiesCreateCampaignRequestBody.from_dict(
        {
            "name": "SDK club",
            "voucher": {
                "type": "LOYALTY_CARD",
                "loyalty_card": {
                    "points": 0,
                    "expiration_rules": {
                        "period_type": "MONTH",
                        "period_value": 6,
                        "rounding_type": "END_OF_MONTH",
                    },
                },
                "code_config": {"pattern": "SDK-####"},
            },
        }
    )
    created = api.create_loyalty_program(body)
    assert created.campaign_type == "LOYALTY_PROGRAM"
    assert created.id is not None
    return created.id


def test_sdk_loyalty_flow(sdk: voucherify.ApiClient) -> None:
    """Programme, rule, tiers, members, balance, accrual, transfer and history via the SDK."""
    api = LoyaltiesApi(sdk)
    campaign_id = _programme(api)
    rule_body = LoyaltiesEarningRulesCreateRequestBodyItem.from_dict(
        {
            "event": "order.paid",
            "loyalty": {
                "type": "PROPORTIONAL",
                "calculation_type": "ORDER_AMOUNT",
                "order": {"amount": {"every": 100, "points": 2}},
            },
            "source": {"banner": "Two per hundred"},
        }
    )
    (rule,) = api.create_earning_rule(campaign_id, [rule_body])
    assert rule.id is not None
    assert api.list_earning_rules(campaign_id).total == 1
    tier = LoyaltiesTiersCreateInBulkRequestBodyItem.from_dict(
        {"name": "All", "points": {"from": 0}}
    )
    (created_tier,) = api.create_in_bulk_loyalty_tiers(campaign_id, [tier])
    assert created_tier.name == "All"
    assert api.list_loyalty_tiers(campaign_id).total == 1
    member = LoyaltiesMembersCreateRequestBody.from_dict({"customer": {"source_id": "sdk-ann"}})
    card = api.add_member(campaign_id, member)
    other = api.add_member(
        campaign_id,
        LoyaltiesMembersCreateRequestBody.from_dict({"customer": {"source_id": "sdk-bo"}}),
    )
    assert card.code is not None
    assert other.code is not None
    added = api.update_loyalty_card_balance1(
        campaign_id,
        other.code,
        LoyaltiesMembersBalanceUpdateRequestBody(points=40, reason="welcome"),
    )
    assert (added.points, added.balance, added.operation_type) == (40, 40, "MANUAL")
    OrdersApi(sdk).create_order(
        OrdersCreateRequestBody.from_dict(
            {"status": "PAID", "amount": 1250, "customer": {"source_id": "sdk-ann"}}
        )
    )
    got = api.get_member(card.code)
    assert got.loyalty_card is not None
    assert (got.loyalty_card.points, got.loyalty_card.balance) == (24, 24)
    assert got.loyalty_card.next_expiration_points == 24
    moved = api.transfer_points(
        campaign_id, card.code, [LoyaltiesTransferPoints(code=other.code, points=15)]
    )
    assert moved.loyalty_card is not None
    assert moved.loyalty_card.balance == 39
    history = api.list_loyalty_card_transactions1(campaign_id, card.code)
    assert [t.type for t in history.data or []] == ["POINTS_TRANSFER_IN", "POINTS_ACCRUAL"]
    buckets = api.list_points_expiration(campaign_id, card.code)
    assert [b.bucket.total_points for b in buckets.data or [] if b.bucket] == [24, 15]
    assert api.list_members(campaign_id).total == 2
    assert [t.name for t in api.list_member_loyalty_tier(card.code).data or []] == ["All"]
    assert api.list_member_activity(card.code).data is not None
