"""A campaign's ledger: its cards' transactions listed and exported, points expirations."""

from __future__ import annotations

from typing import Any

import httpx

from tests.api.export_helpers import exported_rows
from tests.api.loyalty_helpers import join, ok, programme


def gift_campaign(http: httpx.Client, *codes: str) -> dict[str, Any]:
    """A GIFT_VOUCHERS campaign with 1000 credits on each card ``codes``."""
    body = {
        "name": "Gifts",
        "campaign_type": "GIFT_VOUCHERS",
        "voucher": {"type": "GIFT_VOUCHER", "gift": {"amount": 1000}},
    }
    campaign: dict[str, Any] = ok(http.post("/v1/campaigns", json=body))
    for code in codes:
        ok(http.post(f"/v1/campaigns/{campaign['id']}/vouchers/{code}", json={}))
    return campaign


def adjust(http: httpx.Client, *changes: tuple[str, int]) -> None:
    """Add (or remove) credits on cards, in order."""
    for code, amount in changes:
        ok(http.post(f"/v1/vouchers/{code}/balance", json={"amount": amount}))


def test_campaign_transactions_page_filter_and_order(http: httpx.Client) -> None:
    """Newest first in pages; oldest first with order=id; filtered by voucher_id; by name too."""
    campaign = gift_campaign(http, "G-1", "G-2")
    adjust(http, ("G-1", 100), ("G-2", 200), ("G-1", -50))
    other = gift_campaign_named(http, "Other", "O-1")
    adjust(http, ("O-1", 5))
    path = f"/v1/campaigns/{campaign['id']}/transactions"
    first = ok(http.get(path, params={"limit": 2}))
    assert [(t["voucher_id"], t["details"]["balance"]["amount"]) for t in first["data"]] == [
        (voucher_id(http, "G-1"), -50),
        (voucher_id(http, "G-2"), 200),
    ]
    assert (first["has_more"], first["more_starting_after"]) == (True, first["data"][1]["id"])
    rest = ok(http.get(path, params={"starting_after_id": first["more_starting_after"]}))
    assert [t["details"]["balance"]["amount"] for t in rest["data"]] == [100]
    assert rest["has_more"] is False
    oldest = ok(http.get("/v1/campaigns/Gifts/transactions", params={"order": "id"}))
    assert [t["type"] for t in oldest["data"]] == [
        "CREDITS_ADDITION",
        "CREDITS_ADDITION",
        "CREDITS_REMOVAL",
    ]
    filtered = ok(
        http.get(path, params={"filters[voucher_id][conditions][$is]": voucher_id(http, "G-2")})
    )
    assert [t["details"]["balance"]["balance"] for t in filtered["data"]] == [1200]
    assert len(ok(http.get(f"/v1/campaigns/{other['id']}/transactions"))["data"]) == 1
    bad = http.get(path, params={"filters[type][conditions][$is]": "x"})
    assert (bad.status_code, bad.json()["key"]) == (400, "invalid_query_params")
    assert http.get("/v1/campaigns/nope/transactions").status_code == 404
    assert http.get(f"/v1/loyalties/{campaign['id']}/transactions").status_code == 404


def gift_campaign_named(http: httpx.Client, name: str, code: str) -> dict[str, Any]:
    """Another gift campaign with one card."""
    body = {
        "name": name,
        "campaign_type": "GIFT_VOUCHERS",
        "voucher": {"type": "GIFT_VOUCHER", "gift": {"amount": 10}},
    }
    campaign: dict[str, Any] = ok(http.post("/v1/campaigns", json=body))
    ok(http.post(f"/v1/campaigns/{campaign['id']}/vouchers/{code}", json={}))
    return campaign


def voucher_id(http: httpx.Client, code: str) -> str:
    """The id of the voucher ``code``."""
    ident: str = ok(http.get(f"/v1/vouchers/{code}"))["id"]
    return ident


def test_campaign_transactions_export(http: httpx.Client) -> None:
    """The campaign's transactions only, oldest first, with the chosen columns; filters hold."""
    campaign = gift_campaign(http, "G-1", "G-2")
    gift_campaign_named(http, "Other", "O-1")
    adjust(http, ("G-1", 100), ("O-1", 7), ("G-2", 200))
    fields = ["voucher_id", "type", "amount", "balance"]
    body = {"parameters": {"order": "created_at", "fields": fields}}
    reply = http.post(f"/v1/campaigns/{campaign['id']}/transactions/export", json=body)
    assert reply.json()["parameters"] == {"order": "created_at", "fields": fields, "filters": {}}
    g1, g2 = voucher_id(http, "G-1"), voucher_id(http, "G-2")
    assert exported_rows(http, reply) == [
        fields,
        [g1, "CREDITS_ADDITION", "100", "1100"],
        [g2, "CREDITS_ADDITION", "200", "1200"],
    ]
    only = {"voucher_id": {"conditions": {"$in": [g2]}}}
    filtered = http.post(
        f"/v1/campaigns/{campaign['id']}/transactions/export",
        json={"parameters": {"fields": ["voucher_id", "amount"], "filters": only}},
    )
    assert exported_rows(http, filtered) == [["voucher_id", "amount"], [g2, "200"]]
    everything = http.post(f"/v1/campaigns/{campaign['id']}/transactions/export")
    header = exported_rows(http, everything)[0]
    assert header == [
        *("id", "type", "source_id", "reason", "balance", "amount", "created_at"),
        *("voucher_id", "source", "details", "related_transaction_id"),
    ]


def test_programme_transactions_and_points_expiration(http: httpx.Client) -> None:
    """A programme's transactions listed and exported; its expiring buckets as CSV."""
    club = programme(http)
    ann = join(http, club["id"], "ann")
    bob = join(http, club["id"], "bob")
    for member, points in ((ann, 100), (bob, 40)):
        body = {"points": points}
        ok(http.post(f"/v1/loyalties/{club['id']}/members/{member['id']}/balance", json=body))
    listed = ok(http.get(f"/v1/loyalties/{club['id']}/transactions"))
    assert [(t["voucher_id"], t["type"]) for t in listed["data"]] == [
        (bob["id"], "POINTS_ADDITION"),
        (ann["id"], "POINTS_ADDITION"),
    ]
    exported = http.post(
        f"/v1/loyalties/{club['id']}/transactions/export",
        json={"parameters": {"order": "created_at", "fields": ["voucher_id", "amount"]}},
    )
    assert exported_rows(http, exported) == [
        ["voucher_id", "amount"],
        [ann["id"], "100"],
        [bob["id"], "40"],
    ]
    buckets = [
        ok(http.get(f"/v1/loyalties/{club['id']}/members/{m['id']}/points-expiration"))["data"][0]
        for m in (ann, bob)
    ]
    reply = http.post(f"/v1/loyalties/{club['id']}/points-expiration/export")
    assert reply.json()["exported_object"] == "points_expiration"
    rows = exported_rows(http, reply)
    assert rows[0] == ["id", "campaign_id", "voucher_id", "status", "expires_at", "points"]
    assert sorted(rows[1:]) == sorted(
        [b["id"], club["id"], b["voucher_id"], "ACTIVE", b["expires_at"], points]
        for b, points in zip(buckets, ("100", "40"), strict=True)
    )
    assert [b["bucket"]["total_points"] for b in buckets] == [100, 40]
    assert {row[5] for row in rows[1:]} == {"100", "40"}
