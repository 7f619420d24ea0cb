"""The official SDK (``ValidationsApi``, ``RedemptionsApi``, ``QualificationsApi``) parses ours."""

from __future__ import annotations

import httpx
import voucherify
from voucherify.api.qualifications_api import QualificationsApi
from voucherify.api.redemptions_api import RedemptionsApi
from voucherify.api.validations_api import ValidationsApi
from voucherify.models.parameter_filters_list_redemptions import (
    ParameterFiltersListRedemptions,
)
from voucherify.models.qualifications_check_eligibility_request_body import (
    QualificationsCheckEligibilityRequestBody,
)
from voucherify.models.redemptions_redeem_request_body import RedemptionsRedeemRequestBody
from voucherify.models.redemptions_rollback_create_request_body import (
    RedemptionsRollbackCreateRequestBody,
)
from voucherify.models.validations_validate_request_body import ValidationsValidateRequestBody

from tests.api.redemption_helpers import discount_voucher, gift_voucher

STACK = [
    {"object": "voucher", "id": "SDK-GIFT", "gift": {"credits": 1500}},
    {"object": "voucher", "id": "SDK-OFF"},
]


def _setup(http: httpx.Client) -> None:
    discount_voucher(http, "SDK-OFF", {"type": "PERCENT", "percent_off": 10, "amount_limit": 800})
    gift_voucher(http, "SDK-GIFT", 4000)


def test_sdk_validates_a_stack(sdk: voucherify.ApiClient, http: httpx.Client) -> None:
    """ValidationsApi parses a valid and an invalid validation."""
    _setup(http)
    api = ValidationsApi(sdk)
    valid = api.validate_stacked_discounts(
        ValidationsValidateRequestBody.from_dict(
            {"redeemables": STACK, "order": {"amount": 6000}, "customer": {"source_id": "s"}}
        )
    )
    assert valid.valid is True
    assert valid.order.total_amount == 6000 - 1500 - 450  # the card pays first, as listed
    assert valid.redeemables[0].result.gift.credits == 1500
    assert valid.stacking_rules.applicable_redeemables_limit == 5
    invalid = api.validate_stacked_discounts(
        ValidationsValidateRequestBody.from_dict(
            {"redeemables": [{"object": "voucher", "id": "MISSING"}], "order": {"amount": 1}}
        )
    )
    assert invalid.valid is False
    assert invalid.inapplicable_redeemables[0].result.error.key == "resource_not_found"


def test_sdk_redeems_lists_and_rolls_back(sdk: voucherify.ApiClient, http: httpx.Client) -> None:
    """RedemptionsApi parses redeem, get, list (with filters), voucher history and rollbacks."""
    _setup(http)
    api = RedemptionsApi(sdk)
    redeemed = api.redeem_stacked_discounts(
        RedemptionsRedeemRequestBody.from_dict(
            {"redeemables": STACK, "order": {"amount": 6000}, "customer": {"source_id": "s"}}
        )
    )
    assert redeemed.parent_redemption is not None
    assert redeemed.order.total_amount == 4050
    child = redeemed.redemptions[0]
    assert child.gift.amount == 1500
    assert api.get_redemption(child.id).voucher.code == "SDK-GIFT"
    filters = ParameterFiltersListRedemptions.from_dict(
        {"voucher_code": {"conditions": {"$is": "SDK-OFF"}}}
    )
    listed = api.list_redemptions(filters=filters)
    assert [r.voucher.code for r in listed.redemptions] == ["SDK-OFF"]
    history = api.get_voucher_redemptions("SDK-GIFT")
    assert history.redeemed_quantity == 1
    assert len(history.redemption_entries) == 1
    undone = api.rollback_stacked_redemptions(redeemed.parent_redemption.id, reason="sdk")
    assert len(undone.rollbacks) == 2
    assert undone.parent_rollback.redemption == redeemed.parent_redemption.id
    single = api.redeem_stacked_discounts(
        RedemptionsRedeemRequestBody.from_dict(
            {"redeemables": [STACK[0]], "order": {"amount": 6000}}
        )
    )
    rollback = api.rollback_redemption(
        single.redemptions[0].id,
        redemptions_rollback_create_request_body=RedemptionsRollbackCreateRequestBody(
            reason="changed mind"
        ),
    )
    assert rollback.amount == -1500
    assert rollback.reason == "changed mind"


def test_sdk_checks_eligibility(sdk: voucherify.ApiClient, http: httpx.Client) -> None:
    """QualificationsApi parses the qualified vouchers."""
    _setup(http)
    result = QualificationsApi(sdk).check_eligibility(
        QualificationsCheckEligibilityRequestBody.from_dict(
            {"order": {"amount": 5000}, "scenario": "ALL"}
        )
    )
    codes = sorted(r.id for r in result.redeemables.data)
    assert codes == ["SDK-GIFT", "SDK-OFF"]
    assert result.order.amount == 5000
