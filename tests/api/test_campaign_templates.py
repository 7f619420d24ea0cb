"""Campaign templates: save, list, rename, delete, set up campaigns and tiers, copy."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest
import voucherify
from voucherify.api.management_api import ManagementApi
from voucherify.api.templates_api import TemplatesApi
from voucherify.models.management_projects_templates_campaigns_copy_create_request_body import (
    ManagementProjectsTemplatesCampaignsCopyCreateRequestBody,
)
from voucherify.models.templates_campaigns_campaign_setup_create_request_body import (
    TemplatesCampaignsCampaignSetupCreateRequestBody,
)
from voucherify.models.templates_campaigns_create_request_body import (
    TemplatesCampaignsCreateRequestBody,
)
from voucherify.models.templates_campaigns_update_request_body import (
    TemplatesCampaignsUpdateRequestBody,
)

from tests.api.catalog_helpers import discount_campaign, outbox
from tests.api.promotion_helpers import AMOUNT_OFF, promotion, tier
from tests.support.server import (
    MANAGEMENT_ID,
    MANAGEMENT_TOKEN,
    Project,
    RunningServer,
    new_project,
)
from tests.support.webhook_spec import data_errors

RULE = {
    "name": "At least 50",
    "rules": {
        "1": {"name": "order.amount", "conditions": {"$more_than_or_equal": [5000]}, "rules": {}},
        "logic": "1",
    },
    "type": "basic",
}


@pytest.fixture
def management(server: RunningServer) -> Iterator[ManagementApi]:
    """The official SDK's ManagementApi with the management keys."""
    configuration = voucherify.Configuration(
        host=server.base_url,
        api_key={"X-Management-Id": MANAGEMENT_ID, "X-Management-Token": MANAGEMENT_TOKEN},
    )
    with voucherify.ApiClient(configuration) as client:
        yield ManagementApi(client)


def _saved(http: httpx.Client, name: str = "Ten percent", **source: str) -> dict[str, Any]:
    reply = http.post("/v1/templates/campaigns", json={"name": name, **source})
    assert reply.status_code == 200, reply.text
    body: dict[str, Any] = reply.json()
    return body


def _ruled_campaign(http: httpx.Client) -> tuple[dict[str, Any], str]:
    rule_id = http.post("/v1/validation-rules", json=RULE).json()["id"]
    campaign = discount_campaign(http, "Source", validation_rules=[rule_id], vouchers_count=2)
    return campaign, rule_id


def test_sdk_template_crud(sdk: voucherify.ApiClient, http: httpx.Client) -> None:
    """The SDK parses create (from a campaign), get, list, update and delete."""
    campaign, _ = _ruled_campaign(http)
    api = TemplatesApi(sdk)
    created = api.create_campaign_template(
        TemplatesCampaignsCreateRequestBody.from_dict(
            {"name": "Ten percent", "description": "From Source", "campaign_id": campaign["id"]}
        )
    )
    assert created.id.startswith("camptpl_")
    assert (created.campaign_type, created.object) == ("DISCOUNT_COUPONS", "campaign_template")
    assert created.description == "From Source"
    renamed = api.update_campaign_template(
        created.id, TemplatesCampaignsUpdateRequestBody.from_dict({"name": "Ten off"})
    )
    assert (renamed.name, renamed.description) == ("Ten off", "From Source")
    assert renamed.updated_at is not None
    assert api.get_campaign_template(created.id).name == "Ten off"
    listed = api.list_campaign_templates(include_total=True)
    assert (listed.total, listed.data[0].id, listed.has_more) == (1, created.id, False)
    api.delete_campaign_template(created.id)
    assert api.list_campaign_templates(include_total=True).total == 0


def test_campaign_setup_makes_a_real_campaign(
    server: RunningServer, project: Project, sdk: voucherify.ApiClient, http: httpx.Client
) -> None:
    """Setup creates the campaign with its vouchers, a fresh copy of its rule, and events."""
    campaign, rule_id = _ruled_campaign(http)
    template = _saved(http, campaign_id=campaign["id"])
    body = {
        "name": "From template",
        "vouchers_count": 3,
        "voucher": {"redemption": {"quantity": 2}},
    }
    setup = TemplatesApi(sdk).create_campaign_from_template(
        template["id"], TemplatesCampaignsCampaignSetupCreateRequestBody.from_dict(body)
    )
    assert setup.object == "campaign_setup"
    made = setup.campaign
    assert (made.name, made.campaign_type, made.vouchers_count) == (
        "From template",
        "DISCOUNT_COUPONS",
        3,
    )
    assert made.voucher.discount.percent_off == 10
    assert made.voucher.redemption.quantity == 2
    [resource] = setup.created_resources
    assert (resource.object, resource.id != rule_id) == ("validation_rules", True)
    codes = [
        v["code"]
        for v in http.get("/v1/vouchers", params={"campaign_id": made.id}).json()["vouchers"]
    ]
    assert [code[:4] for code in codes] == ["SPR-"] * 3
    assigned = http.get(f"/v1/validation-rules/{resource.id}/assignments").json()
    assert [a["related_object_id"] for a in assigned["data"]] == [made.id]
    created_events = [r for r in outbox(server, project) if r["type"] == "campaign.created"]
    assert [r["data"]["campaign"]["name"] for r in created_events] == ["Source", "From template"]
    assert data_errors("campaign.created", created_events[-1]["data"]) == []


def test_tier_template_sets_up_a_tier_and_a_campaign(http: httpx.Client) -> None:
    """A promotion tier's template adds a tier to a PROMOTION campaign and makes a campaign."""
    spring = promotion(http, "Spring", tier("Ten off", AMOUNT_OFF, metadata={"k": "v"}))
    tier_id = spring["promotion"]["tiers"][0]["id"]
    template = _saved(http, "Tier", promotion_tier_id=tier_id)
    assert template["campaign_type"] == "DISCOUNT_COUPONS"
    summer = promotion(http, "Summer", tier("Base", AMOUNT_OFF))
    reply = http.post(
        f"/v1/templates/campaigns/{template['id']}/tier-setup",
        json={"campaign_id": summer["id"], "name": "Copied"},
    )
    assert reply.status_code == 200, reply.text
    added = reply.json()
    assert (added["object"], added["created_resources"]) == ("promotion_tier_setup", [])
    made_tier = added["promotion_tier"]
    assert (made_tier["name"], made_tier["banner"], made_tier["hierarchy"]) == (
        "Copied",
        "Ten off!",
        2,
    )
    assert made_tier["action"]["discount"]["amount_off"] == 1000
    assert made_tier["metadata"] == {"k": "v"}
    tiers = http.get(f"/v1/promotions/{summer['id']}/tiers").json()["tiers"]
    assert [t["name"] for t in tiers] == ["Base", "Copied"]
    setup = http.post(
        f"/v1/templates/campaigns/{template['id']}/campaign-setup",
        json={"name": "Coupons", "vouchers_count": 1},
    ).json()
    assert setup["campaign"]["voucher"]["discount"]["amount_off"] == 1000


def test_template_errors(http: httpx.Client) -> None:
    """Bad sources and bodies are 400, duplicates 409, unknown ids 404."""
    campaign = discount_campaign(http)
    gift = http.post(
        "/v1/campaigns",
        json={
            "name": "Gifts",
            "campaign_type": "GIFT_VOUCHERS",
            "voucher": {"type": "GIFT_VOUCHER", "gift": {"amount": 500}},
        },
    ).json()
    template = _saved(http, campaign_id=campaign["id"])
    for bad in (
        {"name": "No source"},
        {"name": "Both", "campaign_id": campaign["id"], "promotion_tier_id": "promo_x"},
        {"campaign_id": campaign["id"]},
    ):
        reply = http.post("/v1/templates/campaigns", json=bad)
        assert (reply.status_code, reply.json()["key"]) == (400, "invalid_payload"), bad
    taken = http.post(
        "/v1/templates/campaigns", json={"name": "Ten percent", "campaign_id": campaign["id"]}
    )
    assert taken.status_code == 409
    unknown = http.post("/v1/templates/campaigns", json={"name": "X", "campaign_id": "camp_nope"})
    assert (unknown.status_code, unknown.json()["key"]) == (404, "not_found")
    assert http.get("/v1/templates/campaigns/camptpl_nope").status_code == 404
    setup = f"/v1/templates/campaigns/{template['id']}/campaign-setup"
    assert http.post(setup, json={}).status_code == 400
    assert http.post(setup, json={"name": "Spring"}).status_code == 409
    ruled = http.post(setup, json={"name": "Other", "validation_rules": ["val_x"]})
    assert ruled.status_code == 400
    tier_setup = f"/v1/templates/campaigns/{template['id']}/tier-setup"
    not_promotion = http.post(tier_setup, json={"campaign_id": campaign["id"], "name": "T"})
    assert not_promotion.status_code == 400
    gift_template = _saved(http, "Gift", campaign_id=gift["id"])
    assert gift_template["campaign_type"] == "GIFT_VOUCHERS"
    summer = promotion(http, "Summer", tier("Base", AMOUNT_OFF))
    gift_tier = http.post(
        f"/v1/templates/campaigns/{gift_template['id']}/tier-setup",
        json={"campaign_id": summer["id"], "name": "T"},
    )
    assert gift_tier.status_code == 400
    assert http.get("/v1/templates/campaigns", params={"order": "name"}).status_code == 400


def test_copy_to_another_project(
    server: RunningServer, management: ManagementApi, project: Project, http: httpx.Client
) -> None:
    """A copied template lives in the other project and sets up campaigns there, rules too."""
    campaign, _ = _ruled_campaign(http)
    template = _saved(http, campaign_id=campaign["id"])
    other = new_project(server)
    copied = management.management_copy_campaign_template(
        project.id,
        template["id"],
        ManagementProjectsTemplatesCampaignsCopyCreateRequestBody.from_dict(
            {"name": "Imported", "destination_project_id": other.id}
        ),
    )
    assert (copied.id != template["id"], copied.name) == (True, "Imported")
    mine = management.management_list_campaign_templates(project.id, include_total=True)
    theirs = management.management_list_campaign_templates(other.id, include_total=True)
    assert ([t.id for t in mine.data], [t.id for t in theirs.data]) == (
        [template["id"]],
        [copied.id],
    )
    with other.client() as client:
        assert client.get(f"/v1/templates/campaigns/{template['id']}").status_code == 404
        reply = client.post(
            f"/v1/templates/campaigns/{copied.id}/campaign-setup",
            json={"name": "There", "vouchers_count": 1},
        )
        assert reply.status_code == 200, reply.text
        [resource] = reply.json()["created_resources"]
        rule = client.get(f"/v1/validation-rules/{resource['id']}").json()
        assert rule["name"] == "At least 50"
    url = f"/management/v1/projects/{project.id}/templates/campaigns/{template['id']}/copy"
    headers = server.management_headers
    missing = httpx.post(
        server.base_url + url,
        headers=headers,
        json={"name": "X", "destination_project_id": "proj_nope"},
    )
    assert missing.status_code == 404
    again = httpx.post(
        server.base_url + url,
        headers=headers,
        json={"name": "Imported", "destination_project_id": other.id},
    )
    assert again.status_code == 409


def test_list_pages_by_id(http: httpx.Client) -> None:
    """limit, order and starting_after_id page through templates; has_more tells what's left."""
    campaign = discount_campaign(http)
    ids = sorted(_saved(http, f"T{i}", campaign_id=campaign["id"])["id"] for i in range(3))
    first = http.get("/v1/templates/campaigns", params={"limit": 2}).json()
    assert [t["id"] for t in first["data"]] == ids[:2]
    assert (first["has_more"], first["more_starting_after"], "total" in first) == (
        True,
        ids[1],
        False,
    )
    rest = http.get(
        "/v1/templates/campaigns", params={"limit": 2, "starting_after_id": ids[1]}
    ).json()
    assert ([t["id"] for t in rest["data"]], rest["has_more"]) == (ids[2:], False)
    backwards = http.get("/v1/templates/campaigns", params={"order": "-id"}).json()
    assert [t["id"] for t in backwards["data"]] == ids[::-1]


def test_gift_template_sets_up_gift_cards(http: httpx.Client) -> None:
    """A gift campaign's template makes gift cards with the same credits and code pattern."""
    body = {
        "name": "Gifts",
        "campaign_type": "GIFT_VOUCHERS",
        "voucher": {
            "type": "GIFT_VOUCHER",
            "gift": {"amount": 500},
            "code_config": {"prefix": "GIFT-", "length": 6},
        },
    }
    gifts = http.post("/v1/campaigns", json=body).json()
    template = _saved(http, "Gift", campaign_id=gifts["id"])
    reply = http.post(
        f"/v1/templates/campaigns/{template['id']}/campaign-setup",
        json={"name": "More gifts", "vouchers_count": 2},
    )
    assert reply.status_code == 200, reply.text
    made = reply.json()["campaign"]
    assert (made["campaign_type"], made["voucher"]["gift"]["amount"]) == ("GIFT_VOUCHERS", 500)
    cards = http.get("/v1/vouchers", params={"campaign_id": made["id"]}).json()["vouchers"]
    assert sorted(card["gift"]["balance"] for card in cards) == [500, 500]
    assert [card["code"][:5] for card in cards] == ["GIFT-", "GIFT-"]
