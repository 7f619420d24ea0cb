"""Stacking rules: defaults, create, update, delete, validation, and what validations read."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest
import voucherify
from voucherify.api.management_api import ManagementApi
from voucherify.models.management_projects_stacking_rules_create_request_body import (
    ManagementProjectsStackingRulesCreateRequestBody,
)
from voucherify.models.management_projects_stacking_rules_update_request_body import (
    ManagementProjectsStackingRulesUpdateRequestBody,
)

from openvoucher.checkout import stacking_rules
from tests.support.server import MANAGEMENT_ID, MANAGEMENT_TOKEN, Project, RunningServer


@pytest.fixture
def management(server: RunningServer) -> Iterator[httpx.Client]:
    """An HTTP client with the management keys."""
    with httpx.Client(base_url=server.base_url, headers=server.management_headers) as client:
        yield client


@pytest.fixture
def api(server: RunningServer) -> Iterator[ManagementApi]:
    """The official SDK's management API."""
    configuration = voucherify.Configuration(
        host=server.base_url,
        api_key={"X-Management-Id": MANAGEMENT_ID, "X-Management-Token": MANAGEMENT_TOKEN},
    )
    with voucherify.ApiClient(configuration) as client:
        yield ManagementApi(client)


def effective(server: RunningServer, project: Project) -> dict[str, object]:
    """What validations would read for the project."""
    with server.container.uow.read(project.id) as tx:
        return stacking_rules.get_effective(tx)


def test_defaults_are_listed_without_id(api: ManagementApi, project: Project) -> None:
    """Without own rules the list holds Voucherify's defaults, with no id."""
    listed = api.list_stacking_rules(project.id)
    assert listed.total == 1
    rules = listed.data[0]
    assert rules.id is None
    assert (rules.redeemables_limit, rules.applicable_redeemables_limit) == (30, 5)
    assert rules.redeemables_application_mode == "ALL"


def category(http: httpx.Client, name: str, hierarchy: int = 1) -> str:
    """A new category's id."""
    reply = http.post("/v1/categories", json={"name": name, "hierarchy": hierarchy})
    assert reply.status_code == 200, reply.text
    ident: str = reply.json()["id"]
    return ident


def test_sdk_create_update_delete(
    server: RunningServer, api: ManagementApi, project: Project, http: httpx.Client
) -> None:
    """Own rules replace the defaults for validations until they are deleted."""
    cat_a, cat_b = category(http, "a"), category(http, "b")
    created = api.create_stacking_rules(
        project.id,
        ManagementProjectsStackingRulesCreateRequestBody(
            redeemables_limit=10,
            applicable_redeemables_limit=3,
            redeemables_application_mode="PARTIAL",
            exclusive_categories=[cat_a],
        ),
    )
    assert created.id.startswith("stk_")
    assert (created.redeemables_limit, created.redeemables_application_mode) == (10, "PARTIAL")
    assert created.joint_categories == []
    assert effective(server, project)["applicable_redeemables_limit"] == 3
    updated = api.update_stacking_rules(
        project.id,
        created.id,
        ManagementProjectsStackingRulesUpdateRequestBody(exclusive_categories=[cat_b]),
    )
    assert (updated.exclusive_categories, updated.redeemables_limit) == ([cat_b], 10)
    assert updated.updated_at is not None
    assert api.get_stacking_rules(project.id, created.id).id == created.id
    assert api.list_stacking_rules(project.id).data[0].id == created.id
    api.delete_stacking_rules(project.id, created.id)
    assert effective(server, project) == stacking_rules.DEFAULTS


def test_invalid_rules(management: httpx.Client, project: Project, http: httpx.Client) -> None:
    """Out-of-range limits, unknown modes and inconsistent limits are 400; a second POST 409."""
    base = f"/management/v1/projects/{project.id}/stacking-rules"
    known = category(http, "c")
    for bad in (
        {"redeemables_limit": 31},
        {"applicable_exclusive_redeemables_limit": 6},
        {"redeemables_sorting_rule": "RANDOM"},
        {"redeemables_limit": 2, "applicable_redeemables_limit": 3},
        {"no_effect_skip_categories": [known], "no_effect_redeem_anyway_categories": [known]},
    ):
        response = management.post(base, json=bad)
        assert response.status_code == 400, bad
    assert management.post(base, json={}).status_code == 200
    assert management.post(base, json={}).status_code == 409
    assert management.get(f"{base}/stk_nope").status_code == 404


LIMITS = (
    "redeemables_limit",
    "applicable_redeemables_limit",
    "applicable_redeemables_per_category_limit",
    "applicable_exclusive_redeemables_limit",
    "applicable_exclusive_redeemables_per_category_limit",
)


def _refused(management: httpx.Client, url: str, body: dict[str, object], words: str) -> None:
    reply = management.post(url, json=body)
    assert reply.status_code == 400, body
    error = reply.json()
    assert error["key"] == "invalid_payload"
    assert words in error["details"] or words in error["message"], error
    assert error["request_id"]


def test_bad_rules_are_refused_and_nothing_is_stored(
    management: httpx.Client, project: Project, http: httpx.Client
) -> None:
    """Unknown categories, limits above redeemables_limit and limits of 0: 400, defaults kept."""
    base = f"/management/v1/projects/{project.id}/stacking-rules"
    known = category(http, "known")
    for field in (
        "exclusive_categories",
        "joint_categories",
        "no_effect_skip_categories",
        "no_effect_redeem_anyway_categories",
        "initial_amount_mode_categories",
        "discounted_amount_mode_categories",
    ):
        _refused(management, base, {field: [known, "cat_unknown"]}, "cat_unknown")
    limits = {"applicable_redeemables_category_limits": {"cat_unknown": 2}}
    _refused(management, base, limits, "cat_unknown")
    for field in LIMITS[1:]:
        body = {"redeemables_limit": 3, "applicable_redeemables_limit": 3, field: 4}
        _refused(management, base, body, field)
    too_many = {
        "applicable_redeemables_limit": 2,
        "applicable_redeemables_category_limits": {known: 3},
    }
    _refused(management, base, too_many, "applicable_redeemables_category_limits")
    for field in LIMITS:
        assert management.post(base, json={field: 0}).status_code == 400, field
    assert (
        management.post(
            base, json={"applicable_redeemables_category_limits": {known: 0}}
        ).status_code
        == 400
    )
    listed = management.get(base).json()
    assert listed["data"][0]["id"] is None
    assert listed["data"][0]["redeemables_limit"] == 30
