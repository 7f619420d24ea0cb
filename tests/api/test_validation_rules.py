"""``/v1/validation-rules`` and assignments: CRUD through the official SDK, assignments to
vouchers and campaigns (also via ``validation_rules`` on their bodies), events, and 400s."""

from __future__ import annotations

from typing import Any

import httpx
import voucherify
from voucherify.api.campaigns_api import CampaignsApi
from voucherify.api.validation_rules_api import ValidationRulesApi
from voucherify.api.vouchers_api import VouchersApi
from voucherify.models.validation_rules_assignments_create_request_body import (
    ValidationRulesAssignmentsCreateRequestBody,
)
from voucherify.models.validation_rules_create_request_body import (
    ValidationRulesCreateRequestBody,
)
from voucherify.models.validation_rules_update_request_body import (
    ValidationRulesUpdateRequestBody,
)

from tests.api.catalog_helpers import discount_campaign, event_types, outbox, wait_for_action
from tests.api.redemption_helpers import discount_voucher
from tests.support.server import Project, RunningServer
from tests.support.webhook_spec import errors

MIN_50 = {
    "name": "At least 50",
    "error": {"message": "Spend at least 50"},
    "rules": {
        "1": {"name": "order.amount", "conditions": {"$more_than_or_equal": [5000]}, "rules": {}},
        "logic": "1",
    },
    "type": "basic",
}


def _rule(http: httpx.Client, body: dict[str, Any] | None = None) -> dict[str, Any]:
    reply = http.post("/v1/validation-rules", json=body or MIN_50)
    assert reply.status_code == 200, reply.text
    created: dict[str, Any] = reply.json()
    return created


def test_sdk_creates_reads_updates_lists_and_deletes(
    sdk: voucherify.ApiClient, http: httpx.Client
) -> None:
    """ValidationRulesApi parses create, get, update, list and delete."""
    api = ValidationRulesApi(sdk)
    created = api.create_validation_rules(ValidationRulesCreateRequestBody.from_dict(MIN_50))
    assert created.id is not None
    assert created.id.startswith("val_")
    assert created.name == "At least 50"
    assert created.type == "basic"
    assert created.context_type == "global"
    assert created.error is not None
    assert created.error.message == "Spend at least 50"
    assert created.rules["1"]["conditions"] == {"$more_than_or_equal": [5000]}
    assert created.rules["logic"] == "1"
    assert created.applicable_to is not None
    assert created.applicable_to.included == []
    assert created.assignments_count == 0
    assert created.object == "validation_rules"
    fetched = api.get_validation_rule(created.id)
    assert fetched.name == "At least 50"
    assert fetched.updated_at is None
    changed = api.update_validation_rule(
        created.id,
        ValidationRulesUpdateRequestBody.from_dict(
            {
                "name": "At least 60",
                "rules": {
                    "1": {"name": "order.amount", "conditions": {"$more_than_or_equal": [6000]}}
                },
            }
        ),
    )
    assert changed.name == "At least 60"
    assert changed.rules["1"]["conditions"] == {"$more_than_or_equal": [6000]}
    assert changed.error is not None
    assert changed.error.message == "Spend at least 50"
    assert changed.updated_at is not None
    _rule(http, {**MIN_50, "name": "Another"})
    listed = api.list_validation_rules(order="name")
    assert [r.name for r in listed.data] == ["Another", "At least 60"]
    assert listed.total == 2
    api.delete_validation_rules(created.id)
    assert http.get(f"/v1/validation-rules/{created.id}").status_code == 404


def test_sdk_assignments(sdk: voucherify.ApiClient, http: httpx.Client) -> None:
    """Assign to a voucher and a campaign, list them three ways, and delete one."""
    api = ValidationRulesApi(sdk)
    rule = _rule(http)
    voucher = discount_voucher(http, "VR-1", {"type": "AMOUNT", "amount_off": 100})
    campaign = discount_campaign(http)
    to_voucher = api.create_validation_rule_assignment(
        rule["id"],
        validation_rules_assignments_create_request_body=(
            ValidationRulesAssignmentsCreateRequestBody.from_dict(
                {"related_object_type": "voucher", "related_object_id": "VR-1"}
            )
        ),
    )
    assert to_voucher.id is not None
    assert to_voucher.id.startswith("asgm_")
    assert to_voucher.related_object_id == voucher["id"]
    assert to_voucher.related_object_type == "voucher"
    assert to_voucher.rule_id == rule["id"]
    api.create_validation_rule_assignment(
        rule["id"],
        validation_rules_assignments_create_request_body=(
            ValidationRulesAssignmentsCreateRequestBody.from_dict(
                {"related_object_type": "campaign", "related_object_id": campaign["id"]}
            )
        ),
    )
    of_rule = api.list_validation_rule_assignments(rule["id"], order="created_at")
    assert [a.related_object_type for a in of_rule.data] == ["voucher", "campaign"]
    assert api.get_validation_rule(rule["id"]).assignments_count == 2
    of_voucher = api.list_validation_rules_assignments(related_object_id=voucher["id"])
    assert [a.id for a in of_voucher.data] == [to_voucher.id]
    assert api.list_validation_rules_assignments(rule="val_unknown").total == 0
    shown = VouchersApi(sdk).get_voucher("VR-1")
    assert [a.id for a in shown.validation_rules_assignments.data] == [to_voucher.id]
    shown_campaign = CampaignsApi(sdk).get_campaign(campaign["id"])
    assert shown_campaign.validation_rules_assignments.total == 1
    api.delete_validation_rule_assignment(rule["id"], to_voucher.id)
    assert http.get("/v1/vouchers/VR-1").json()["validation_rules_assignments"]["total"] == 0


def test_validation_rules_field_on_voucher_and_campaign(http: httpx.Client) -> None:
    """``validation_rules`` on create assigns, on update replaces; unknown ids are 404."""
    first, second = _rule(http), _rule(http, {**MIN_50, "name": "Second"})
    body = {"type": "DISCOUNT_VOUCHER", "discount": {"type": "AMOUNT", "amount_off": 1}}
    created = http.post("/v1/vouchers/F-1", json={**body, "validation_rules": [first["id"]]})
    assert created.status_code == 200, created.text
    listed = created.json()["validation_rules_assignments"]
    assert [a["rule_id"] for a in listed["data"]] == [first["id"]]
    updated = http.put("/v1/vouchers/F-1", json={"validation_rules": [second["id"]]}).json()
    assert [a["rule_id"] for a in updated["validation_rules_assignments"]["data"]] == [second["id"]]
    campaign = discount_campaign(http, "Ruled", validation_rules=[first["id"]])
    assert campaign["validation_rules_assignments"]["data"][0]["rule_id"] == first["id"]
    missing = http.post("/v1/vouchers/F-2", json={**body, "validation_rules": ["val_nope"]})
    assert missing.status_code == 404
    assert missing.json()["key"] == "not_found"
    assert http.get("/v1/vouchers/F-2").status_code == 404


def test_duplicate_and_forced_assignment(http: httpx.Client) -> None:
    """The same assignment twice is 409; with ``force`` it is replaced by a new one."""
    rule = _rule(http)
    discount_voucher(http, "DUP", {"type": "AMOUNT", "amount_off": 1})
    path = f"/v1/validation-rules/{rule['id']}/assignments"
    first = http.post(path, json={"related_object_type": "voucher", "related_object_id": "DUP"})
    again = http.post(path, json={"related_object_type": "voucher", "related_object_id": "DUP"})
    assert again.status_code == 409
    forced = http.post(
        path,
        params={"force": "true"},
        json={"related_object_type": "voucher", "related_object_id": "DUP"},
    )
    assert forced.status_code == 200
    assert [a["id"] for a in http.get(path).json()["data"]] == [forced.json()["id"]]
    assert forced.json()["id"] != first.json()["id"]


def test_invalid_bodies_are_400(http: httpx.Client) -> None:
    """Unknown rule names, bad segment rules, bad logic, bad types and other targets are 400s."""
    cases = [
        (
            {"name": "x", "rules": {"1": {"name": "order.amout", "conditions": {"$is": [1]}}}},
            "order.amout",
        ),
        (
            {
                "name": "x",
                "rules": {"1": {"name": "customer.segment", "conditions": {"$is": [7]}}},
            },
            "segment ids",
        ),
        ({"name": "x", "rules": {**MIN_50["rules"], "logic": "1 or 2"}}, "rule 2"),
        ({**MIN_50, "type": "fancy"}, "type must be one of"),
        ({**MIN_50, "context_type": "nowhere"}, "context_type"),
        ({"rules": MIN_50["rules"]}, "name is required"),
    ]
    for body, detail in cases:
        reply = http.post("/v1/validation-rules", json=body)
        assert reply.status_code == 400, body
        assert reply.json()["key"] == "invalid_payload"
        assert detail in reply.json()["details"]
    rule = _rule(http)
    tier = http.post(
        f"/v1/validation-rules/{rule['id']}/assignments",
        json={"related_object_type": "earning_rule", "related_object_id": "ern_1"},
    )
    assert tier.status_code == 400
    assert "vouchers, campaigns and promotion tiers only" in tier.json()["details"]
    assert http.get("/v1/validation-rules").json()["total"] == 1


def test_events_have_documented_shape(
    http: httpx.Client, server: RunningServer, project: Project
) -> None:
    """created/updated/deleted and assignment created/deleted events match the webhook spec."""
    rule = _rule(http)
    discount_voucher(http, "EV", {"type": "AMOUNT", "amount_off": 1})
    path = f"/v1/validation-rules/{rule['id']}/assignments"
    made = http.post(path, json={"related_object_type": "voucher", "related_object_id": "EV"})
    http.put(f"/v1/validation-rules/{rule['id']}", json={"name": "Renamed"})
    http.delete(f"{path}/{made.json()['id']}")
    http.delete(f"/v1/validation-rules/{rule['id']}")
    rows = [r for r in outbox(server, project) if r["type"].startswith("business_")]
    assert [r["type"] for r in rows] == [
        "business_validation_rule.created",
        "business_validation_rule.assignment.created",
        "business_validation_rule.updated",
        "business_validation_rule.assignment.deleted",
        "business_validation_rule.deleted",
    ]
    schemas = [
        "EventBusValRuleCreatedData",
        "EventBusValRuleAssignmentCreatedData",
        "EventBusValRuleUpdatedData",
        "EventBusValRuleAssignmentDeletedData",
        "EventBusValRuleDeletedData",
    ]
    for row, schema in zip(rows, schemas, strict=True):
        assert errors(row["data"], schema, null_fields=True) == [], row["type"]
    assert rows[1]["data"]["voucher"]["code"] == "EV"
    assert rows[1]["data"]["assignment"]["id"] == made.json()["id"]
    assert rows[2]["data"]["rule"]["name"] == "Renamed"
    assert "voucher.created" in event_types(server, project)


def test_deleting_vouchers_and_campaigns_drops_their_assignments(http: httpx.Client) -> None:
    """A deleted voucher's or campaign's assignments go with it (also the campaign's vouchers')."""
    rule = _rule(http)
    campaign = discount_campaign(http, validation_rules=[rule["id"]])
    code = http.post(f"/v1/campaigns/{campaign['id']}/vouchers").json()["code"]
    path = f"/v1/validation-rules/{rule['id']}/assignments"
    http.post(path, json={"related_object_type": "voucher", "related_object_id": code})
    discount_voucher(http, "ALONE", {"type": "AMOUNT", "amount_off": 1})
    http.post(path, json={"related_object_type": "voucher", "related_object_id": "ALONE"})
    assert http.get(path).json()["total"] == 3
    assert http.delete("/v1/vouchers/ALONE").status_code == 204
    kinds = sorted(a["related_object_type"] for a in http.get(path).json()["data"])
    assert kinds == ["campaign", "voucher"]
    action = http.delete(f"/v1/campaigns/{campaign['id']}").json()["async_action_id"]
    assert wait_for_action(http, action)["status"] == "DONE"
    assert http.get(path).json()["total"] == 0
    assert http.get(f"/v1/validation-rules/{rule['id']}").json()["assignments_count"] == 0
