"""A programme's ``loyalty_tiers_expiration`` (build/loyalty-tiers.mdx): the settings the
engine applies are stored and shown; the options it does not apply are refused, never stored
unused."""

from __future__ import annotations

import httpx

from tests.api.catalog_helpers import outbox
from tests.api.loyalty_helpers import ok, programme
from tests.support.server import Project, RunningServer
from tests.support.webhook_spec import strict_data_errors

BALANCE = {
    "qualification_type": "BALANCE",
    "start_date": {"type": "IMMEDIATE"},
    "expiration_date": {"type": "BALANCE_DROP"},
}


def test_balance_settings_are_stored_and_shown(http: httpx.Client) -> None:
    """BALANCE qualification with IMMEDIATE start and BALANCE_DROP expiration comes back."""
    club = programme(http)
    assert "loyalty_tiers_expiration" not in club
    body = {"loyalty_tiers_expiration": {"qualification_type": "BALANCE"}}
    changed = ok(http.put(f"/v1/loyalties/{club['id']}", json=body))
    assert changed["loyalty_tiers_expiration"] == BALANCE
    assert ok(http.get(f"/v1/campaigns/{club['id']}"))["loyalty_tiers_expiration"] == BALANCE


def test_period_settings_are_stored_with_defaults(http: httpx.Client) -> None:
    """POINTS_IN_PERIOD over a quarter comes back with IMMEDIATE start and END_OF_PERIOD
    expiration when those are not given; an extension is kept."""
    club = programme(http)
    body = {
        "loyalty_tiers_expiration": {
            "qualification_type": "POINTS_IN_PERIOD",
            "qualification_period": "QUARTER",
            "expiration_date": {"extend": "P1M"},
        }
    }
    changed = ok(http.put(f"/v1/loyalties/{club['id']}", json=body))
    assert changed["loyalty_tiers_expiration"] == {
        "qualification_type": "POINTS_IN_PERIOD",
        "qualification_period": "QUARTER",
        "start_date": {"type": "IMMEDIATE"},
        "expiration_date": {"type": "END_OF_PERIOD", "extend": "P1M"},
    }


def test_custom_balance_expiry_and_next_period_start_are_stored(http: httpx.Client) -> None:
    """CUSTOM expiration of balance tiers keeps its months and rounding; NEXT_PERIOD start of
    period tiers is kept."""
    club = programme(http)
    custom = {
        "qualification_type": "BALANCE",
        "expiration_date": {"type": "CUSTOM", "extend": "P3M", "rounding": {"type": "QUARTER"}},
    }
    changed = ok(http.put(f"/v1/loyalties/{club['id']}", json={"loyalty_tiers_expiration": custom}))
    assert changed["loyalty_tiers_expiration"] == {
        "qualification_type": "BALANCE",
        "start_date": {"type": "IMMEDIATE"},
        "expiration_date": {
            "type": "CUSTOM",
            "extend": "P3M",
            "rounding": {"type": "QUARTER", "strategy": "END"},
        },
    }
    period = {
        "qualification_type": "POINTS_IN_PERIOD",
        "qualification_period": "MONTH",
        "start_date": {"type": "NEXT_PERIOD"},
    }
    changed = ok(http.put(f"/v1/loyalties/{club['id']}", json={"loyalty_tiers_expiration": period}))
    assert changed["loyalty_tiers_expiration"]["start_date"] == {"type": "NEXT_PERIOD"}


def test_particular_month_and_start_roundings_are_stored(http: httpx.Client) -> None:
    """Spec rounding shapes: "Specific Month" (CUSTOM, unit MONTH, value 0-11) and strategy
    START come back as stored; period tiers take a rounding too."""
    club = programme(http)
    for rounding, stored in [
        ({"type": "CUSTOM", "value": 5}, {"type": "CUSTOM", "strategy": "END", "unit": "MONTH"}),
        ({"type": "YEAR", "strategy": "START"}, {"type": "YEAR", "strategy": "START"}),
    ]:
        custom = {"expiration_date": {"type": "CUSTOM", "extend": "P3M", "rounding": rounding}}
        body = {"loyalty_tiers_expiration": custom}
        changed = ok(http.put(f"/v1/loyalties/{club['id']}", json=body))
        assert changed["loyalty_tiers_expiration"]["expiration_date"]["rounding"] == {
            **rounding,
            **stored,
        }
    period = {
        "qualification_type": "POINTS_IN_PERIOD",
        "qualification_period": "MONTH",
        "expiration_date": {"type": "END_OF_PERIOD", "rounding": {"type": "QUARTER"}},
    }
    changed = ok(http.put(f"/v1/loyalties/{club['id']}", json={"loyalty_tiers_expiration": period}))
    rounding = changed["loyalty_tiers_expiration"]["expiration_date"]["rounding"]
    assert rounding == {"type": "QUARTER", "strategy": "END"}


def test_options_not_applied_are_refused_and_nothing_is_saved(http: httpx.Client) -> None:
    """A particular month out of range, an unknown strategy, rounding of BALANCE_DROP tiers,
    CUSTOM expiration of period tiers: 400 naming the field; CUSTOM without a duration: 400;
    the programme is not created (or not changed)."""
    period = {
        "qualification_type": "POINTS_IN_PERIOD",
        "qualification_period": "QUARTER",
        "expiration_date": {"type": "END_OF_PERIOD", "rounding": {"type": "MONTH", "value": 1}},
    }
    body = {
        "name": "Period club",
        "voucher": {"type": "LOYALTY_CARD", "loyalty_card": {"points": 0}},
        "loyalty_tiers_expiration": period,
    }
    refused = http.post("/v1/loyalties", json=body)
    assert refused.status_code == 400
    assert refused.json()["key"] == "invalid_payload"
    assert "loyalty_tiers_expiration.expiration_date.rounding" in refused.json()["details"]
    assert ok(http.get("/v1/loyalties"))["total"] == 0
    club = programme(http)
    for expiration, key in [
        (
            {"type": "CUSTOM", "extend": "P3M", "rounding": {"type": "CUSTOM", "value": 12}},
            "invalid_payload",
        ),
        (
            {"type": "CUSTOM", "extend": "P3M", "rounding": {"type": "YEAR", "strategy": "MID"}},
            "invalid_payload",
        ),
        ({"type": "BALANCE_DROP", "rounding": {"type": "YEAR"}}, "not_supported"),
        ({"type": "CUSTOM"}, "invalid_payload"),
        ({"type": "BALANCE_DROP", "extend": "P3M"}, "not_supported"),
    ]:
        custom = {"loyalty_tiers_expiration": {"expiration_date": expiration}}
        response = http.put(f"/v1/loyalties/{club['id']}", json=custom)
        assert (response.status_code, response.json()["key"]) == (400, key), expiration
    custom_period = {**period, "expiration_date": {"type": "CUSTOM", "extend": "P1M"}}
    response = http.put(
        f"/v1/loyalties/{club['id']}", json={"loyalty_tiers_expiration": custom_period}
    )
    assert (response.status_code, response.json()["key"]) == (400, "not_supported")
    assert ok(http.get(f"/v1/loyalties/{club['id']}")).get("loyalty_tiers_expiration") is None
    coupons = {
        "name": "Coupons",
        "voucher": {"type": "DISCOUNT_VOUCHER", "discount": {"type": "AMOUNT", "amount_off": 1}},
        "loyalty_tiers_expiration": {"qualification_type": "BALANCE"},
    }
    assert http.post("/v1/campaigns", json=coupons).status_code == 400


def test_refreshed_custom_expiry_prolongs_the_held_tier(
    server: RunningServer, project: Project, http: httpx.Client
) -> None:
    """A Silver member under CUSTOM one-month expiry is counted again under three months
    when the programme changes with ``refresh_tiers``: ``customer.loyalty.tier.prolonged``
    (build/loyalty-tiers.mdx), its data passing the webhook schema strictly."""
    club = programme(http)
    custom = {"qualification_type": "BALANCE", "expiration_date": {"type": "CUSTOM"}}
    one = {**custom, "expiration_date": {"type": "CUSTOM", "extend": "P1M"}}
    ok(http.put(f"/v1/loyalties/{club['id']}", json={"loyalty_tiers_expiration": one}))
    tiers = [
        {"name": "Silver", "points": {"from": 100, "to": 499}},
        {"name": "Gold", "points": {"from": 500, "to": None}},
    ]
    ok(http.post(f"/v1/loyalties/{club['id']}/tiers", json=tiers))
    member = {"customer": {"source_id": "pat", "name": "Pat"}}
    code = ok(http.post(f"/v1/loyalties/{club['id']}/members", json=member))["code"]
    balance = {"points": 150}
    ok(http.post(f"/v1/loyalties/{club['id']}/members/{code}/balance", json=balance))
    three = {**custom, "expiration_date": {"type": "CUSTOM", "extend": "P3M"}}
    body = {"loyalty_tiers_expiration": three}
    path = f"/v1/loyalties/{club['id']}"
    ok(http.put(path, json=body, params={"refresh_tiers": "true"}))
    rows = [row for row in outbox(server, project) if row["type"].startswith("customer.loyalty")]
    assert [row["type"].rsplit(".", 1)[1] for row in rows] == ["joined", "prolonged"]
    prolonged = rows[-1]["data"]
    assert prolonged["loyalty_tier"]["name"] == "Silver"
    assert strict_data_errors("customer.loyalty.tier.prolonged", prolonged) == []
