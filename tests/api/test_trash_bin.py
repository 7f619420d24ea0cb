"""The bin: deletes without ``force`` bin the resource, ``force=true`` removes it for good."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
import voucherify
from voucherify import BinApi
from voucherify.api.campaigns_api import CampaignsApi
from voucherify.api.loyalties_api import LoyaltiesApi
from voucherify.api.products_api import ProductsApi
from voucherify.api.vouchers_api import VouchersApi
from voucherify.exceptions import ApiException
from voucherify.models import (
    Discount,
    ParameterFiltersListBin,
    ParameterFiltersListBinResourceType,
    ParameterFiltersListBinResourceTypeConditions,
    VouchersCreateWithSpecificCodeRequestBody,
)

from openvoucher.catalog import campaigns
from openvoucher.platform import trash_bin
from openvoucher.platform.model import AsyncAction
from tests.api.catalog_helpers import discount_campaign, event_types, wait_for_action
from tests.api.loyalty_helpers import join, programme
from tests.api.test_oauth import bearer, token
from tests.support.server import Project, RunningServer


def _voucher(sdk: voucherify.ApiClient, code: str) -> Any:
    body = VouchersCreateWithSpecificCodeRequestBody(
        type="DISCOUNT_VOUCHER", discount=Discount(type="AMOUNT", amount_off=500)
    )
    return VouchersApi(sdk).create_voucher(code, body)


def _status(call: Any) -> int:
    with pytest.raises(ApiException) as raised:
        call()
    return int(raised.value.status)


def test_voucher_delete_bins_it_and_keeps_its_code(
    sdk: voucherify.ApiClient, server: RunningServer, project: Project
) -> None:
    """Deleted without force: gone, listed in the bin, its code refused until the entry goes."""
    vouchers, bin_api = VouchersApi(sdk), BinApi(sdk)
    created = _voucher(sdk, "BINNED-1")
    vouchers.delete_voucher("BINNED-1")
    assert _status(lambda: vouchers.get_voucher("BINNED-1")) == 404
    listed = bin_api.list_bin_entries()
    assert (listed.object, listed.data_ref, listed.total, listed.has_more) == (
        "list",
        "data",
        1,
        False,
    )
    entry = listed.data[0]
    assert entry.id.startswith("tbe_")
    assert (entry.resource_type, entry.object, entry.resource_id) == (
        "voucher",
        "voucher",
        created.id,
    )
    assert (entry.resource_name, entry.resource_parent_id, entry.deleted_by_user_id) == (
        "BINNED-1",
        None,
        None,
    )
    assert "voucher.deleted" in event_types(server, project)
    assert _status(lambda: _voucher(sdk, "BINNED-1")) == 409
    bin_api.delete_bin_entry(entry.id)
    assert bin_api.list_bin_entries().data == []
    assert _voucher(sdk, "BINNED-1").code == "BINNED-1"


def test_forced_voucher_delete_is_permanent(sdk: voucherify.ApiClient) -> None:
    """``force=true`` removes the voucher at once: no bin entry, its code is free again."""
    _voucher(sdk, "GONE-1")
    VouchersApi(sdk).delete_voucher("GONE-1", force=True)
    assert _status(lambda: VouchersApi(sdk).get_voucher("GONE-1")) == 404
    assert BinApi(sdk).list_bin_entries().data == []
    assert _voucher(sdk, "GONE-1").code == "GONE-1"


def test_binned_codes_are_skipped_by_generation_and_refused_by_imports(
    sdk: voucherify.ApiClient, http: httpx.Client
) -> None:
    """Generated codes never reuse a binned code, and an import of one fails for that row."""
    _voucher(sdk, "G-A")
    VouchersApi(sdk).delete_voucher("G-A")
    config = {"prefix": "G-", "charset": "AB", "length": 1}
    body = {"type": "DISCOUNT_VOUCHER", "discount": {"type": "AMOUNT", "amount_off": 1}}
    first = http.post("/v1/vouchers", json={**body, "code_config": config})
    assert (first.status_code, first.json()["code"]) == (200, "G-B")
    second = http.post("/v1/vouchers", json={**body, "code_config": config})
    assert (second.status_code, second.json()["key"]) == (400, "invalid_code_config")
    _voucher(sdk, "C-A")
    VouchersApi(sdk).delete_voucher("C-A")
    voucher = {**body, "code_config": {"prefix": "C-", "charset": "AB", "length": 1}}
    made = http.post(
        "/v1/campaigns", json={"name": "Tiny", "vouchers_count": 1, "voucher": voucher}
    )
    assert made.status_code == 200, made.text
    codes = [
        v["code"] for v in http.get("/v1/vouchers", params={"campaign": "Tiny"}).json()["vouchers"]
    ]
    assert codes == ["C-B"]
    response = http.post("/v1/vouchers/import", json=[{"code": "G-A", **body}])
    action = wait_for_action(http, response.json()["async_action_id"])
    assert [f["code"] for f in action["result"]["failed"]] == ["G-A"]
    assert "already exists" in action["result"]["failed"][0]["reason"]


def test_campaign_delete_bins_the_campaign_and_keeps_its_name(
    sdk: voucherify.ApiClient, http: httpx.Client
) -> None:
    """A binned campaign (after its job) holds its name and codes; ``force=true`` bins nothing."""
    campaign = discount_campaign(http, "Binned campaign", vouchers_count=1)
    listed = http.get("/v1/vouchers", params={"campaign": "Binned campaign"}).json()
    code = listed["vouchers"][0]["code"]
    action = CampaignsApi(sdk).delete_campaign("Binned campaign")
    assert wait_for_action(http, action.async_action_id)["status"] == "DONE"
    assert http.get("/v1/campaigns/Binned campaign").status_code == 404
    entry = BinApi(sdk).list_bin_entries().data[0]
    assert (entry.resource_type, entry.resource_id, entry.resource_name) == (
        "campaign",
        campaign["id"],
        "Binned campaign",
    )
    voucher = {"type": "DISCOUNT_VOUCHER", "discount": {"type": "AMOUNT", "amount_off": 1}}
    again = http.post("/v1/campaigns", json={"name": "Binned campaign", "voucher": voucher})
    assert (again.status_code, again.json()["key"]) == (409, "duplicate_found")
    assert _status(lambda: _voucher(sdk, code)) == 409
    BinApi(sdk).delete_bin_entry(entry.id)
    assert _voucher(sdk, code).code == code
    discount_campaign(http, "Binned campaign")
    forced = CampaignsApi(sdk).delete_campaign("Binned campaign", force=True)
    assert wait_for_action(http, forced.async_action_id)["status"] == "DONE"
    assert BinApi(sdk).list_bin_entries().data == []


def test_campaign_vouchers_and_programmes_are_binned_with_their_parent(
    sdk: voucherify.ApiClient, http: httpx.Client
) -> None:
    """A campaign voucher's parent is its campaign; a binned programme holds its card codes."""
    campaign = discount_campaign(http, "Parent", vouchers_count=2)
    codes = [
        v["code"]
        for v in http.get("/v1/vouchers", params={"campaign": "Parent"}).json()["vouchers"]
    ]
    VouchersApi(sdk).delete_voucher(codes[0])
    entry = BinApi(sdk).list_bin_entries().data[0]
    assert (entry.resource_name, entry.resource_parent_id) == (codes[0], campaign["id"])
    assert http.get("/v1/campaigns/Parent").json()["vouchers_count"] == 1
    club = programme(http, "Binned club")
    card = join(http, club["id"], "member-1")
    action = LoyaltiesApi(sdk).delete_loyalty_program(club["id"])
    assert wait_for_action(http, action.async_action_id)["status"] == "DONE"
    entries = BinApi(sdk).list_bin_entries(order="-id").data
    assert (entries[0].resource_type, entries[0].resource_name) == ("campaign", "Binned club")
    assert _status(lambda: _voucher(sdk, card["code"])) == 409


def test_products_and_skus_are_binned_with_their_parent(
    sdk: voucherify.ApiClient, http: httpx.Client
) -> None:
    """Binned products and SKUs: listed with parents, source ids held, paged, ordered, filtered."""
    product = http.post("/v1/products", json={"name": "Lamp", "source_id": "lamp"}).json()
    sku = http.post("/v1/products/lamp/skus", json={"sku": "Lamp blue", "source_id": "blue"}).json()
    kept = http.post("/v1/products", json={"name": "Desk"}).json()
    ProductsApi(sdk).delete_sku("lamp", sku["id"])
    ProductsApi(sdk).delete_product("lamp")
    ProductsApi(sdk).delete_product(kept["id"], force=True)
    assert http.get("/v1/products/lamp").status_code == 404
    entries = BinApi(sdk).list_bin_entries(order="-id").data
    assert [(e.resource_type, e.resource_name, e.resource_parent_id) for e in entries] == [
        ("product", "Lamp", None),
        ("sku", "Lamp blue", product["id"]),
    ]
    page = BinApi(sdk).list_bin_entries(limit=1)
    assert (page.total, page.has_more, page.more_starting_after) == (1, True, entries[1].id)
    rest = BinApi(sdk).list_bin_entries(limit=1, starting_after_id=page.more_starting_after)
    assert ([e.id for e in rest.data], rest.has_more) == ([entries[0].id], False)
    only_skus = ParameterFiltersListBin(
        resource_type=ParameterFiltersListBinResourceType(
            conditions=ParameterFiltersListBinResourceTypeConditions(var_is="sku")
        )
    )
    assert [e.resource_type for e in BinApi(sdk).list_bin_entries(filters=only_skus).data] == [
        "sku"
    ]
    again = http.post("/v1/products", json={"name": "Lamp 2", "source_id": "lamp"})
    assert (again.status_code, again.json()["key"]) == (409, "duplicate_found")
    BinApi(sdk).delete_bin_entry(entries[0].id)
    assert (
        http.post("/v1/products", json={"name": "Lamp 2", "source_id": "lamp"}).status_code == 200
    )
    taken_sku = http.post("/v1/products/lamp/skus", json={"sku": "Blue", "source_id": "blue"})
    assert (taken_sku.status_code, taken_sku.json()["key"]) == (409, "duplicate_found")


def test_unknown_bin_entry_and_bad_queries_are_voucherify_errors(http: httpx.Client) -> None:
    """Deleting an unknown entry is 404 ``not_found``; a bad order or filter is 400."""
    response = http.delete("/v1/trash-bin/tbe_missing")
    body = response.json()
    assert (response.status_code, body["code"], body["key"]) == (404, 404, "not_found")
    assert body["details"] == "Cannot find bin_entry with id tbe_missing"
    assert body["request_id"]
    assert http.get("/v1/trash-bin", params={"order": "name"}).status_code == 400
    bad_filter = {"filters[code][conditions][$is]": "X"}
    assert http.get("/v1/trash-bin", params=bad_filter).json()["key"] == "invalid_query_params"


def test_oauth_scope_trash_bin(http: httpx.Client, project: Project) -> None:
    """A token scoped to ``trash-bin`` lists the bin; one scoped to ``vouchers`` is 403."""
    with bearer(project, token(project, "trash-bin")["access_token"]) as allowed:
        assert allowed.get("/v1/trash-bin").json()["data"] == []
    with bearer(project, token(project, "vouchers")["access_token"]) as refused:
        assert refused.get("/v1/trash-bin").status_code == 403


def test_failed_binned_campaign_deletion_frees_the_codes_it_held(
    sdk: voucherify.ApiClient, http: httpx.Client, server: RunningServer, project: Project
) -> None:
    """A failed binned campaign deletion frees the codes it held, and only those."""
    discount_campaign(http, "Failing", vouchers_count=1)
    listed = http.get("/v1/vouchers", params={"campaign": "Failing"}).json()["vouchers"]
    code, campaign_id = listed[0]["code"], listed[0]["campaign_id"]
    _voucher(sdk, "KEPT-1")
    VouchersApi(sdk).delete_voucher("KEPT-1")
    on_failure = server.container.async_actions[campaigns.DELETE].on_failure
    assert on_failure is not None
    with server.container.uow.write(project.id) as tx:
        trash_bin.hold_campaign_codes(tx, "tbe_unstored", campaign_id)
        assert trash_bin.binned_codes(tx, [code, "KEPT-1"]) == {code, "KEPT-1"}
        request = {"campaign_id": campaign_id, "bin_entry_id": "tbe_unstored"}
        action = AsyncAction(
            "aa_1", project.id, campaigns.DELETE, "IN_PROGRESS", None, 0, request, None, tx.now
        )
        on_failure(tx, action)
        assert trash_bin.binned_codes(tx, [code, "KEPT-1"]) == {"KEPT-1"}
