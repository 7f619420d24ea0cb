"""``DIGITAL`` benefits: a code of a campaign published to the member's customer when an
earning rule's ``BENEFIT`` effect fires (publication events in the same transaction), a gift
voucher topped up with the benefit's balance, ``REJECTED`` when the campaign cannot give a code."""

from __future__ import annotations

from typing import Any

import httpx

from tests.api.catalog_helpers import discount_campaign, outbox
from tests.api.loyalty_v2.helpers import (
    card_definition,
    customer,
    earning_rule,
    member,
    pay,
    points,
    program,
)
from tests.api.reward_helpers import gift_campaign
from tests.support.loyalty_v2 import V2
from tests.support.server import Project, RunningServer

BENEFITS = "/v2/loyalties/benefits"


def _coupons(campaign_id: str) -> dict[str, Any]:
    return {"type": "DISCOUNT_COUPONS", "discount_coupons": {"campaign_id": campaign_id}}


def _digital(v2: V2, digital: dict[str, Any], **extra: Any) -> dict[str, Any]:
    body = {"name": "Coupon", "status": "ACTIVE", "type": "DIGITAL", "digital": digital, **extra}
    return v2.ok("POST", BENEFITS, json=body)


def _club(v2: V2, benefit_id: str) -> dict[str, Any]:
    """A wallet, a rule giving 5 points and the benefit, an active programme, member ann."""
    wallet = card_definition(v2)["id"]
    grant = {"type": "BENEFIT", "benefit": {"id": benefit_id}}
    rule = earning_rule(v2, [points(wallet, 5), grant])
    club = program(v2, [wallet], [rule["id"]])["id"]
    ann = customer(v2, "ann")
    joined = member(v2, club, ann["id"])
    return {
        "customer": ann["id"],
        "rule": rule["id"],
        "url": f"/v2/loyalties/programs/{club}/members/{joined['id']}",
    }


def _transactions(v2: V2, url: str) -> list[dict[str, Any]]:
    params = {"order": "created_at"}
    found: list[dict[str, Any]] = v2.ok("GET", f"{url}/benefits/transactions", params=params)[
        "data"
    ]
    return found


def _examined(v2: V2, url: str) -> list[str]:
    """The benefit ids examine says a 1000 order would grant the member now."""
    body = {
        "trigger": {"type": "ALL"},
        "customer_identification": {
            "type": "member_id",
            "member_id": url.rsplit("/", maxsplit=1)[-1],
        },
        "customer_order_paid": {"order": {"amount": 1_000}},
    }
    (found,) = v2.ok("POST", "/v2/loyalties/examine/earning-rules", json=body)["memberships"]
    return [b["benefit"]["id"] for b in found["benefits"]]


def _held(http: httpx.Client, customer_id: str, campaign_id: str) -> list[dict[str, Any]]:
    params = {"customer": customer_id, "campaign": campaign_id}
    found: list[dict[str, Any]] = http.get("/v1/publications", params=params).json()["publications"]
    return found


def test_paid_order_publishes_a_coupon_until_the_campaign_runs_out(
    v2: V2, server: RunningServer, project: Project
) -> None:
    """A STATIC campaign with one code: the first paid order publishes it to ann (publication
    events written, the benefit transaction names the voucher, examine stops listing it); the
    second order is still
    paid but its grant is REJECTED ``no_codes_left``, and nothing more is published."""
    campaign = discount_campaign(v2.client, "Once", type="STATIC")
    added = v2.client.post(f"/v1/campaigns/{campaign['id']}/vouchers/ONCE-1", json={})
    assert added.status_code == 200, added.text
    benefit = _digital(v2, _coupons(campaign["id"]))
    assert benefit["digital"]["discount_coupons"] == {"campaign_id": campaign["id"]}
    ids = _club(v2, benefit["id"])
    assert _examined(v2, ids["url"]) == [benefit["id"]]
    before = len(outbox(server, project))
    pay(v2, "ann", 1_000)
    (held,) = _held(v2.client, ids["customer"], campaign["id"])
    assert held["voucher"]["code"] == "ONCE-1"
    voucher = v2.client.get("/v1/vouchers/ONCE-1").json()
    assert voucher["holder_id"] == ids["customer"]
    rows = outbox(server, project)[before:]
    published = [r for r in rows if r["type"] == "publication.succeeded"]
    assert [r["data"]["voucher"]["code"] for r in published] == ["ONCE-1"]
    assert _examined(v2, ids["url"]) == []
    after = len(outbox(server, project))
    second = pay(v2, "ann", 1_000)
    assert second["status"] == "PAID"
    assert len(_held(v2.client, ids["customer"], campaign["id"])) == 1
    granted, refused = _transactions(v2, ids["url"])
    assert (granted["status"], granted["type"]) == ("APPROVED", "FULFILLMENT")
    result = granted["details"]["result"]
    assert result["voucher"] == {"id": voucher["id"], "code": "ONCE-1"}
    assert result["publication_id"] == held["id"]
    assert result["campaign_id"] == campaign["id"]
    assert refused["status"] == "REJECTED"
    assert refused["details"]["rejection"]["reason"] == "no_codes_left"
    assert refused["details"]["result"] is None
    later = [r["type"] for r in outbox(server, project)[after:]]
    assert "publication.succeeded" not in later


def test_gift_voucher_benefit_loads_its_balance_and_counts_stock(v2: V2) -> None:
    """A GIFT_VOUCHERS benefit with balance 2500 and stock 1 publishes an empty gift card to
    ann and adds 2500 to it; the stock goes to 0 and the next order's grant is out_of_stock."""
    campaign = gift_campaign(v2.client)
    digital = {
        "type": "GIFT_VOUCHERS",
        "gift_vouchers": {"campaign_id": campaign["id"], "balance": 2_500},
    }
    stock = {"type": "LIMITED", "limited": {"quantity": 1}}
    benefit = _digital(v2, digital, stock=stock)
    ids = _club(v2, benefit["id"])
    pay(v2, "ann", 1_000)
    pay(v2, "ann", 1_000)
    (held,) = _held(v2.client, ids["customer"], campaign["id"])
    code = held["voucher"]["code"]
    card = v2.client.get(f"/v1/vouchers/{code}").json()
    assert card["gift"]["balance"] == 2_500
    assert v2.ok("GET", f"{BENEFITS}/{benefit['id']}")["stock"]["limited"]["quantity"] == 0
    granted, refused = _transactions(v2, ids["url"])
    assert granted["details"]["result"]["voucher"]["code"] == code
    assert granted["details"]["result"]["balance"]["amount"] == 2_500
    assert refused["details"]["rejection"]["reason"] == "out_of_stock"


def test_disabled_campaign_rejects_the_grant(v2: V2) -> None:
    """A disabled campaign: the order is paid, the points given, the grant REJECTED
    ``campaign_inactive`` and ann holds no code."""
    campaign = discount_campaign(v2.client, "Paused")
    ids = _club(v2, _digital(v2, _coupons(campaign["id"]))["id"])
    assert v2.client.post(f"/v1/campaigns/{campaign['id']}/disable").status_code == 200
    assert pay(v2, "ann", 1_000)["status"] == "PAID"
    (refused,) = _transactions(v2, ids["url"])
    assert refused["details"]["rejection"]["reason"] == "campaign_inactive"
    assert _held(v2.client, ids["customer"], campaign["id"]) == []


def test_digital_benefit_input_is_checked(v2: V2) -> None:
    """Unknown campaign 404; a campaign of the other type, a missing config, a config of the
    other type and a gift benefit without balance are 400; nothing is created."""
    coupons = discount_campaign(v2.client, "Coupons")
    gifts = gift_campaign(v2.client)
    body = {"name": "X", "type": "DIGITAL"}
    missing = v2.post(BENEFITS, json={**body, "digital": _coupons("camp_nope")})
    assert missing.status_code == 404
    assert missing.json()["key"] == "not_found"
    bad = [
        _coupons(gifts["id"]),
        {"type": "DISCOUNT_COUPONS"},
        {**_coupons(coupons["id"]), "gift_vouchers": {"campaign_id": gifts["id"], "balance": 1}},
        {"type": "GIFT_VOUCHERS", "gift_vouchers": {"campaign_id": gifts["id"]}},
        {"type": "GIFT_VOUCHERS", "gift_vouchers": {"campaign_id": coupons["id"], "balance": 1}},
    ]
    for digital in bad:
        response = v2.post(BENEFITS, json={**body, "digital": digital})
        assert response.status_code == 400, digital
    assert v2.ok("GET", BENEFITS)["data"] == []
