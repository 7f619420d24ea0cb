"""Referral code holders: the referrer by publication, referees added, listed and removed."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
import voucherify
from voucherify.api.referrals_api import ReferralsApi
from voucherify.exceptions import BadRequestException, NotFoundException
from voucherify.models.referrals_members_holders_create_in_bulk_request_body import (
    ReferralsMembersHoldersCreateInBulkRequestBody,
)

from tests.api.catalog_helpers import outbox
from tests.api.loyalty_helpers import ok
from tests.api.test_referrals import referral_campaign
from tests.support.server import Project, RunningServer
from tests.support.webhook_spec import data_errors


def _published(http: httpx.Client) -> dict[str, Any]:
    campaign = referral_campaign(http)
    body = {"campaign": {"name": campaign["name"]}, "customer": {"source_id": "ann"}}
    return {"campaign": campaign, **ok(http.post("/v1/publications", json=body))}


def _add(source_ids: list[str]) -> ReferralsMembersHoldersCreateInBulkRequestBody:
    return ReferralsMembersHoldersCreateInBulkRequestBody.from_dict(
        {"holders": [{"source_id": s, "name": s.title()} for s in source_ids]}
    )


def test_sdk_holders_crud(
    http: httpx.Client, sdk: voucherify.ApiClient, server: RunningServer, project: Project
) -> None:
    """The referrer holds the published code; referees are added (customers upserted), listed
    with paging and filters, and removed; each change emits a valid holder assignment event."""
    made = _published(http)
    code, campaign_id = made["voucher"]["code"], made["campaign"]["id"]
    api = ReferralsApi(sdk)
    listed = api.referrals_code_holders1(code)
    assert [(h.customer_id, h.holder_role) for h in listed.data] == [
        (made["customer_id"], "REFERRER")
    ]
    added = api.referrals_add_holders1(campaign_id, code, _add(["bob", "cat"]))
    assert [h.holder_role for h in added.holders] == ["REFEREE", "REFEREE"]
    assert ok(http.get("/v1/customers/bob"))["name"] == "Bob"
    assert added.holders[0].redeemable_id == made["voucher"]["id"]
    assert added.holders[0].campaign_type == "REFERRAL_PROGRAM"
    page = api.referrals_code_holders(campaign_id, code, limit=2)
    assert page.total == 3
    assert page.has_more is True
    rest = api.referrals_code_holders1(code, limit=2, starting_after_id=page.more_starting_after)
    assert rest.has_more is False
    seen = [h.id for h in page.data] + [h.id for h in rest.data]
    assert sorted(seen) == sorted([listed.data[0].id, *(h.id for h in added.holders)])
    referees = http.get(
        f"/v1/referrals/members/{code}/holders",
        params={"filters[holder_role][conditions][$is]": "REFEREE"},
    ).json()
    assert sorted(h["id"] for h in referees["data"]) == sorted(h.id for h in added.holders)
    api.referrals_remove_holder1(campaign_id, code, added.holders[0].id)
    assert [h.id for h in api.referrals_code_holders1(code, order="-id").data] == [
        added.holders[1].id,
        listed.data[0].id,
    ]
    rows = outbox(server, project)
    created = [r["data"] for r in rows if r["type"] == "customer.holder.assignment.created"]
    deleted = [r["data"] for r in rows if r["type"] == "customer.holder.assignment.deleted"]
    assert [d["holder"]["holder_role"] for d in created] == ["REFERRER", "REFEREE", "REFEREE"]
    assert created[0]["holder"]["publication_id"] == made["id"]
    assert [d["customer"]["source_id"] for d in deleted] == ["bob"]
    for data in created:
        assert data_errors("customer.holder.assignment.created", data) == []
    assert data_errors("customer.holder.assignment.deleted", deleted[0]) == []


def test_holder_errors(http: httpx.Client, sdk: voucherify.ApiClient) -> None:
    """Unknown holder or code is 404, the referrer cannot be removed nor added as a referee,
    a code of another campaign is 404."""
    made = _published(http)
    code = made["voucher"]["code"]
    api = ReferralsApi(sdk)
    with pytest.raises(NotFoundException):
        api.referrals_remove_holder(code, "rh_unknown")
    with pytest.raises(NotFoundException):
        api.referrals_code_holders1("NO-SUCH-CODE")
    with pytest.raises(NotFoundException):
        api.referrals_code_holders("camp_other", code)
    referrer = api.referrals_code_holders1(code).data[0]
    with pytest.raises(BadRequestException):
        api.referrals_remove_holder(code, referrer.id)
    with pytest.raises(BadRequestException):
        api.referrals_add_holders(code, _add(["ann"]))
    response = http.post(f"/v1/referrals/members/{code}/holders", json={"holders": []})
    assert response.status_code == 400
