"""``/v2/loyalties/benefits``: settings, lifecycle, lists and activities."""

from __future__ import annotations

from tests.api.loyalty_v2.helpers import card_definition
from tests.support.loyalty_v2 import V2

BASE = "/v2/loyalties/benefits"


def _points(wallet: str, value: int = 50, **extra: object) -> dict[str, object]:
    body = {
        "name": "Bonus",
        "type": "POINTS",
        "points": {"value": value, "card_definition_id": wallet},
    }
    return {**body, **extra}


def test_create_defaults_and_get(v2: V2) -> None:
    """A new POINTS benefit is DRAFT with unlimited stock and reads back the same."""
    wallet = card_definition(v2)["id"]
    created = v2.ok("POST", BASE, json=_points(wallet))
    assert created["id"].startswith("lben_")
    assert created["status"] == "DRAFT"
    assert created["points"] == {"value": 50, "card_definition_id": wallet}
    assert created["stock"] == {"type": "UNLIMITED"}
    assert created["updated_at"] is None
    assert "material" not in created
    assert v2.ok("GET", f"{BASE}/{created['id']}") == created


def test_proportional_and_material_kept(v2: V2) -> None:
    """Proportional points on the order amount and a material SKU with limited stock are kept."""
    wallet = card_definition(v2)["id"]
    proportional = {
        "calculation_type": "POST_DISCOUNT_ORDER_AMOUNT",
        "card_definition_id": wallet,
        "order": {"total_amount": {"every": 1000, "value": 3}},
    }
    body = {"name": "Per spend", "type": "POINTS_PROPORTIONAL", "points_proportional": proportional}
    assert v2.ok("POST", BASE, json=body)["points_proportional"] == proportional
    material = {"type": "SKU", "sku": {"id": "sku_1", "product_id": "prod_1"}}
    stock = {"type": "LIMITED", "limited": {"quantity": 5}}
    body = {
        "name": "Mug",
        "type": "MATERIAL",
        "material": material,
        "stock": stock,
        "status": "ACTIVE",
    }
    created = v2.ok("POST", BASE, json=body)
    assert (created["material"], created["stock"], created["status"]) == (material, stock, "ACTIVE")


def test_unimplemented_options_are_refused(v2: V2) -> None:
    """Item calculations are 400 ``not_supported``; nothing stored."""
    wallet = card_definition(v2)["id"]
    items = {
        "calculation_type": "ORDER_ITEMS_QUANTITY",
        "card_definition_id": wallet,
        "order_items": {"quantity": {"every": 1, "value": 1}},
    }
    body = {"name": "X", "type": "POINTS_PROPORTIONAL", "points_proportional": items}
    response = v2.post(BASE, json=body)
    assert response.status_code == 400, response.text
    assert response.json()["key"] == "not_supported"
    assert v2.ok("GET", BASE)["data"] == []


def test_bad_input_is_refused(v2: V2) -> None:
    """A missing config, a config of another type, bad stock or unknown fields are 400; an
    unknown wallet 404; a DRAFT wallet 409; nothing is stored."""
    wallet = card_definition(v2)["id"]
    draft = v2.ok(
        "POST", "/v2/loyalties/card-definitions", json={"name": "D", "type": "INDIVIDUAL"}
    )
    for body in (
        {"name": "X", "type": "POINTS"},
        {**_points(wallet), "material": {"type": "PRODUCT", "product": {"id": "prod_1"}}},
        _points(wallet, stock={"type": "LIMITED"}),
        _points(wallet, value=-1),
        {**_points(wallet), "color": 1},
        {"name": "X", "type": "GIFT"},
    ):
        response = v2.post(BASE, json=body)
        assert response.status_code == 400, response.text
    assert v2.post(BASE, json=_points("lcdef_00")).status_code == 404
    assert v2.post(BASE, json=_points(draft["id"])).status_code == 409
    assert v2.ok("GET", BASE)["data"] == []


def test_update_and_active_restrictions(v2: V2) -> None:
    """A DRAFT benefit changes anything; an ACTIVE one only name and stock (else 409)."""
    wallet = card_definition(v2)["id"]
    ident = v2.ok("POST", BASE, json=_points(wallet))["id"]
    changed = v2.ok(
        "PUT", f"{BASE}/{ident}", json={"points": {"value": 7, "card_definition_id": wallet}}
    )
    assert changed["points"]["value"] == 7
    assert changed["updated_at"] is not None
    v2.ok("POST", f"{BASE}/{ident}/activate")
    refused = v2.put(f"{BASE}/{ident}", json={"points": {"value": 9, "card_definition_id": wallet}})
    assert refused.status_code == 409, refused.text
    renamed = v2.ok("PUT", f"{BASE}/{ident}", json={"name": "New", "stock": {"type": "UNLIMITED"}})
    assert (renamed["name"], renamed["points"]["value"]) == ("New", 7)


def test_lifecycle_and_activities(v2: V2) -> None:
    """activate → draft → delete, each change an activity; a wrong transition is 409."""
    ident = v2.ok("POST", BASE, json=_points(card_definition(v2)["id"]))["id"]
    assert v2.ok("POST", f"{BASE}/{ident}/activate")["status"] == "ACTIVE"
    assert v2.post(f"{BASE}/{ident}/activate").status_code == 409
    assert v2.ok("POST", f"{BASE}/{ident}/draft")["status"] == "DRAFT"
    assert v2.post(f"{BASE}/{ident}/draft").status_code == 409
    assert v2.ok("DELETE", f"{BASE}/{ident}")["status"] == "DELETED"
    assert v2.get(f"{BASE}/{ident}").status_code == 404
    found = v2.ok("GET", f"{BASE}/{ident}/activities")
    assert [a["type"] for a in found["data"]] == [
        "vl.benefit.deleted",
        "vl.benefit.drafted",
        "vl.benefit.activated",
        "vl.benefit.created",
    ]
    assert found["data"][0]["data"]["benefit"]["status"] == "DELETED"
    oldest = v2.ok("GET", f"{BASE}/{ident}/activities", params={"limit": 1, "order": "created_at"})
    assert oldest["data"][0]["type"] == "vl.benefit.created"
    assert oldest["cursor"]["next"].startswith("lcrsaben_")


def test_cursor_pages_order_and_filters(v2: V2) -> None:
    """Pages follow ``cursor.next``; ``order=name`` sorts; ``filters`` narrow by type."""
    wallet = card_definition(v2)["id"]
    for name in ("c", "a", "b"):
        v2.ok("POST", BASE, json={**_points(wallet), "name": name})
    material = {"type": "PRODUCT", "product": {"id": "prod_1"}}
    v2.ok("POST", BASE, json={"name": "d", "type": "MATERIAL", "material": material})
    first = v2.ok("GET", BASE, params={"limit": 2, "order": "name"})
    assert [d["name"] for d in first["data"]] == ["a", "b"]
    assert first["cursor"]["next"].startswith("lcrsben_")
    second = v2.ok(
        "GET", BASE, params={"limit": 2, "order": "name", "cursor": first["cursor"]["next"]}
    )
    assert [d["name"] for d in second["data"]] == ["c", "d"]
    assert second["cursor"] is None
    found = v2.ok("GET", BASE, params={"filters[type][conditions][$is]": "MATERIAL"})
    assert [d["name"] for d in found["data"]] == ["d"]
    assert v2.get(BASE, params={"cursor": "lcrsern_1"}).status_code == 400


def test_unknown_id_is_404(v2: V2) -> None:
    """Reading, changing, moving or deleting an unknown benefit is 404."""
    assert v2.get(f"{BASE}/lben_00").status_code == 404
    assert v2.post(f"{BASE}/lben_00/activate").status_code == 404
    assert v2.put(f"{BASE}/lben_00", json={"name": "x"}).status_code == 404
    assert v2.delete(f"{BASE}/lben_00").status_code == 404
    assert v2.get(f"{BASE}/lben_00/activities").status_code == 404
