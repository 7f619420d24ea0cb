"""The official Python SDK lists and exports a campaign's ledger and points expirations."""

from __future__ import annotations

import httpx
import voucherify
from voucherify.api.campaigns_api import CampaignsApi
from voucherify.api.loyalties_api import LoyaltiesApi
from voucherify.models import (
    CampaignsTransactionsExportCreateRequestBody,
    CampaignsTransactionsExportCreateRequestBodyParameters,
    LoyaltiesPointsExpirationExportCreateRequestBody,
    LoyaltiesPointsExpirationExportCreateRequestBodyParameters,
    LoyaltiesTransactionsExportCreateRequestBody,
    ParameterOrderListTransactions,
)

from tests.api.loyalty_helpers import join, ok, programme
from tests.api.test_campaign_ledger import adjust, gift_campaign


def test_sdk_campaign_ledger(sdk: voucherify.ApiClient, http: httpx.Client) -> None:
    """Campaign transactions (list, export) parse into the SDK's strict models."""
    campaign = gift_campaign(http, "S-1")
    adjust(http, ("S-1", 300), ("S-1", -100))
    api = CampaignsApi(sdk)
    listed = api.list_campaign_transactions(
        campaign["id"], limit=1, order=ParameterOrderListTransactions("id")
    )
    assert (listed.has_more, len(listed.data)) == (True, 1)
    assert listed.data[0].type == "CREDITS_ADDITION"
    assert listed.data[0].details.balance.balance == 1300
    scheduled = api.export_campaign_transactions(
        campaign["id"],
        CampaignsTransactionsExportCreateRequestBody(
            parameters=CampaignsTransactionsExportCreateRequestBodyParameters(
                order="-created_at", fields=["id", "amount"]
            )
        ),
    )
    assert (scheduled.status, scheduled.exported_object) == ("SCHEDULED", "voucher_transactions")
    assert scheduled.parameters.fields == ["id", "amount"]


def test_sdk_programme_ledger(sdk: voucherify.ApiClient, http: httpx.Client) -> None:
    """Programme transactions and the points-expiration export parse in the SDK."""
    club = programme(http)
    member = join(http, club["id"], "ann")
    ok(http.post(f"/v1/loyalties/{club['id']}/members/{member['id']}/balance", json={"points": 9}))
    api = LoyaltiesApi(sdk)
    listed = api.list_loyalty_campaign_transactions(club["id"])
    assert [(t.voucher_id, t.type) for t in listed.data] == [(member["id"], "POINTS_ADDITION")]
    scheduled = api.export_loyalty_campaign_transactions(
        club["id"], LoyaltiesTransactionsExportCreateRequestBody()
    )
    assert scheduled.exported_object == "voucher_transactions"
    expiring = api.create_points_expiration_export(
        club["id"],
        LoyaltiesPointsExpirationExportCreateRequestBody(
            parameters=LoyaltiesPointsExpirationExportCreateRequestBodyParameters(
                order="-expires_at", fields=["id", "points"]
            )
        ),
    )
    assert (expiring.exported_object, expiring.status) == ("points_expiration", "SCHEDULED")
    assert (expiring.parameters.order, expiring.parameters.fields) == (
        "-expires_at",
        ["id", "points"],
    )
