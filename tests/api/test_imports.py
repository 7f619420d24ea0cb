"""Voucher imports over HTTP and the official SDK: CSV and JSON, standalone and into campaigns."""

from __future__ import annotations

import httpx
import voucherify
from voucherify.api.async_actions_api import AsyncActionsApi
from voucherify.api.campaigns_api import CampaignsApi
from voucherify.api.vouchers_api import VouchersApi
from voucherify.models import (
    CampaignsImportVoucherItem,
    VouchersImportCreateItemRequestBody,
)

from tests.api.catalog_helpers import discount_campaign, event_types, wait_for_action
from tests.support.server import Project, RunningServer

STANDALONE_CSV = (
    "Code,Voucher Type,Value,Discount Type,Category,Start Date,Expiration Date,"
    "Redemption Limit,Redeemed Quantity,Redeemed Amount,Active,Additional Info,Region\n"
    "CSV-AMOUNT,DISCOUNT_VOUCHER,1500,AMOUNT,,2030-01-01T00:00:00Z,2030-02-01T00:00:00+00:00,"
    "3,1,,TRUE,first,north\n"
    "CSV-GIFT,GIFT_VOUCHER,5000,,,,,,,1200,false,,south\n"
    "CSV-PCT,DISCOUNT_VOUCHER,15,PERCENT,,,,,,,,,\n"
)


def _post_csv(http: httpx.Client, path: str, text: str) -> httpx.Response:
    return http.post(path, files={"file": ("vouchers.csv", text.encode(), "text/csv")})


def test_csv_import_standalone(http: httpx.Client, server: RunningServer, project: Project) -> None:
    """Voucherify's CSV columns become vouchers; unknown columns become metadata; no events."""
    response = _post_csv(http, "/v1/vouchers/importCSV", STANDALONE_CSV)
    assert response.status_code == 202, response.text
    action = wait_for_action(http, response.json()["async_action_id"])
    assert action["type"] == "VOUCHERS.IMPORT_CSV"
    assert (action["status"], action["operation_status"]) == ("DONE", "SUCCESS")
    assert action["result"]["done_count"] == 3
    assert action["result"]["failed_count"] == 0
    assert action["progress"] == 100
    amount = http.get("/v1/vouchers/CSV-AMOUNT").json()
    assert amount["discount"] == {"type": "AMOUNT", "amount_off": 1500, "effect": "APPLY_TO_ORDER"}
    assert amount["start_date"] == "2030-01-01T00:00:00.000Z"
    assert amount["expiration_date"] == "2030-02-01T00:00:00.000Z"
    assert amount["redemption"]["quantity"] == 3
    assert amount["redemption"]["redeemed_quantity"] == 1
    assert amount["additional_info"] == "first"
    assert amount["metadata"] == {"Region": "north"}
    gift = http.get("/v1/vouchers/CSV-GIFT").json()
    assert gift["gift"]["amount"] == 5000
    assert gift["gift"]["balance"] == 3800
    assert gift["active"] is False
    assert http.get("/v1/vouchers/CSV-PCT").json()["discount"]["percent_off"] == 15
    assert "voucher.created" not in event_types(server, project)


def test_csv_bad_rows_are_reported_and_good_rows_imported(http: httpx.Client) -> None:
    """Each bad row is listed with its row, code, column and reason; the others are imported."""
    http.post("/v1/vouchers/TAKEN", json={"type": "GIFT_VOUCHER", "gift": {"amount": 1}})
    text = (
        "Code,Voucher Type,Value,Discount Type,Start Date,Active\n"
        "OK-1,GIFT_VOUCHER,100,,,\n"
        "BAD-DATE,GIFT_VOUCHER,100,,someday,\n"
        "BAD-TYPE,COUPON,100,,,\n"
        "TAKEN,GIFT_VOUCHER,100,,,\n"
        "OK-1,GIFT_VOUCHER,100,,,\n"
        "BAD-ACTIVE,GIFT_VOUCHER,100,,,perhaps\n"
        ",GIFT_VOUCHER,100,,,\n"
        "BAD-PCT,DISCOUNT_VOUCHER,150,PERCENT,,\n"
    )
    action_id = _post_csv(http, "/v1/vouchers/importCSV", text).json()["async_action_id"]
    action = wait_for_action(http, action_id)
    result = action["result"]
    assert (action["status"], action["operation_status"]) == ("DONE", "FAILED")
    assert (result["done_count"], result["failed_count"]) == (2, 6)
    assert result["message"] == "2 vouchers imported, 6 failed"
    failed = {(f["row"], f["code"], f["field"]) for f in result["failed"]}
    assert failed == {
        (2, "BAD-DATE", "Start Date"),
        (3, "BAD-TYPE", "Voucher Type"),
        (5, "OK-1", "Code"),
        (6, "BAD-ACTIVE", "Active"),
        (7, "", "Code"),
        (8, "BAD-PCT", "discount"),
    }
    reasons = {f["code"]: f["reason"] for f in result["failed"]}
    assert http.get("/v1/vouchers/TAKEN").json()["gift"]["amount"] == 100  # re-import updates
    assert reasons["OK-1"] == "repeats an earlier row"
    assert "'perhaps' is not TRUE or FALSE" in reasons["BAD-ACTIVE"]
    assert http.get("/v1/vouchers/OK-1").status_code == 200
    assert http.get("/v1/vouchers/BAD-DATE").status_code == 404


def test_csv_into_campaign(http: httpx.Client) -> None:
    """Campaign CSV imports take Code/Category/Active/metadata and inherit the discount; the
    voucher columns a campaign decides (Value, Discount Type, Formula) are skipped."""
    http.post("/v1/categories", json={"name": "Legacy", "hierarchy": 1})
    campaign = discount_campaign(http, "Imported")
    text = (
        "Code,Category,Active,Source,Value,Discount Type,Formula\n"
        "OLD-1,Legacy,false,shopify,99,AMOUNT,x\nOLD-2,,,,,,\n"
    )
    response = _post_csv(http, f"/v1/campaigns/{campaign['id']}/importCSV", text)
    assert response.status_code == 200, response.text
    action = wait_for_action(http, response.json()["async_action_id"])
    assert action["type"] == "CAMPAIGN.VOUCHERS_IMPORT_CSV"
    assert action["operation_status"] == "SUCCESS"
    old = http.get("/v1/vouchers/OLD-1").json()
    assert old["campaign_id"] == campaign["id"]
    assert old["category"] == "Legacy"
    assert old["active"] is False
    assert old["metadata"] == {"Source": "shopify"}
    assert old["discount"]["percent_off"] == 10
    assert http.get(f"/v1/campaigns/{campaign['id']}").json()["vouchers_count"] == 2


def test_bad_uploads_are_400(http: httpx.Client) -> None:
    """No file, no Code column, unsupported columns, non-UTF-8, unknown campaign, bad JSON."""
    assert http.post("/v1/vouchers/importCSV", data={"x": "1"}).status_code == 400
    no_code = _post_csv(http, "/v1/vouchers/importCSV", "Value\n1\n")
    assert no_code.json()["details"] == "The CSV file needs a Code column"
    formula = _post_csv(http, "/v1/vouchers/importCSV", "Code,Formula\nA,x\n")
    assert formula.json()["details"] == "The CSV column 'Formula' is not supported"
    latin = http.post(
        "/v1/vouchers/importCSV", files={"file": ("v.csv", "Code\nCAF\xc9\n".encode("latin-1"))}
    )
    assert latin.json()["details"] == "The CSV file must be UTF-8 text"
    empty = _post_csv(http, "/v1/vouchers/importCSV", "")
    assert empty.json()["details"] == "The CSV file is empty"
    campaign_only = _post_csv(http, "/v1/campaigns/nope/importCSV", "Code\nA\n")
    assert campaign_only.status_code == 404
    assert http.post("/v1/vouchers/import", json={"code": "A"}).status_code == 400
    assert http.post("/v1/vouchers/import", json=["A"]).status_code == 400


def test_json_import_and_campaign_json_import(http: httpx.Client) -> None:
    """JSON imports store vouchers as given; per-item errors name the JSON field."""
    items = [
        {"code": "J-1", "type": "GIFT_VOUCHER", "gift": {"amount": 700}, "metadata": {"a": 1}},
        {"code": "J-2", "type": "DISCOUNT_VOUCHER", "discount": {"type": "AMOUNT"}},
        {"code": "J-3", "type": "LOYALTY_CARD", "loyalty_card": {"points": 50}},
    ]
    response = http.post("/v1/vouchers/import", json=items)
    assert response.status_code == 202, response.text
    action = wait_for_action(http, response.json()["async_action_id"])
    assert action["type"] == "VOUCHERS.IMPORT"
    assert action["result"]["failed"] == [
        {
            "row": 2,
            "code": "J-2",
            "field": "discount",
            "reason": "discount.amount_off is required for a AMOUNT discount",
        }
    ]
    assert http.get("/v1/vouchers/J-1").json()["metadata"] == {"a": 1}
    assert http.get("/v1/vouchers/J-3").json()["loyalty_card"]["points"] == 50
    campaign = discount_campaign(http, "JSON target")
    response = http.post(f"/v1/campaigns/{campaign['name']}/import", json=[{"code": "C-1"}])
    assert response.status_code == 202
    done = wait_for_action(http, response.json()["async_action_id"])
    assert (done["type"], done["operation_status"]) == ("CAMPAIGN.VOUCHERS_IMPORT", "SUCCESS")
    assert http.get("/v1/vouchers/C-1").json()["campaign"] == "JSON target"


def _sdk_wait(sdk: voucherify.ApiClient, action_id: str, http: httpx.Client) -> str:
    wait_for_action(http, action_id)
    action = AsyncActionsApi(sdk).get_async_action(action_id)
    return f"{action.status}/{action.operation_status}"


def test_sdk_imports(sdk: voucherify.ApiClient, http: httpx.Client) -> None:
    """The official SDK's four import methods parse the answers into their models."""
    vouchers = VouchersApi(sdk)
    csv_answer = vouchers.import_vouchers_using_csv(
        file=b"Code,Voucher Type,Value\nS-1,GIFT_VOUCHER,10\n"
    )
    assert _sdk_wait(sdk, csv_answer.async_action_id, http) == "DONE/SUCCESS"
    item = VouchersImportCreateItemRequestBody.from_dict(
        {"code": "S-2", "type": "GIFT_VOUCHER", "gift": {"amount": 20}}
    )
    json_answer = vouchers.import_vouchers([item])
    assert _sdk_wait(sdk, json_answer.async_action_id, http) == "DONE/SUCCESS"
    campaign = discount_campaign(http, "SDK imports")
    campaigns = CampaignsApi(sdk)
    csv_into = campaigns.import_vouchers_to_campaign_using_csv(campaign["id"], file=b"Code\nS-3\n")
    assert _sdk_wait(sdk, csv_into.async_action_id, http) == "DONE/SUCCESS"
    json_into = campaigns.import_vouchers_to_campaign(
        campaign["id"], [CampaignsImportVoucherItem.from_dict({"code": "S-4"})]
    )
    assert _sdk_wait(sdk, json_into.async_action_id, http) == "DONE/SUCCESS"
    got = vouchers.get_voucher("S-4")
    assert got.campaign_id == campaign["id"]
    assert vouchers.get_voucher("S-1").gift.amount == 10


def test_csv_rows_sharing_a_value_stay_independent(http: httpx.Client) -> None:
    """Rows with the same value each keep their own value, balance and error."""
    text = (
        "Code,Voucher Type,Value,Discount Type,Redeemed Amount\n"
        "SAME-G1,GIFT_VOUCHER,5000,,1000\n"
        "SAME-G2,GIFT_VOUCHER,5000,,0\n"
        "SAME-D1,DISCOUNT_VOUCHER,150,PERCENT,\n"
        "SAME-D2,DISCOUNT_VOUCHER,150,PERCENT,\n"
        "SAME-D3,DISCOUNT_VOUCHER,25,PERCENT,\n"
    )
    response = _post_csv(http, "/v1/vouchers/importCSV", text)
    action = wait_for_action(http, response.json()["async_action_id"])
    assert action["result"]["done_count"] == 3
    failed = action["result"]["failed"]
    assert [(f["code"], f["reason"]) for f in failed] == [
        ("SAME-D1", failed[0]["reason"]),
        ("SAME-D2", failed[0]["reason"]),
    ]
    assert "percent_off" in failed[0]["reason"]
    assert http.get("/v1/vouchers/SAME-G1").json()["gift"]["balance"] == 4000
    assert http.get("/v1/vouchers/SAME-G2").json()["gift"]["balance"] == 5000
    assert http.get("/v1/vouchers/SAME-D3").json()["discount"]["percent_off"] == 25
