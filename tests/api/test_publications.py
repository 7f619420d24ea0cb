"""Publications through HTTP: by code or from a campaign, idempotency, join_once, events."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from typing import Any

import httpx

from tests.api.catalog_helpers import discount_campaign, outbox
from tests.support.server import Project, RunningServer
from tests.support.webhook_spec import data_errors

ALICE = {"source_id": "alice", "name": "Alice", "email": "alice@example.com"}


def _voucher(http: httpx.Client, code: str, **extra: Any) -> dict[str, Any]:
    body = {"type": "DISCOUNT_VOUCHER", "discount": {"type": "AMOUNT", "amount_off": 500}}
    response = http.post(f"/v1/vouchers/{code}", json={**body, **extra})
    assert response.status_code == 200, response.text
    created: dict[str, Any] = response.json()
    return created


def _publish(http: httpx.Client, body: dict[str, Any], **params: Any) -> dict[str, Any]:
    response = http.post("/v1/publications", json=body, params=params)
    assert response.status_code == 200, response.text
    published: dict[str, Any] = response.json()
    return published


def test_publish_voucher_by_code(http: httpx.Client) -> None:
    """Publishing a code makes the customer its holder and counts the publication."""
    _voucher(http, "PUB-1")
    body = {"voucher": "PUB-1", "customer": ALICE, "metadata": {"via": "test"}}
    published = _publish(http, body)
    customer = http.get("/v1/customers/alice").json()
    assert published["id"].startswith("pub_")
    assert published["object"] == "publication"
    assert published["result"] == "SUCCESS"
    assert published["channel"] == "API"
    assert published["metadata"] == {"via": "test"}
    assert published["customer_id"] == customer["id"]
    assert published["tracking_id"] == "alice"
    assert published["customer"]["email"] == "alice@example.com"
    assert published["voucher"]["code"] == "PUB-1"
    assert published["voucher"]["holder_id"] == customer["id"]
    assert published["voucher"]["publish"]["count"] == 1
    assert published["vouchers_id"] == [published["voucher"]["id"]]
    voucher = http.get("/v1/vouchers/PUB-1").json()
    assert voucher["holder_id"] == customer["id"]
    assert voucher["publish"]["count"] == 1


def test_publish_customer_by_id_and_email(http: httpx.Client) -> None:
    """The customer may be named by id or email; publishing to the holder again counts twice."""
    customer = http.post("/v1/customers", json=ALICE).json()
    _voucher(http, "PUB-2")
    first = _publish(http, {"voucher": "PUB-2", "customer": {"id": customer["id"]}})
    second = _publish(http, {"voucher": "PUB-2", "customer": {"email": "alice@example.com"}})
    assert first["customer_id"] == second["customer_id"] == customer["id"]
    assert first["id"] != second["id"]
    assert second["voucher"]["publish"]["count"] == 2


def test_publish_from_campaign_picks_free_voucher(http: httpx.Client) -> None:
    """A campaign publication takes the oldest unpublished voucher, then the next one."""
    discount_campaign(http, "Static", type="STATIC", vouchers_count=2)
    first = _publish(http, {"campaign": {"name": "Static"}, "customer": ALICE})
    second = _publish(http, {"campaign": "Static", "customer": {"source_id": "bob"}})
    assert first["voucher"]["code"] != second["voucher"]["code"]
    assert first["voucher"]["campaign"] == "Static"
    refused = http.post("/v1/publications", json={"campaign": "Static", "customer": ALICE})
    assert refused.status_code == 400
    assert refused.json()["key"] == "no_voucher_suitable_for_publication"
    assert http.get("/v1/campaigns/Static").json()["vouchers_count"] == 2


def test_auto_update_campaign_generates_code(http: httpx.Client) -> None:
    """An AUTO_UPDATE campaign without free vouchers generates one for the publication."""
    discount_campaign(http, "Auto")
    published = _publish(http, {"campaign": {"name": "Auto"}, "customer": ALICE})
    code = published["voucher"]["code"]
    assert code.startswith("SPR-")
    assert len(code) == 8
    assert published["voucher"]["discount"]["percent_off"] == 10
    campaign = http.get("/v1/campaigns/Auto").json()
    assert campaign["vouchers_count"] == 1
    assert http.get(f"/v1/vouchers/{code}").json()["holder_id"] == published["customer_id"]


def test_publish_several_vouchers(http: httpx.Client) -> None:
    """campaign.count > 1 publishes several vouchers and answers with their codes."""
    discount_campaign(http, "Many", vouchers_count=1)
    published = _publish(http, {"campaign": {"name": "Many", "count": 3}, "customer": ALICE})
    assert "voucher" not in published
    assert len(published["vouchers"]) == 3
    assert len(set(published["vouchers_id"])) == 3
    for code in published["vouchers"]:
        voucher = http.get(f"/v1/vouchers/{code}").json()
        assert voucher["holder_id"] == published["customer_id"]
        assert voucher["publish"]["count"] == 1
    listed = http.get("/v1/publications", params={"voucher": published["vouchers"][2]}).json()
    assert [p["id"] for p in listed["publications"]] == [published["id"]]
    assert listed["publications"][0]["vouchers"] == published["vouchers"]


def test_source_id_makes_publishing_idempotent(http: httpx.Client) -> None:
    """The same source_id returns the same publication and publishes no second voucher."""
    discount_campaign(http, "Idem")
    body = {"campaign": "Idem", "customer": ALICE, "source_id": "pub-src-1"}
    first = _publish(http, body)
    again = _publish(http, body)
    assert again["id"] == first["id"]
    assert again["voucher"]["code"] == first["voucher"]["code"]
    assert http.get("/v1/campaigns/Idem").json()["vouchers_count"] == 1
    other = {**body, "customer": {"source_id": "mallory"}}
    stolen = http.post("/v1/publications", json=other)
    assert stolen.status_code == 409
    assert stolen.json()["key"] == "duplicate_found"
    several = {**body, "source_id": "pub-src-2", "campaign": {"name": "Idem", "count": 2}}
    assert http.post("/v1/publications", json=several).json()["key"] == "invalid_publish_params"


def test_join_once_returns_held_voucher(http: httpx.Client) -> None:
    """With join_once a customer who holds a voucher of the campaign gets that one back."""
    discount_campaign(http, "Once")
    first = _publish(http, {"campaign": "Once", "customer": ALICE}, join_once="true")
    again = _publish(http, {"campaign": "Once", "customer": ALICE}, join_once="true")
    assert again["id"] == first["id"]
    assert again["voucher"]["code"] == first["voucher"]["code"]
    without = _publish(http, {"campaign": "Once", "customer": ALICE})
    assert without["voucher"]["code"] != first["voucher"]["code"]


def test_join_once_campaign_setting(http: httpx.Client) -> None:
    """A campaign created with join_once publishes one voucher per customer."""
    discount_campaign(http, "OnceCamp", join_once=True)
    first = _publish(http, {"campaign": "OnceCamp", "customer": ALICE})
    again = _publish(http, {"campaign": "OnceCamp", "customer": {"source_id": "alice"}})
    other = _publish(http, {"campaign": "OnceCamp", "customer": {"source_id": "bob"}})
    assert again["voucher"]["code"] == first["voucher"]["code"]
    assert other["voucher"]["code"] != first["voucher"]["code"]
    assert http.get("/v1/campaigns/OnceCamp").json()["vouchers_count"] == 2


def test_bad_publications(http: httpx.Client) -> None:
    """Unknown voucher or campaign → 404; missing customer, held or disabled voucher,
    wrong types → 400; nothing is written."""
    _voucher(http, "HELD")
    _publish(http, {"voucher": "HELD", "customer": ALICE})
    cases: list[tuple[dict[str, Any], int, str]] = [
        ({"voucher": "NOPE", "customer": ALICE}, 404, "not_found"),
        ({"campaign": "Nope", "customer": ALICE}, 404, "not_found"),
        ({"voucher": "HELD"}, 400, "missing_customer"),
        ({"voucher": "HELD", "customer": {}}, 400, "missing_customer"),
        ({"voucher": "HELD", "customer": {"name": "x"}}, 400, "invalid_customer"),
        (
            {"voucher": "HELD", "customer": {"source_id": "bob"}},
            400,
            "no_voucher_suitable_for_publication",
        ),
        ({"customer": ALICE}, 400, "invalid_publish_params"),
        ({"voucher": 12, "customer": ALICE}, 400, "invalid_payload"),
        ({"voucher": "HELD", "customer": "alice"}, 400, "invalid_payload"),
        ({"campaign": {"name": "X", "count": 0}, "customer": ALICE}, 400, "invalid_payload"),
        ({"campaign": {"name": "X", "count": "2"}, "customer": ALICE}, 400, "invalid_payload"),
    ]
    for body, status, key in cases:
        response = http.post("/v1/publications", json=body)
        assert (response.status_code, response.json()["key"]) == (status, key), body
    assert http.get("/v1/customers/bob").status_code == 404
    assert http.get("/v1/publications").json()["total"] == 1


def test_disabled_and_expired_vouchers_are_refused(http: httpx.Client) -> None:
    """A disabled or expired voucher cannot be published, with a clear key."""
    _voucher(http, "OFF", active=False)
    _voucher(http, "OLD", expiration_date="2020-01-01T00:00:00Z")
    off = http.post("/v1/publications", json={"voucher": "OFF", "customer": ALICE})
    old = http.post("/v1/publications", json={"voucher": "OLD", "customer": ALICE})
    assert (off.status_code, off.json()["key"]) == (400, "voucher_disabled")
    assert (old.status_code, old.json()["key"]) == (400, "voucher_expired")
    assert http.get("/v1/vouchers/OFF").json()["publish"]["count"] == 0


def test_get_create_variant(http: httpx.Client) -> None:
    """GET /v1/publications/create publishes from query parameters."""
    discount_campaign(http, "Query")
    params = {
        "campaign[name]": "Query",
        "customer[source_id]": "qcust",
        "customer[name]": "Q",
        "metadata[origin]": "link",
    }
    published = http.get("/v1/publications/create", params=params)
    assert published.status_code == 200, published.text
    body = published.json()
    assert body["tracking_id"] == "qcust"
    assert body["customer"]["name"] == "Q"
    assert body["metadata"] == {"origin": "link"}
    assert body["voucher"]["campaign"] == "Query"
    too_many = http.get("/v1/publications/create", params={**params, "campaign[count]": "2"})
    assert too_many.status_code == 400


def test_list_filters_and_order(http: httpx.Client) -> None:
    """The list pages, orders and filters by campaign, customer, voucher, type, source_id."""
    discount_campaign(http, "ListA")
    _voucher(http, "LOY-1", type="LOYALTY_CARD", loyalty_card={"points": 5})
    a = _publish(http, {"campaign": "ListA", "customer": ALICE, "source_id": "s-a"})
    b = _publish(http, {"campaign": "ListA", "customer": {"source_id": "bob"}})
    c = _publish(http, {"voucher": "LOY-1", "customer": {"source_id": "bob"}})

    def ids(**params: Any) -> list[str]:
        body = http.get("/v1/publications", params=params).json()
        return [item["id"] for item in body["publications"]]

    assert ids(order="created_at") == [a["id"], b["id"], c["id"]]
    assert ids() == [c["id"], b["id"], a["id"]]
    assert ids(campaign="ListA", order="created_at") == [a["id"], b["id"]]
    assert ids(customer="bob", order="created_at") == [b["id"], c["id"]]
    assert ids(customer=a["customer_id"]) == [a["id"]]
    assert ids(voucher="LOY-1") == [c["id"]]
    assert ids(voucher_type="loyalty") == [c["id"]]
    assert ids(voucher_type="discount", order="created_at") == [a["id"], b["id"]]
    assert ids(source_id="s-a") == [a["id"]]
    assert ids(is_referral_code="true") == []
    assert ids(campaign="missing") == []
    assert ids(limit=1, page=2, order="created_at") == [b["id"]]
    assert ids(**{"filters[customer_id][conditions][$in][0]": a["customer_id"]}) == [a["id"]]
    assert ids(
        **{
            "filters[campaign_name][conditions][$is][0]": "ListA",
            "filters[source_id][conditions][$is_unknown]": "",
        }
    ) == [b["id"]]
    listed = http.get("/v1/publications", params={"voucher": "LOY-1"}).json()
    assert listed["object"] == "list"
    assert listed["data_ref"] == "publications"
    assert listed["total"] == 1
    item = listed["publications"][0]
    assert item["voucher"]["code"] == "LOY-1"
    assert item["voucher"]["loyalty_card"]["points"] == 5
    assert item["voucher"]["loyalty_card"]["balance"] == 5
    assert item["tracking_id"] == "bob"
    for bad in ({"order": "bogus"}, {"limit": 0}, {"voucher_type": "x"}, {"filters[x]": "1"}):
        response = http.get("/v1/publications", params=bad)
        assert response.status_code == 400
        assert response.json()["key"] == "invalid_query_params"


def test_publication_events(http: httpx.Client, server: RunningServer, project: Project) -> None:
    """Publishing writes voucher.published, publication.succeeded and the
    customer.publication.succeeded trigger, each valid against its schema."""
    campaign = discount_campaign(http, "Events")
    published = _publish(http, {"campaign": "Events", "customer": ALICE, "source_id": "ev-1"})
    rows = [r for r in outbox(server, project) if r["type"] not in {"campaign.created"}]
    assert [r["type"] for r in rows] == [
        "customer.created",
        "voucher.created",
        "voucher.published",
        "publication.succeeded",
        "customer.publication.succeeded",
    ]
    for row in rows:
        assert data_errors(str(row["type"]), row["data"]) == [], row["type"]
    published_data: dict[str, Any] = rows[2]["data"]
    assert published_data["voucher"]["code"] == published["voucher"]["code"]
    assert published_data["voucher"]["holder_id"] == published["customer_id"]
    assert published_data["publication"]["id"] == published["id"]
    assert published_data["publication"]["source_id"] == "ev-1"
    assert published_data["customer"]["source_id"] == "alice"
    assert published_data["campaign"]["id"] == campaign["id"]
    assert rows[2]["entity_id"] == published["voucher"]["id"]
    succeeded: dict[str, Any] = rows[3]["data"]
    assert succeeded["publication"]["vouchers_id"] == [published["voucher"]["id"]]
    trigger: dict[str, Any] = rows[4]["data"]
    assert trigger["publication"]["voucher"]["publish"]["count"] == 1
    assert trigger["voucher"]["code"] == published["voucher"]["code"]
    _publish(http, {"campaign": "Events", "customer": ALICE, "source_id": "ev-1"})
    assert len(outbox(server, project)) == len(rows) + 1  # the replay emits nothing


def test_held_voucher_not_published_twice_events(
    http: httpx.Client, server: RunningServer, project: Project
) -> None:
    """A refused publication leaves no events and no customer behind."""
    _voucher(http, "ONE")
    _publish(http, {"voucher": "ONE", "customer": ALICE})
    before = len(outbox(server, project))
    refused = http.post("/v1/publications", json={"voucher": "ONE", "customer": {"source_id": "z"}})
    assert refused.status_code == 400
    assert len(outbox(server, project)) == before


def test_concurrent_campaign_publications_get_distinct_vouchers(http: httpx.Client) -> None:
    """Six publications racing on one STATIC campaign each get a different voucher."""
    discount_campaign(http, "Race", type="STATIC", vouchers_count=6)

    def publish(n: int) -> httpx.Response:
        body = {"campaign": "Race", "customer": {"source_id": f"racer-{n}"}}
        return http.post("/v1/publications", json=body)

    with ThreadPoolExecutor(max_workers=6) as pool:
        responses = list(pool.map(publish, range(6)))
    assert [r.status_code for r in responses] == [200] * 6
    codes = {r.json()["voucher"]["code"] for r in responses}
    assert len(codes) == 6
    for response in responses:
        voucher = http.get(f"/v1/vouchers/{response.json()['voucher']['code']}").json()
        assert voucher["publish"]["count"] == 1
        assert voucher["holder_id"] == response.json()["customer_id"]


def test_concurrent_same_source_id_publishes_once(http: httpx.Client) -> None:
    """Four racing requests with one source_id all get the one publication."""
    discount_campaign(http, "RaceIdem")
    body = {"campaign": "RaceIdem", "customer": ALICE, "source_id": "race-src"}
    http.post("/v1/customers", json=ALICE)
    with ThreadPoolExecutor(max_workers=4) as pool:
        responses = list(pool.map(lambda _: http.post("/v1/publications", json=body), range(4)))
    assert [r.status_code for r in responses] == [200] * 4
    assert len({r.json()["id"] for r in responses}) == 1
    assert http.get("/v1/publications", params={"source_id": "race-src"}).json()["total"] == 1
    held = http.get("/v1/vouchers", params={"customer": "alice"}).json()
    assert held["total"] == 1
