"""Campaigns, vouchers and async actions through the official SDK and its strict models."""

from __future__ import annotations

import time

import voucherify
from voucherify.api.async_actions_api import AsyncActionsApi
from voucherify.api.campaigns_api import CampaignsApi
from voucherify.api.vouchers_api import VouchersApi
from voucherify.models import (
    CampaignsCreateRequestBody,
    CampaignsCreateRequestBodyVoucher,
    CampaignsUpdateRequestBody,
    CampaignsVouchersCreateInBulkRequestBody,
    CodeConfig,
    Discount,
    Gift,
    VouchersCreateRequestBody,
    VouchersCreateWithSpecificCodeRequestBody,
    VouchersUpdateRequestBody,
)


def _wait(actions: AsyncActionsApi, action_id: str) -> str:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        action = actions.get_async_action(action_id)
        if action.status in {"DONE", "FAILED"}:
            return str(action.status)
        time.sleep(0.05)
    raise AssertionError("async action did not finish")


def test_sdk_campaign_lifecycle(sdk: voucherify.ApiClient) -> None:
    """Create, read, update, list, add vouchers to and delete a campaign with the SDK."""
    campaigns = CampaignsApi(sdk)
    actions = AsyncActionsApi(sdk)
    created = campaigns.create_campaign(
        CampaignsCreateRequestBody(
            name="SDK campaign",
            campaign_type="DISCOUNT_COUPONS",
            type="AUTO_UPDATE",
            vouchers_count=3,
            voucher=CampaignsCreateRequestBodyVoucher(
                type="DISCOUNT_VOUCHER",
                discount=Discount(type="AMOUNT", amount_off=1500),
                code_config=CodeConfig(length=6, prefix="SDK-"),
            ),
        )
    )
    assert created.id.startswith("camp_")
    assert created.vouchers_count == 3
    assert created.voucher.code_config.prefix == "SDK-"
    fetched = campaigns.get_campaign("SDK campaign")
    assert fetched.id == created.id
    updated = campaigns.update_campaign(
        created.id, CampaignsUpdateRequestBody(description="updated", metadata={"k": 1})
    )
    assert updated.description == "updated"
    listed = campaigns.list_campaigns(limit=10)
    assert [c.id for c in listed.campaigns] == [created.id]
    one = campaigns.add_vouchers_to_campaign(
        created.id,
        campaigns_vouchers_create_in_bulk_request_body=CampaignsVouchersCreateInBulkRequestBody(
            metadata={"one": True}
        ),
    )
    assert one.code.startswith("SDK-")
    bulk = campaigns.add_vouchers_to_campaign(created.id, vouchers_count=3)
    assert _wait(actions, bulk.async_action_id) == "DONE"
    listed_actions = actions.list_async_actions(limit=5)
    assert listed_actions.async_actions[0].id == bulk.async_action_id
    assert campaigns.get_campaign(created.id).vouchers_count == 7
    deleted = campaigns.delete_campaign(created.id, force=True)
    assert _wait(actions, deleted.async_action_id) == "DONE"


def test_sdk_voucher_lifecycle(sdk: voucherify.ApiClient) -> None:
    """Generate, create with code, read, update, enable/disable, list and delete vouchers."""
    vouchers = VouchersApi(sdk)
    generated = vouchers.generate_random_code(
        VouchersCreateRequestBody(
            type="DISCOUNT_VOUCHER",
            discount=Discount(type="PERCENT", percent_off=20, amount_limit=500),
            metadata={"source": "sdk"},
        )
    )
    assert len(generated.code) == 8
    assert generated.discount.percent_off == 20
    gift = vouchers.create_voucher(
        "SDK-GIFT",
        VouchersCreateWithSpecificCodeRequestBody(type="GIFT_VOUCHER", gift=Gift(amount=3000)),
    )
    assert gift.gift.balance == 3000
    fetched = vouchers.get_voucher("SDK-GIFT")
    assert fetched.id == gift.id
    assert fetched.assets.qr.url.endswith(f"/v1/assets/qr/{gift.id}.png")
    updated = vouchers.update_voucher(
        "SDK-GIFT", VouchersUpdateRequestBody(additional_info="hello", metadata={"a": "b"})
    )
    assert updated.additional_info == "hello"
    assert vouchers.disable_voucher("SDK-GIFT").active is False
    assert vouchers.enable_voucher("SDK-GIFT").active is True
    listed = vouchers.list_vouchers(limit=10, order="code")
    assert [v.code for v in listed.vouchers] == sorted([generated.code, "SDK-GIFT"])
    assert listed.total == 2
    vouchers.delete_voucher("SDK-GIFT", force=True)
    assert vouchers.list_vouchers().total == 1
