"""Regressions of the 5xx and sloppy acceptances found by fuzzing (issue 14)."""

from __future__ import annotations

import httpx
import pytest

from tests.api.redemption_helpers import (
    balance,
    discount_voucher,
    gift_voucher,
    redeem,
    voucher_ref,
)
from tests.support.server import Project, RunningServer

BLANK_PERCENT = {"type": "PERCENT", "percent_off": None, "percent_off_formula": ""}


def bad(response: httpx.Response, status: int = 400) -> str:
    """The error key of a refused request with this status."""
    assert response.status_code == status, response.text
    key: str = response.json()["key"]
    return key


def test_rollback_of_force_deleted_voucher_is_404(http: httpx.Client) -> None:
    """Rolling back a redemption whose gift card was deleted for good is 404, nothing changes."""
    gift_voucher(http, "GONE", 1000)
    rid = redeem(http, voucher_ref("GONE", 100)).json()["redemptions"][0]["id"]
    assert http.delete("/v1/vouchers/GONE", params={"force": "true"}).status_code == 204
    assert bad(http.post(f"/v1/redemptions/{rid}/rollback", json={}), 404) == "not_found"
    assert http.get(f"/v1/redemptions/{rid}").json()["status"] == "SUCCEEDED"


def test_percent_without_value_or_formula_is_400(http: httpx.Client) -> None:
    """PERCENT with percent_off null and an empty formula: 400 on vouchers, updates and tiers."""
    assert (
        bad(
            http.post(
                "/v1/vouchers/P-1", json={"type": "DISCOUNT_VOUCHER", "discount": BLANK_PERCENT}
            )
        )
        == "invalid_payload"
    )
    discount_voucher(http, "P-2", {"type": "PERCENT", "percent_off": 10})
    assert bad(http.put("/v1/vouchers/P-2", json={"discount": BLANK_PERCENT})) == "invalid_payload"
    assert http.get("/v1/vouchers/P-2").json()["discount"]["percent_off"] == 10
    body = {
        "name": "Blank",
        "campaign_type": "PROMOTION",
        "promotion": {
            "tiers": [{"name": "t", "banner": "b", "action": {"discount": BLANK_PERCENT}}]
        },
    }
    assert bad(http.post("/v1/campaigns", json=body)) == "invalid_payload"


def test_empty_voucher_import_is_400(http: httpx.Client) -> None:
    """POST /v1/vouchers/import with [] is a 400, not a job that fails."""
    assert bad(http.post("/v1/vouchers/import", json=[])) == "invalid_payload"


def test_unknown_rule_assignments_are_404(http: httpx.Client) -> None:
    """Assignments of an unknown validation rule: 404 not_found."""
    assert bad(http.get("/v1/validation-rules/val_unknown/assignments"), 404) == "not_found"


@pytest.mark.parametrize(
    "value", ["[1,2,3]", "1", '"x"', '{"code": {}}', '{"code": {"conditions": {}}}']
)
def test_list_filters_that_filter_nothing_are_400(http: httpx.Client, value: str) -> None:
    """A filters parameter that is not a filter object with conditions is a 400."""
    assert bad(http.get("/v1/vouchers", params={"filters": value})) == "invalid_query_params"


@pytest.mark.parametrize(
    "conditions", [{}, {"code": {}}, {"code": {"conditions": {}}}, {"code": []}]
)
def test_export_filters_without_conditions_are_400(http: httpx.Client, conditions: object) -> None:
    """Export filter conditions that would filter nothing are a 400."""
    body = {"exported_object": "voucher", "parameters": {"filters": conditions}}
    if conditions == {}:
        assert http.post("/v1/exports", json=body).status_code == 200
        return
    assert bad(http.post("/v1/exports", json=body)) == "invalid_payload"


def test_project_notification_settings_are_typed(server: RunningServer, project: Project) -> None:
    """api_usage_notifications of any shape is a 400, never stored (not supported here)."""
    url = f"{server.base_url}/management/v1/projects/{project.id}"
    headers = server.management_headers
    for wrong in ("yes", {"api_calls": {"enabled": "yes"}}, {"api_calls": {"value": 5}}, {"x": {}}):
        reply = httpx.put(url, json={"api_usage_notifications": wrong}, headers=headers)
        assert bad(reply) in {"invalid_payload", "not_supported"}
    stored = httpx.get(url, headers=headers).json()
    assert stored.get("api_usage_notifications") is None


def test_refused_deep_redemption_leaves_card_alone(http: httpx.Client) -> None:
    """Metadata nested ~1000 deep on a redemption: 400, and the balance is untouched."""
    gift_voucher(http, "DEEP-1000", 10_000)
    raw = b'{"redeemables": [{"object": "voucher", "id": "DEEP-1000", "gift": {"credits": 7}}],'
    raw += b' "metadata": ' + b'{"a":' * 1000 + b"1" + b"}" * 1000 + b"}"
    reply = http.post("/v1/redemptions", content=raw, headers={"content-type": "application/json"})
    assert bad(reply) == "invalid_payload"
    assert balance(http, "DEEP-1000") == 10_000
