"""Earning rules' ``BENEFIT`` effects: a paid order grants the benefits (points through the
ledger, material ones out of a stock that never goes below zero), each grant a benefit
transaction; examine estimates them and writes nothing."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from typing import Any

from tests.api.loyalty_v2.helpers import (
    card_definition,
    customer,
    earning_rule,
    member,
    pay,
    points,
    program,
)
from tests.support.loyalty_v2 import V2

BENEFITS = "/v2/loyalties/benefits"


def _benefit(v2: V2, **body: Any) -> dict[str, Any]:
    return v2.ok("POST", BENEFITS, json={"status": "ACTIVE", **body})


def _grant(benefit_id: str) -> dict[str, Any]:
    return {"type": "BENEFIT", "benefit": {"id": benefit_id}}


def _club(v2: V2, stock: int) -> dict[str, Any]:
    """A wallet, a 25-point benefit, a mug benefit with ``stock``, a rule giving 5 points and
    both benefits, an active programme and a member."""
    wallet = card_definition(v2)["id"]
    bonus = _benefit(
        v2,
        name="Bonus",
        type="POINTS",
        points={"value": 25, "card_definition_id": wallet},
    )
    mug = _benefit(
        v2,
        name="Mug",
        type="MATERIAL",
        material={"type": "PRODUCT", "product": {"id": "prod_mug"}},
        stock={"type": "LIMITED", "limited": {"quantity": stock}},
    )
    rule = earning_rule(v2, [points(wallet, 5), _grant(bonus["id"]), _grant(mug["id"])])
    club = program(v2, [wallet], [rule["id"]])["id"]
    joined = member(v2, club, customer(v2, "ann")["id"])
    return {
        "wallet": wallet,
        "bonus": bonus["id"],
        "mug": mug["id"],
        "rule": rule["id"],
        "club": club,
        "url": f"/v2/loyalties/programs/{club}/members/{joined['id']}",
        "card": joined["cards"][0]["card"]["id"],
    }


def _balance(v2: V2, ids: dict[str, Any]) -> int:
    (card,) = v2.ok("GET", ids["url"])["cards"]
    found: int = card["card"]["balance"]["points"]
    return found


def _examine(v2: V2, ids: dict[str, Any]) -> list[dict[str, Any]]:
    body = {
        "trigger": {"type": "ALL"},
        "customer_identification": {"type": "member_id", "member_id": ids["url"].split("/")[-1]},
        "customer_order_paid": {"order": {"amount": 1_000}},
    }
    (membership,) = v2.ok("POST", "/v2/loyalties/examine/earning-rules", json=body)["memberships"]
    found: list[dict[str, Any]] = membership["benefits"]
    return found


def test_grants_points_and_material_until_out_of_stock(v2: V2) -> None:
    """Each paid order gives 5 + 25 points; the one mug goes with the first order (stock 1 →
    0), the second order's grant is REJECTED ``out_of_stock``; four benefit transactions."""
    ids = _club(v2, stock=1)
    pay(v2, "ann", 1_000)
    assert _balance(v2, ids) == 30
    assert v2.ok("GET", f"{BENEFITS}/{ids['mug']}")["stock"] == {
        "type": "LIMITED",
        "limited": {"quantity": 0},
    }
    pay(v2, "ann", 1_000)
    assert _balance(v2, ids) == 60
    assert v2.ok("GET", f"{BENEFITS}/{ids['mug']}")["stock"]["limited"]["quantity"] == 0
    listed = v2.ok("GET", f"{ids['url']}/benefits/transactions", params={"order": "created_at"})
    found = [(t["benefit_id"], t["status"]) for t in listed["data"]]
    assert found == [
        (ids["bonus"], "APPROVED"),
        (ids["mug"], "APPROVED"),
        (ids["bonus"], "APPROVED"),
        (ids["mug"], "REJECTED"),
    ]
    first, mug, _second, refused = listed["data"]
    assert (first["type"], first["earning_rule_id"]) == ("FULFILLMENT", ids["rule"])
    assert first["details"]["result"]["points"] == 25
    assert first["details"]["result"]["card_id"] == ids["card"]
    assert first["details"]["result"]["card_transaction_id"].startswith("vtx_")
    assert mug["details"]["result"]["material"] == {
        "type": "PRODUCT",
        "product": {"id": "prod_mug"},
    }
    assert refused["details"]["rejection"]["reason"] == "out_of_stock"
    assert refused["details"]["result"] is None
    card_moves = v2.ok("GET", f"{ids['url']}/cards/{ids['card']}/transactions")["data"]
    assert sorted(t["details"]["points"]["total"] for t in card_moves) == [5, 5, 25, 25]
    summary = v2.ok("GET", f"/v2/loyalties/programs/{ids['club']}/reports/earning-rules/summary")
    assert [(e["earning_rule_id"], e["success_count"]) for e in summary["data"]] == [
        (ids["rule"], 2)
    ]


def test_benefit_transactions_page_and_filter(v2: V2) -> None:
    """Newest first by default, two per page with a cursor; filtered by benefit id and by
    creation time; an unknown member is 404, a cursor of another list 400."""
    ids = _club(v2, stock=5)
    pay(v2, "ann", 1_000)
    pay(v2, "ann", 1_000)
    url = f"{ids['url']}/benefits/transactions"
    page = v2.ok("GET", url, params={"limit": 2})
    assert [t["benefit_id"] for t in page["data"]] == [ids["mug"], ids["bonus"]]
    assert page["cursor"]["next"].startswith("lcrsbtx_")
    rest = v2.ok("GET", url, params={"limit": 2, "cursor": page["cursor"]["next"]})
    assert len(rest["data"]) == 2
    assert rest["cursor"] is None
    seen = {t["id"] for t in page["data"] + rest["data"]}
    assert len(seen) == 4
    mugs = v2.ok("GET", url, params={"filters[benefit_id][conditions][$is]": ids["mug"]})
    assert [t["status"] for t in mugs["data"]] == ["APPROVED", "APPROVED"]
    later = {"filters[created_at][conditions][$after]": "2999-01-01T00:00:00Z"}
    assert v2.ok("GET", url, params=later)["data"] == []
    assert v2.ok("GET", f"{BENEFITS}/{ids['mug']}")["stock"]["limited"]["quantity"] == 3
    club = f"/v2/loyalties/programs/{ids['club']}"
    assert v2.get(f"{club}/members/lmbr_00/benefits/transactions").status_code == 404
    assert v2.get(url, params={"cursor": "lcrsrtx_1"}).status_code == 400
    bad = {"filters[member_id][conditions][$is]": "lmbr_00"}
    assert v2.get(url, params=bad).status_code == 400


def test_examine_estimates_benefits_and_writes_nothing(v2: V2) -> None:
    """Examine lists both benefits with the rule granting them while the mug is in stock,
    only the points benefit once it is out; nothing is granted by examining."""
    ids = _club(v2, stock=1)
    estimated = _examine(v2, ids)
    assert [(b["benefit"]["id"], b["benefit"]["type"]) for b in estimated] == [
        (ids["bonus"], "POINTS"),
        (ids["mug"], "MATERIAL"),
    ]
    assert estimated[0]["earning_rules"] == [
        {
            "earning_rule": {"id": ids["rule"], "object": "earning_rule"},
            "object": "earning_rule_estimation",
        }
    ]
    assert v2.ok("GET", f"{ids['url']}/benefits/transactions")["data"] == []
    assert _balance(v2, ids) == 0
    pay(v2, "ann", 1_000)
    assert [b["benefit"]["id"] for b in _examine(v2, ids)] == [ids["bonus"]]


def test_rule_naming_unknown_benefit_and_inactive_benefit(v2: V2) -> None:
    """A rule naming an unknown benefit is 404 (nothing stored); a benefit set back to DRAFT
    is not granted: its transaction is REJECTED ``benefit_not_active``."""
    refused = v2.post(
        "/v2/loyalties/earning-rules",
        json={
            "name": "R",
            "trigger": {"event": "customer.order.paid"},
            "earnings": [{"effects": [_grant("lben_00")]}],
        },
    )
    assert refused.status_code == 404
    assert v2.ok("GET", "/v2/loyalties/earning-rules")["data"] == []
    ids = _club(v2, stock=3)
    v2.ok("POST", f"{BENEFITS}/{ids['bonus']}/draft")
    pay(v2, "ann", 1_000)
    assert _balance(v2, ids) == 5
    statuses = {
        t["benefit_id"]: (t["status"], (t["details"]["rejection"] or {}).get("reason"))
        for t in v2.ok("GET", f"{ids['url']}/benefits/transactions")["data"]
    }
    assert statuses == {
        ids["bonus"]: ("REJECTED", "benefit_not_active"),
        ids["mug"]: ("APPROVED", None),
    }


def test_concurrent_orders_never_oversell(v2: V2) -> None:
    """Six orders paid at once against a stock of two mugs: exactly two grants approved, the
    stock ends at zero."""
    ids = _club(v2, stock=2)
    with ThreadPoolExecutor(max_workers=6) as pool:
        list(pool.map(lambda _n: pay(v2, "ann", 1_000), range(6)))
    found = v2.ok(
        "GET",
        f"{ids['url']}/benefits/transactions",
        params={"limit": 100, "filters[benefit_id][conditions][$is]": ids["mug"]},
    )["data"]
    assert sorted(t["status"] for t in found) == ["APPROVED"] * 2 + ["REJECTED"] * 4
    assert v2.ok("GET", f"{BENEFITS}/{ids['mug']}")["stock"]["limited"]["quantity"] == 0
    assert _balance(v2, ids) == 6 * 30
