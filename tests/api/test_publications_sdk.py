"""Publications through the official SDK: its strict models parse every response."""

from __future__ import annotations

import pytest
import voucherify
from voucherify.api.campaigns_api import CampaignsApi
from voucherify.api.publications_api import PublicationsApi
from voucherify.api.vouchers_api import VouchersApi
from voucherify.exceptions import ApiException
from voucherify.models import (
    CampaignsCreateRequestBody,
    CampaignsCreateRequestBodyVoucher,
    CodeConfig,
    CreatePublicationCampaign,
    Customer,
    Discount,
    Gift,
    ParameterOrderListPublications,
    ParameterVoucherTypeListPublications,
    PublicationsCreateRequestBody,
    VouchersCreateWithSpecificCodeRequestBody,
)


def _campaign(sdk: voucherify.ApiClient, name: str, count: int = 0) -> None:
    CampaignsApi(sdk).create_campaign(
        CampaignsCreateRequestBody(
            name=name,
            campaign_type="DISCOUNT_COUPONS",
            type="AUTO_UPDATE",
            vouchers_count=count,
            voucher=CampaignsCreateRequestBodyVoucher(
                type="DISCOUNT_VOUCHER",
                discount=Discount(type="AMOUNT", amount_off=1500),
                code_config=CodeConfig(length=6, prefix="PUB-"),
            ),
        )
    )


def test_sdk_publish_by_code_and_list(sdk: voucherify.ApiClient) -> None:
    """Publishing a gift card by code and listing it parse into the SDK's models."""
    VouchersApi(sdk).create_voucher(
        "GIFT-SDK",
        VouchersCreateWithSpecificCodeRequestBody(type="GIFT_VOUCHER", gift=Gift(amount=2500)),
    )
    api = PublicationsApi(sdk)
    published = api.create_publication(
        publications_create_request_body=PublicationsCreateRequestBody(
            voucher="GIFT-SDK",
            customer=Customer(source_id="sdk-cust", name="SDK Customer"),
            metadata={"channel_hint": "crm"},
            source_id="sdk-pub-1",
        )
    )
    assert published.id.startswith("pub_")
    assert published.voucher.code == "GIFT-SDK"
    assert published.voucher.gift.balance == 2500
    assert published.voucher.holder_id == published.customer_id
    assert published.voucher.publish.count == 1
    assert published.customer.source_id == "sdk-cust"
    assert published.tracking_id == "sdk-cust"
    assert published.source_id == "sdk-pub-1"
    listed = api.list_publications(
        customer="sdk-cust", order=ParameterOrderListPublications("-created_at")
    )
    assert listed.total == 1
    assert listed.publications[0].id == published.id
    assert listed.publications[0].voucher.code == "GIFT-SDK"
    assert listed.publications[0].voucher.gift.amount == 2500
    by_source = api.list_publications(source_id="sdk-pub-1")
    assert [p.id for p in by_source.publications] == [published.id]


def test_sdk_publish_from_campaign(sdk: voucherify.ApiClient) -> None:
    """One and several vouchers from a campaign; join_once brings the same one back."""
    _campaign(sdk, "SDK Pub", count=1)
    api = PublicationsApi(sdk)
    customer = Customer(source_id="sdk-camp")
    single = api.create_publication(
        join_once=True,
        publications_create_request_body=PublicationsCreateRequestBody(
            campaign=CreatePublicationCampaign(name="SDK Pub"), customer=customer
        ),
    )
    assert single.voucher.code.startswith("PUB-")
    again = api.create_publication(
        join_once=True,
        publications_create_request_body=PublicationsCreateRequestBody(
            campaign=CreatePublicationCampaign(name="SDK Pub"), customer=customer
        ),
    )
    assert again.id == single.id
    several = api.create_publication(
        publications_create_request_body=PublicationsCreateRequestBody(
            campaign=CreatePublicationCampaign(name="SDK Pub", count=2),
            customer=Customer(source_id="sdk-many"),
        )
    )
    assert several.voucher is None
    assert len(several.vouchers) == 2
    assert len(several.vouchers_id) == 2
    listed = api.list_publications(
        campaign="SDK Pub", voucher_type=ParameterVoucherTypeListPublications("discount")
    )
    assert listed.total == 2
    assert {p.id for p in listed.publications} == {single.id, several.id}


def test_sdk_publish_with_get(sdk: voucherify.ApiClient) -> None:
    """The GET variant (create_publication1) publishes from query parameters."""
    _campaign(sdk, "SDK Get")
    published = PublicationsApi(sdk).create_publication1(
        customer=Customer(source_id="sdk-get", name="Getter"),
        campaign=CreatePublicationCampaign(name="SDK Get"),
        metadata={"origin": {"kind": "link"}},
    )
    assert published.voucher.campaign == "SDK Get"
    assert published.customer.name == "Getter"
    assert published.metadata == {"origin": {"kind": "link"}}


def test_sdk_errors(sdk: voucherify.ApiClient) -> None:
    """An unknown voucher is a 404 the SDK raises with the error body."""
    api = PublicationsApi(sdk)
    with pytest.raises(ApiException) as caught:
        api.create_publication(
            publications_create_request_body=PublicationsCreateRequestBody(
                voucher="MISSING", customer=Customer(source_id="x")
            )
        )
    assert caught.value.status == 404
    assert '"key":"not_found"' in str(caught.value.body).replace(" ", "")
