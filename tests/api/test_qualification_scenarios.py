"""Qualification scenarios, filters and sorting, with the exact redeemables each returns.

Docs: guides/checking-eligibility.mdx ("Scenarios" table; Case 2 CUSTOMER_WALLET, Case 3
PRODUCTS_DISCOUNT, Case 4 AUDIENCE_ONLY "validates the rules based on the customer profile
only"; "Bundles": which scenarios need the cart to meet the conditions), spec
``QualificationsOption`` (``sorting_rule`` DEFAULT / BEST_DEAL / LEAST_DEAL, ``filters``).
"""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from openvoucher.catalog import vouchers
from tests.api.promotion_helpers import promotion, tier, tier_ids
from tests.api.redemption_helpers import discount_voucher
from tests.support.server import Project, RunningServer

DRILL = {"object": "product", "id": "prod_drill"}
SAW = {"object": "product", "id": "prod_saw"}
DRILL_ITEM = {"product_id": "prod_drill", "quantity": 1, "price": 4000}
SAW_ITEM = {"product_id": "prod_saw", "quantity": 1, "price": 2000}


def _off(amount: int) -> dict[str, Any]:
    return {"type": "AMOUNT", "amount_off": amount}


def _rule(http: httpx.Client, rules: dict[str, Any]) -> str:
    reply = http.post("/v1/validation-rules", json={"name": "rule", "rules": rules})
    assert reply.status_code == 200, reply.text
    found: str = reply.json()["id"]
    return found


@pytest.fixture
def shop(server: RunningServer, project: Project, http: httpx.Client) -> dict[str, str]:
    """Ann (VIP) holds ANNS; public codes with and without rules; a promotion of three tiers
    (TBIG needs 50.00) and two stacks. Returns the ids of the tiers and stacks."""
    for source_id, metadata in (("ann", {"vip": True}), ("bob", {})):
        made = http.post("/v1/customers", json={"source_id": source_id, "metadata": metadata})
        assert made.status_code == 200, made.text
    vip = _rule(
        http, {"1": {"name": "customer.metadata", "property": "vip", "conditions": {"$is": [True]}}}
    )
    big = _rule(
        http, {"1": {"name": "order.amount", "conditions": {"$more_than_or_equal": [5000]}}}
    )
    saw = _rule(http, {"1": {"name": "order.items.any", "conditions": {"$is": [SAW]}}})
    discount_voucher(http, "PUB10", _off(1000))
    discount_voucher(http, "VIP20", _off(2000), validation_rules=[vip])
    discount_voucher(http, "BIG", _off(3000), validation_rules=[big])
    item_pct = {"type": "PERCENT", "percent_off": 15, "effect": "APPLY_TO_ITEMS"}
    discount_voucher(http, "DRILL15", item_pct, applicable_to=[DRILL])
    discount_voucher(http, "SAWREQ", _off(500), validation_rules=[saw])
    discount_voucher(http, "VIPDRILL", _off(800), applicable_to=[DRILL], validation_rules=[vip])
    discount_voucher(http, "ANNS", _off(700))
    with server.container.uow.write(project.id) as tx:
        ann = http.get("/v1/customers/ann").json()["id"]
        vouchers.set_holder(tx, vouchers.require(tx, "ANNS"), ann)
    tiers = (tier("T5", _off(500)), tier("T6", _off(650)), tier("TBIG", _off(900)))
    campaign = promotion(http, "Promo", *tiers)
    t5, t6, tbig = tier_ids(campaign)
    assigned = http.post(
        f"/v1/validation-rules/{big}/assignments",
        json={"related_object_type": "promotion_tier", "related_object_id": tbig},
    )
    assert assigned.status_code == 200, assigned.text
    path = f"/v1/promotions/{campaign['id']}/stacks"
    ok = http.post(path, json={"name": "OK", "tiers": {"ids": [t5, t6]}}).json()["id"]
    needs = http.post(path, json={"name": "NEEDS", "tiers": {"ids": [t5, tbig]}}).json()["id"]
    return {"T5": t5, "T6": t6, "TBIG": tbig, "S_OK": ok, "S_BIG": needs}


def _names(shop: dict[str, str], body: dict[str, Any]) -> list[str]:
    back = {v: k for k, v in shop.items()}
    return [back.get(e["id"], e["id"]) for e in body["redeemables"]["data"]]


def _qualify(
    http: httpx.Client, scenario: str, customer: str | None, items: list[Any], **options: Any
) -> dict[str, Any]:
    body: dict[str, Any] = {"scenario": scenario, "order": {"items": items}}
    body["options"] = {"limit": 50, **options}
    if customer:
        body["customer"] = {"source_id": customer}
    reply = http.post("/v1/qualifications", json=body)
    assert reply.status_code == 200, reply.text
    result: dict[str, Any] = reply.json()
    return result


@pytest.mark.parametrize(
    ("scenario", "customer", "items", "expected"),
    [
        ("ALL", "ann", [DRILL_ITEM], {"PUB10", "VIP20", "DRILL15", "VIPDRILL", "ANNS", "T5", "T6"}),
        ("ALL", "bob", [DRILL_ITEM], {"PUB10", "DRILL15", "T5", "T6"}),
        ("CUSTOMER_WALLET", "ann", [DRILL_ITEM], {"ANNS"}),
        (
            "AUDIENCE_ONLY",
            "ann",
            [DRILL_ITEM],
            {"PUB10", "VIP20", "BIG", "DRILL15", "SAWREQ", "VIPDRILL", "ANNS", "T5", "T6", "TBIG"},
        ),
        ("AUDIENCE_ONLY", "bob", [], {"PUB10", "BIG", "DRILL15", "SAWREQ", "T5", "T6", "TBIG"}),
        ("PRODUCTS", "bob", [DRILL_ITEM], {"DRILL15", "VIPDRILL"}),
        ("PRODUCTS", "bob", [DRILL_ITEM, SAW_ITEM], {"DRILL15", "VIPDRILL", "SAWREQ"}),
        ("PRODUCTS_DISCOUNT", "bob", [DRILL_ITEM, SAW_ITEM], {"DRILL15", "VIPDRILL"}),
        ("PRODUCTS_BY_CUSTOMER", "bob", [DRILL_ITEM, SAW_ITEM], {"DRILL15", "SAWREQ"}),
        ("PRODUCTS_BY_CUSTOMER", "ann", [DRILL_ITEM], {"DRILL15", "VIPDRILL"}),
        ("PRODUCTS_DISCOUNT_BY_CUSTOMER", "bob", [DRILL_ITEM, SAW_ITEM], {"DRILL15"}),
        ("PROMOTION_STACKS", "ann", [DRILL_ITEM], {"S_OK"}),
        ("PROMOTION_STACKS", "ann", [{**DRILL_ITEM, "price": 6000}], {"S_OK", "S_BIG"}),
    ],
)
def test_scenario_returns_exactly(
    http: httpx.Client,
    shop: dict[str, str],
    scenario: str,
    customer: str,
    items: list[Any],
    expected: set[str],
) -> None:
    """Each scenario returns exactly its redeemables for the cart and customer."""
    assert set(_names(shop, _qualify(http, scenario, customer, items))) == expected


def test_sorting_rules(http: httpx.Client, shop: dict[str, str]) -> None:
    """BEST_DEAL puts the biggest discount first, LEAST_DEAL the smallest; DEFAULT keeps
    newest vouchers first, then tiers by hierarchy."""
    best = _names(shop, _qualify(http, "ALL", "ann", [DRILL_ITEM], sorting_rule="BEST_DEAL"))
    assert best == ["VIP20", "PUB10", "VIPDRILL", "ANNS", "T6", "DRILL15", "T5"]
    least = _names(shop, _qualify(http, "ALL", "ann", [DRILL_ITEM], sorting_rule="LEAST_DEAL"))
    assert least == list(reversed(best))
    default = _names(shop, _qualify(http, "ALL", "ann", [DRILL_ITEM]))
    assert default == ["ANNS", "VIPDRILL", "DRILL15", "VIP20", "PUB10", "T5", "T6"]


def test_filters(http: httpx.Client, shop: dict[str, str]) -> None:
    """resource_type, code, holder_role and an OR junction narrow the result."""

    def names(filters: dict[str, Any]) -> set[str]:
        return set(_names(shop, _qualify(http, "ALL", "ann", [DRILL_ITEM], filters=filters)))

    tiers_only = {"resource_type": {"conditions": {"$is": ["promotion_tier"]}}}
    assert names(tiers_only) == {"T5", "T6"}
    assert names({"code": {"conditions": {"$in": ["PUB10", "VIP20", "BIG"]}}}) == {"PUB10", "VIP20"}
    assert names({"holder_role": {"conditions": {"$is": ["OWNER"]}}}) == {"ANNS"}
    either = {"junction": "OR", "code": {"conditions": {"$is": ["PUB10"]}}, **tiers_only}
    assert names(either) == {"PUB10", "T5", "T6"}
    vouchers_only = {"resource_type": {"conditions": {"$is_not": ["promotion_tier"]}}}
    assert "T5" not in names(vouchers_only)


@pytest.mark.parametrize(
    "bad",
    [
        {"colour": {"conditions": {"$is": ["red"]}}},
        {"code": {"conditions": {"$like": ["A"]}}},
        {"holder_role": {"conditions": {"$is": ["REFERRER"]}}},
        {"code": {}},
    ],
)
def test_bad_filters_are_400(http: httpx.Client, bad: dict[str, Any]) -> None:
    """An unknown field or operator, an unsupported holder role: 400 naming the filter."""
    body = {"order": {"amount": 100}, "options": {"filters": bad}}
    reply = http.post("/v1/qualifications", json=body)
    assert reply.status_code == 400, reply.text
    assert "options.filters" in reply.json()["details"]
