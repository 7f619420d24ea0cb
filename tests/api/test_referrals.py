"""Referral programs: campaigns, referral codes, their filters and publication to a referrer."""

from __future__ import annotations

from typing import Any

import httpx
import voucherify
from voucherify.api.campaigns_api import CampaignsApi
from voucherify.models import (
    CampaignsCreateRequestBody,
    CampaignsCreateRequestBodyVoucher,
    CampaignsUpdateRequestBody,
    CodeConfig,
    Discount,
    ReferralProgram,
    ReferralProgramCustomEvent,
)


def referral_campaign(http: httpx.Client, name: str = "Refer", **program: Any) -> dict[str, Any]:
    """A REFERRAL_PROGRAM campaign with 3 codes worth 10.00 off."""
    body = {
        "name": name,
        "campaign_type": "REFERRAL_PROGRAM",
        "vouchers_count": 3,
        "referral_program": {"conversion_event_type": "redemption", **program},
        "voucher": {
            "type": "DISCOUNT_VOUCHER",
            "discount": {"type": "AMOUNT", "amount_off": 1000},
            "code_config": {"length": 6, "prefix": "REF-"},
        },
    }
    response = http.post("/v1/campaigns", json=body)
    assert response.status_code == 200, response.text
    return dict(response.json())


def test_sdk_referral_campaign_roundtrip(sdk: voucherify.ApiClient) -> None:
    """A REFERRAL_PROGRAM campaign is created, read and updated through the SDK."""
    api = CampaignsApi(sdk)
    created = api.create_campaign(
        CampaignsCreateRequestBody(
            name="Friends",
            campaign_type="REFERRAL_PROGRAM",
            vouchers_count=2,
            referral_program=ReferralProgram(conversion_event_type="redemption"),
            voucher=CampaignsCreateRequestBodyVoucher(
                type="DISCOUNT_VOUCHER",
                discount=Discount(type="PERCENT", percent_off=10),
                code_config=CodeConfig(length=8),
            ),
        )
    )
    assert created.campaign_type == "REFERRAL_PROGRAM"
    assert created.vouchers_count == 2
    assert created.voucher.is_referral_code is True
    assert created.referral_program.conversion_event_type == "redemption"
    updated = api.update_campaign(
        created.id,
        CampaignsUpdateRequestBody(
            referral_program=ReferralProgram(
                conversion_event_type="custom_event",
                custom_event=ReferralProgramCustomEvent(name="signed_up"),
            )
        ),
    )
    assert updated.referral_program.conversion_event_type == "custom_event"
    assert updated.referral_program.custom_event.name == "signed_up"
    assert api.get_campaign("Friends").referral_program.custom_event.name == "signed_up"


def test_referral_codes_and_filters(http: httpx.Client) -> None:
    """Codes of a referral campaign are referral codes; the is_referral_code filters find them."""
    campaign = referral_campaign(http)
    plain = http.post(
        "/v1/campaigns",
        json={
            "name": "Plain",
            "vouchers_count": 1,
            "voucher": {
                "type": "DISCOUNT_VOUCHER",
                "discount": {"type": "AMOUNT", "amount_off": 100},
            },
        },
    )
    assert plain.status_code == 200
    listed = http.get("/v1/vouchers", params={"filters[is_referral_code][conditions][$is]": "true"})
    codes = {v["code"] for v in listed.json()["vouchers"]}
    assert len(codes) == 3
    assert all(code.startswith("REF-") for code in codes)
    others = http.get(
        "/v1/vouchers", params={"filters[is_referral_code][conditions][$is]": "false"}
    )
    assert [v["campaign"] for v in others.json()["vouchers"]] == ["Plain"]
    found = http.get("/v1/campaigns", params={"is_referral_code": "true"}).json()["campaigns"]
    assert [c["id"] for c in found] == [campaign["id"]]
    published = http.post(
        "/v1/publications", json={"campaign": {"name": "Refer"}, "customer": {"source_id": "ann"}}
    )
    assert published.status_code == 200, published.text
    voucher = published.json()["voucher"]
    assert voucher["is_referral_code"] is True
    full = http.get(f"/v1/vouchers/{voucher['code']}").json()
    assert full["is_referral_code"] is True
    assert full["holder_id"] == published.json()["customer_id"]
    assert full["referrer_id"] == published.json()["customer_id"]
    pubs = http.get("/v1/publications", params={"is_referral_code": "true"}).json()
    assert [p["id"] for p in pubs["publications"]] == [published.json()["id"]]
    none = http.get("/v1/publications", params={"is_referral_code": "false"}).json()
    assert none["publications"] == []


def test_referral_program_checked(http: httpx.Client) -> None:
    """A custom-event conversion without the event's name, or a program elsewhere, is 400."""
    body = {
        "name": "Bad",
        "campaign_type": "REFERRAL_PROGRAM",
        "referral_program": {"conversion_event_type": "custom_event"},
        "voucher": {"type": "DISCOUNT_VOUCHER", "discount": {"type": "AMOUNT", "amount_off": 5}},
    }
    response = http.post("/v1/campaigns", json=body)
    assert response.status_code == 400
    assert "custom_event.name" in response.json()["details"]
    plain = referral_campaign(http, name="Plain referral")
    reward = {"type": "GIFT_VOUCHER", "amount": 100, "related_object_parent": {"id": plain["id"]}}
    body["referral_program"] = {"referee_reward": reward}
    mismatched = http.post("/v1/campaigns", json=body)
    assert mismatched.status_code == 400
    assert "is no GIFT_VOUCHERS campaign" in mismatched.json()["details"]
    wrong = http.post(
        "/v1/campaigns",
        json={"name": "Coupons", "referral_program": {"conversion_event_type": "redemption"}},
    )
    assert wrong.status_code == 400
