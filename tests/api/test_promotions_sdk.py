"""The official SDK parses promotion tiers, stacks, PROMOTION campaigns and tier redemptions."""

from __future__ import annotations

import httpx
import voucherify
from voucherify.api.campaigns_api import CampaignsApi
from voucherify.api.client_side_api import ClientSideApi
from voucherify.api.promotions_api import PromotionsApi
from voucherify.api.qualifications_api import QualificationsApi
from voucherify.api.redemptions_api import RedemptionsApi
from voucherify.api.validations_api import ValidationsApi
from voucherify.models.campaigns_create_request_body import CampaignsCreateRequestBody
from voucherify.models.promotions_stacks_create_request_body import (
    PromotionsStacksCreateRequestBody,
)
from voucherify.models.promotions_stacks_update_request_body import (
    PromotionsStacksUpdateRequestBody,
)
from voucherify.models.promotions_tiers_create_request_body import (
    PromotionsTiersCreateRequestBody,
)
from voucherify.models.promotions_tiers_update_request_body import (
    PromotionsTiersUpdateRequestBody,
)
from voucherify.models.qualifications_check_eligibility_request_body import (
    QualificationsCheckEligibilityRequestBody,
)
from voucherify.models.redemptions_redeem_request_body import RedemptionsRedeemRequestBody
from voucherify.models.validations_validate_request_body import ValidationsValidateRequestBody

from tests.api.promotion_helpers import AMOUNT_OFF, PERCENT_OFF, ref, tier
from tests.api.test_client_side import client_headers, settings
from tests.support.server import Project, RunningServer


def _campaign(sdk: voucherify.ApiClient) -> tuple[str, list[str]]:
    body = {
        "name": "SDK promo",
        "campaign_type": "PROMOTION",
        "promotion": {"tiers": [tier("Ten", AMOUNT_OFF), tier("Pct", PERCENT_OFF)]},
    }
    created = CampaignsApi(sdk).create_campaign(CampaignsCreateRequestBody.from_dict(body))
    assert created.campaign_type == "PROMOTION"
    assert created.promotion is not None
    assert created.promotion.tiers is not None
    assert created.id is not None
    api = CampaignsApi(sdk)
    assert api.get_campaign(created.id).promotion.total == 2
    listed = api.list_campaigns(campaign_type="PROMOTION")
    assert [(c.name, c.voucher) for c in listed.campaigns] == [("SDK promo", None)]
    return created.id, [str(t.id) for t in created.promotion.tiers]


def test_sdk_manages_tiers(sdk: voucherify.ApiClient) -> None:
    """PromotionsApi parses add, get, update, enable, disable, lists and delete of tiers."""
    campaign_id, (ten, _pct) = _campaign(sdk)
    api = PromotionsApi(sdk)
    added = api.add_promotion_tier_to_campaign(
        campaign_id, PromotionsTiersCreateRequestBody.from_dict(tier("Third", AMOUNT_OFF))
    )
    assert (added.name, added.hierarchy, added.action.discount.amount_off) == ("Third", 3, 1000)
    got = api.get_promotion_tier(ten)
    assert got.summary.redemptions.total_redeemed == 0
    assert got.campaign.id == campaign_id
    updated = api.update_promotion_tier(
        ten, PromotionsTiersUpdateRequestBody.from_dict({"banner": "New", "hierarchy": 9})
    )
    assert (updated.banner, updated.hierarchy) == ("New", 9)
    assert api.disable_promotion_tier(ten).active is False
    assert api.enable_promotion_tier(ten).active is True
    listed = api.list_promotion_tiers(is_available=True, limit=10)
    assert listed.total == 3
    of_campaign = api.list_promotion_tiers_from_campaign(campaign_id)
    assert [t.name for t in of_campaign.tiers] == ["Pct", "Ten", "Third"]  # hierarchy 2, 9
    api.delete_promotion_tier(str(added.id))
    assert api.list_promotion_tiers().total == 2


def test_sdk_manages_stacks(sdk: voucherify.ApiClient) -> None:
    """PromotionsApi parses create, get, update, lists and delete of stacks."""
    campaign_id, (ten, pct) = _campaign(sdk)
    api = PromotionsApi(sdk)
    body = {"name": "Stack", "tiers": {"ids": [ten, pct], "hierarchy_mode": "MANUAL"}}
    created = api.create_promotion_stack(
        campaign_id, PromotionsStacksCreateRequestBody.from_dict(body)
    )
    stack_id = str(created.id)
    assert created.tiers.ids == [ten, pct]
    assert api.get_promotion_stack(campaign_id, stack_id).name == "Stack"
    changed = api.update_promotion_stack(
        campaign_id, stack_id, PromotionsStacksUpdateRequestBody.from_dict({"name": "Renamed"})
    )
    assert changed.name == "Renamed"
    assert api.list_all_promotion_stacks().total == 1
    assert api.list_promotion_stacks_in_campaign(campaign_id).data[0].id == stack_id
    api.delete_promotion_stack(campaign_id, stack_id)
    assert api.list_all_promotion_stacks().total == 0


def test_sdk_validates_redeems_and_rolls_back_a_tier(sdk: voucherify.ApiClient) -> None:
    """Validations, redemptions (get and rollback) and qualifications parse with tiers."""
    _campaign_id, (ten, pct) = _campaign(sdk)
    request = {"redeemables": [ref(ten), ref(pct)], "order": {"amount": 5000}}
    valid = ValidationsApi(sdk).validate_stacked_discounts(
        ValidationsValidateRequestBody.from_dict(request)
    )
    assert valid.valid is True
    assert valid.order.total_amount == 3600
    assert valid.redeemables[0].object == "promotion_tier"
    api = RedemptionsApi(sdk)
    redeemed = api.redeem_stacked_discounts(RedemptionsRedeemRequestBody.from_dict(request))
    child = redeemed.redemptions[0]
    assert child.promotion_tier.id == ten
    assert child.promotion_tier.summary.orders.total_discount_amount == 1000
    fetched = api.get_redemption(str(child.id))
    assert fetched.related_object_type == "promotion_tier"
    listed = api.list_redemptions()
    tiers = [r.promotion_tier.id for r in listed.redemptions if r.promotion_tier is not None]
    assert sorted(tiers) == sorted([ten, pct])
    rolled = api.rollback_stacked_redemptions(str(redeemed.parent_redemption.id), reason="sdk")
    assert len(rolled.rollbacks) == 2
    assert rolled.rollbacks[1].promotion_tier.summary.redemptions.total_redeemed == 0
    found = QualificationsApi(sdk).check_eligibility(
        QualificationsCheckEligibilityRequestBody.from_dict(
            {"order": {"amount": 2000}, "scenario": "ALL"}
        )
    )
    assert [r.id for r in found.redeemables.data] == [ten, pct]
    assert found.redeemables.data[1].order.total_discount_amount == 200


def test_sdk_lists_tiers_client_side(
    server: RunningServer, project: Project, http: httpx.Client
) -> None:
    """ClientSideApi parses GET /client/v1/promotions/tiers with client keys."""
    body = {
        "name": "Client",
        "campaign_type": "PROMOTION",
        "promotion": {"tiers": [tier("A", AMOUNT_OFF)]},
    }
    assert http.post("/v1/campaigns", json=body).status_code == 200
    settings(server, project, client_trusted_domains=["shop.example"])
    headers = client_headers(server, project)
    configuration = voucherify.Configuration(
        host=project.base_url,
        api_key={
            "X-Client-Application-Id": headers["X-Client-Application-Id"],
            "X-Client-Token": headers["X-Client-Token"],
        },
    )
    with voucherify.ApiClient(configuration) as client:
        listed = ClientSideApi(client).list_promotion_tiers_client_side(
            origin="http://shop.example", is_available=True
        )
    assert listed.total == 1
    assert listed.tiers[0].name == "A"
