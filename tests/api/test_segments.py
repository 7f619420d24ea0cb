"""Customer segments through HTTP and the official SDK: CRUD, static and auto-update
membership, ``GET /v1/customers?segment_id=``, entered/left events, the ``customer.segment``
validation rule and ``customer.segment.entered`` earning rules."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from typing import Any

import httpx
import pytest
import voucherify
from voucherify.api.customers_api import CustomersApi
from voucherify.api.segments_api import SegmentsApi
from voucherify.exceptions import NotFoundException
from voucherify.models.segments_create_request_body import SegmentsCreateRequestBody

from tests.api.catalog_helpers import outbox
from tests.api.loyalty_helpers import loyalty_events, of_type, ok, programme
from tests.api.redemption_helpers import discount_voucher, voucher_ref
from tests.support.server import Project, RunningServer
from tests.support.webhook_spec import data_errors

GOLD = {"junction": "and", "metadata.tier": {"conditions": {"$is": ["gold"]}}}
SEGMENT_EVENTS = ("customer.segment.entered", "customer.segment.left")


def _customer(http: httpx.Client, source_id: str, **fields: Any) -> dict[str, Any]:
    created: dict[str, Any] = ok(
        http.post("/v1/customers", json={"source_id": source_id, **fields})
    )
    return created


def _segment(http: httpx.Client, **body: Any) -> dict[str, Any]:
    created: dict[str, Any] = ok(http.post("/v1/segments", json={"name": "Seg", **body}))
    return created


def _members(http: httpx.Client, segment_id: str) -> list[str]:
    listed = ok(http.get("/v1/customers", params={"segment_id": segment_id, "order": "created_at"}))
    return [c["source_id"] for c in listed["customers"]]


def _segments_of(http: httpx.Client, ident: str) -> list[str]:
    body = ok(http.get(f"/v1/customers/{ident}/segments"))
    assert body["total"] == len(body["data"])
    return [s["name"] for s in body["data"]]


def _segment_events(server: RunningServer, project: Project) -> list[tuple[str, str, str]]:
    """``(type, customer source_id, segment name)`` of each segment event, each checked
    against its webhook schema."""
    found = []
    for row in outbox(server, project):
        if row["type"] in SEGMENT_EVENTS:
            assert data_errors(row["type"], row["data"]) == [], row["data"]
            data = row["data"]
            assert data["segment"]["object"] == "segment"
            found.append((row["type"], data["customer"]["source_id"], data["segment"]["name"]))
    return found


def test_sdk_static_segment_lifecycle(sdk: voucherify.ApiClient, http: httpx.Client) -> None:
    """Create (ids and source ids), get, list members, a customer's segments, delete."""
    ann, bob = _customer(http, "ann"), _customer(http, "bob")
    _customer(http, "cat")
    api = SegmentsApi(sdk)
    body = {"name": "Friends", "type": "static", "customers": [ann["id"], "bob", ann["id"]]}
    created = api.create_segment(SegmentsCreateRequestBody.from_dict(body))
    assert created.id.startswith("seg_")
    assert (created.name, created.type, created.object, created.filter) == (
        "Friends",
        "static",
        "segment",
        None,
    )
    assert api.get_segment(created.id).created_at == created.created_at
    customers_api = CustomersApi(sdk)
    listed = customers_api.list_customers(segment_id=created.id, order="created_at")
    assert (listed.total, [c.id for c in listed.customers]) == (2, [ann["id"], bob["id"]])
    mine = customers_api.list_customer_segments("bob")
    assert (mine.total, [(s.id, s.name) for s in mine.data]) == (1, [(created.id, "Friends")])
    assert customers_api.list_customer_segments("cat").total == 0
    api.delete_segment(created.id)
    with pytest.raises(NotFoundException):
        api.get_segment(created.id)
    assert _segments_of(http, "bob") == []


def test_static_members_go_with_the_customer(http: httpx.Client) -> None:
    """A deleted customer leaves the static segment's list; the others stay."""
    _customer(http, "ann")
    _customer(http, "bob")
    static = _segment(http, type="static", customers=["ann", "bob"])
    assert http.delete("/v1/customers/ann").status_code == 204
    assert _members(http, static["id"]) == ["bob"]


def test_bad_segments_are_refused(http: httpx.Client) -> None:
    """Bad types, missing names or filters, unsupported fields or operators are 400;
    unknown customers and segments 404."""
    _customer(http, "ann")
    cases: list[tuple[dict[str, Any], str]] = [
        ({"name": "x", "type": "dynamic"}, "type must be one of"),
        ({"type": "static"}, "name is required"),
        ({"name": "x", "type": "static", "filter": GOLD}, "filter is only for"),
        ({"name": "x", "type": "auto-update"}, "filter is required"),
        ({"name": "x", "type": "passive", "filter": GOLD, "customers": ["ann"]}, "only for static"),
        (
            {
                "name": "x",
                "type": "auto-update",
                "filter": {"loyalty_points": GOLD["metadata.tier"]},
            },
            "loyalty_points is not supported",
        ),
        (
            {
                "name": "x",
                "type": "auto-update",
                "filter": {"birthdate": {"conditions": {"$next_month": [True]}}},
            },
            "$next_month is not supported",
        ),
        ({"name": "x", "type": "auto-update", "filter": {"junction": "and"}}, "at least one"),
    ]
    for body, detail in cases:
        reply = http.post("/v1/segments", json=body)
        assert reply.status_code == 400, body
        assert reply.json()["key"] == "invalid_payload"
        assert detail in reply.json()["details"], reply.json()
    unknown = http.post("/v1/segments", json={"name": "x", "customers": ["ann", "nobody"]})
    assert (unknown.status_code, unknown.json()["key"]) == (404, "not_found")
    assert http.get("/v1/segments/seg_nope").status_code == 404
    assert http.delete("/v1/segments/seg_nope").status_code == 404
    assert http.get("/v1/customers", params={"segment_id": "seg_nope"}).status_code == 404
    assert http.get("/v1/customers/nobody/segments").status_code == 404


def test_auto_update_membership_and_events(
    http: httpx.Client, server: RunningServer, project: Project
) -> None:
    """Members meet the filter now; creates and updates emit entered/left for auto-update
    segments only (passive ones and static ones emit nothing)."""
    _customer(http, "ann", metadata={"tier": "gold"})
    _customer(http, "bob", metadata={"tier": "silver"})
    auto = _segment(http, name="Gold", type="auto-update", filter=GOLD)
    assert auto["filter"] == GOLD
    passive = _segment(http, name="Quiet gold", type="passive", filter=GOLD)
    _segment(http, name="Static", type="static", customers=["bob"])
    _customer(http, "cat", metadata={"tier": "gold"})
    ok(http.put("/v1/customers/bob", json={"metadata": {"tier": "gold"}}))
    ok(http.put("/v1/customers/ann", json={"metadata": {"tier": "bronze"}}))
    ok(http.put("/v1/customers/ann", json={"name": "Ann"}))
    assert _members(http, auto["id"]) == ["bob", "cat"]
    assert _members(http, passive["id"]) == ["bob", "cat"]
    assert _segments_of(http, "bob") == ["Gold", "Quiet gold", "Static"]
    assert _segments_of(http, "ann") == []
    assert _segment_events(server, project) == [
        ("customer.segment.entered", "ann", "Gold"),
        ("customer.segment.entered", "cat", "Gold"),
        ("customer.segment.entered", "bob", "Gold"),
        ("customer.segment.left", "ann", "Gold"),
    ]


def test_relative_date_segment(http: httpx.Client, server: RunningServer, project: Project) -> None:
    """A filter relative to now (created less than 1 day ago) admits a new customer."""
    recent = {"created_at": {"conditions": {"$less_than": [1]}}}
    fresh = _segment(http, name="Fresh", type="auto-update", filter=recent)
    _customer(http, "ann")
    assert _members(http, fresh["id"]) == ["ann"]
    assert _segment_events(server, project) == [("customer.segment.entered", "ann", "Fresh")]


def test_customer_filters_combine_with_the_segment(http: httpx.Client) -> None:
    """``segment_id`` narrows the other filters of ``GET /v1/customers``."""
    _customer(http, "ann", name="Ann", metadata={"tier": "gold"})
    _customer(http, "bob", name="Bob", metadata={"tier": "gold"})
    auto = _segment(http, type="auto-update", filter=GOLD)
    listed = ok(http.get("/v1/customers", params={"segment_id": auto["id"], "name": "Bob"}))
    assert [c["source_id"] for c in listed["customers"]] == ["bob"]
    assert listed["total"] == 1


def test_segment_validation_rule(http: httpx.Client) -> None:
    """``customer.segment`` $in admits members only (customer_rules_violated otherwise);
    $not_in admits everyone else."""
    _customer(http, "ann", metadata={"tier": "gold"})
    _customer(http, "bob", metadata={"tier": "silver"})
    auto = _segment(http, type="auto-update", filter=GOLD)
    for code, operator in (("INSIDE", "$in"), ("OUTSIDE", "$not_in")):
        rules = {"1": {"name": "customer.segment", "conditions": {operator: [auto["id"]]}}}
        rule = ok(http.post("/v1/validation-rules", json={"name": code, "rules": rules}))
        discount_voucher(
            http, code, {"type": "AMOUNT", "amount_off": 500}, validation_rules=[rule["id"]]
        )

    def valid(code: str, who: str) -> bool:
        body = {"redeemables": [voucher_ref(code)], "customer": {"source_id": who}}
        result = ok(http.post("/v1/validations", json={**body, "order": {"amount": 1000}}))
        if not result["valid"]:
            error = result["inapplicable_redeemables"][0]["result"]["error"]
            assert error["key"] == "customer_rules_violated"
        return bool(result["valid"])

    assert (valid("INSIDE", "ann"), valid("INSIDE", "bob")) == (True, False)
    assert (valid("OUTSIDE", "ann"), valid("OUTSIDE", "bob")) == (False, True)


def test_segment_entered_earning_rule(
    http: httpx.Client, server: RunningServer, project: Project
) -> None:
    """Entering the segment gives the rule's points (auto_join enrols); every entry counts."""
    club = programme(http)
    ok(http.put(f"/v1/loyalties/{club['id']}", json={"auto_join": True}))
    auto = _segment(http, type="auto-update", filter=GOLD)
    url = f"/v1/loyalties/{club['id']}/earning-rules"
    rule = {
        "event": "customer.segment.entered",
        "segment": {"id": auto["id"]},
        "loyalty": {"type": "FIXED", "points": 25},
        "source": {"banner": "Welcome to gold"},
    }
    (created,) = ok(http.post(url, json=[rule]))
    assert created["segment"] == {"id": auto["id"]}
    _customer(http, "ann", metadata={"tier": "silver"})
    ok(http.put("/v1/customers/ann", json={"metadata": {"tier": "gold"}}))
    ok(http.put("/v1/customers/ann", json={"metadata": {"tier": "silver"}}))
    ok(http.put("/v1/customers/ann", json={"metadata": {"tier": "gold"}}))
    ok(http.put("/v1/customers/ann", json={"name": "Ann"}))
    (member,) = ok(http.get(url.replace("earning-rules", "members"), params={"customer": "ann"}))[
        "vouchers"
    ]
    assert member["loyalty_card"]["points"] == 50
    rows = loyalty_events(server, project)
    rewarded = of_type(rows, "customer.rewarded.loyalty_points")
    assert [r["balance"]["points"] for r in rewarded] == [25, 25]
    assert {r["event"]["type"] for r in rewarded} == {"customer.segment.entered"}
    accruals = of_type(rows, "voucher.loyalty_card.transaction.created")
    assert [a["earning_rule"]["segment"] for a in accruals] == [{"id": auto["id"]}] * 2
    assert [a["segment"]["id"] for a in accruals] == [auto["id"]] * 2


def test_impossible_segment_earning_rules_are_refused(http: httpx.Client) -> None:
    """A segment rule needs an existing segment, and FIXED points or points by customer
    metadata (not by custom event metadata)."""
    club = programme(http)
    auto = _segment(http, type="auto-update", filter=GOLD)
    url = f"/v1/loyalties/{club['id']}/earning-rules"
    base = {"event": "customer.segment.entered", "loyalty": {"type": "FIXED", "points": 5}}
    assert http.post(url, json=[base]).status_code == 400
    unknown = http.post(url, json=[{**base, "segment": {"id": "seg_nope"}}])
    assert unknown.status_code == 404
    proportional = {
        "type": "PROPORTIONAL",
        "calculation_type": "CUSTOM_EVENT_METADATA",
        "custom_event": {"metadata": {"every": 1, "points": 1, "property": "n"}},
    }
    bad = {**base, "segment": {"id": auto["id"]}, "loyalty": proportional}
    assert http.post(url, json=[bad]).status_code == 400
    assert ok(http.get(url))["total"] == 0


def _flip(project: Project, rounds: int) -> None:
    with project.client() as client:
        for n in range(rounds):
            tier = "gold" if n % 2 == 0 else "silver"
            ok(client.put("/v1/customers/zoe", json={"metadata": {"tier": tier}}))


def test_concurrent_updates_judge_membership_in_turn(
    http: httpx.Client, server: RunningServer, project: Project
) -> None:
    """Clients flipping one customer in and out at once: entries and exits alternate, and the
    earning rule paid exactly once per entry."""
    club = programme(http)
    ok(http.put(f"/v1/loyalties/{club['id']}", json={"auto_join": True}))
    auto = _segment(http, name="Gold", type="auto-update", filter=GOLD)
    rule = {
        "event": "customer.segment.entered",
        "segment": {"id": auto["id"]},
        "loyalty": {"type": "FIXED", "points": 3},
    }
    ok(http.post(f"/v1/loyalties/{club['id']}/earning-rules", json=[rule]))
    _customer(http, "zoe", metadata={"tier": "silver"})
    with ThreadPoolExecutor(max_workers=4) as pool:
        for future in [pool.submit(_flip, project, 6) for _ in range(4)]:
            future.result()
    kinds = [kind for kind, _, _ in _segment_events(server, project)]
    entries = kinds.count("customer.segment.entered")
    assert kinds == ["customer.segment.entered", "customer.segment.left"] * (len(kinds) // 2) + (
        ["customer.segment.entered"] if len(kinds) % 2 else []
    )
    assert entries >= 1
    members = ok(http.get(f"/v1/loyalties/{club['id']}/members", params={"customer": "zoe"}))
    assert members["vouchers"][0]["loyalty_card"]["points"] == 3 * entries
