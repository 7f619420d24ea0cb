"""``POST …/cards/{id}/expiring-points/{bucketId}/expire``: one bucket expired by hand."""

from __future__ import annotations

from tests.api.loyalty_v2.helpers import (
    ROLLING_12,
    card_definition,
    customer,
    earning_rule,
    member,
    pay,
    points,
    program,
)
from tests.support.loyalty_v2 import V2


def _card_url(v2: V2, who: str = "bob", **wallet: object) -> tuple[str, str, str]:
    """An ACTIVE programme with one wallet earning 40 points per paid order, a member with
    two paid orders; the card's URL, the programme and the member."""
    main = card_definition(v2, f"Points of {who}", **wallet)
    rule = earning_rule(v2, [points(main["id"], 40)])
    club = program(v2, [main["id"]], [rule["id"]])["id"]
    joined = member(v2, club, customer(v2, who)["id"])
    pay(v2, who, 1_000)
    pay(v2, who, 2_000)
    (card,) = joined["cards"]
    base = f"/v2/loyalties/programs/{club}/members/{joined['id']}"
    return f"{base}/cards/{card['card']['id']}", club, joined["id"]


def _card(v2: V2, url: str) -> dict[str, object]:
    member_url = url.split("/cards/", maxsplit=1)[0]
    (found,) = v2.ok("GET", member_url)["cards"]
    card: dict[str, object] = found["card"]
    return card


def test_expire_one_bucket(v2: V2) -> None:
    """Expiring one of two buckets takes its points (an ADMIN_POINTS_EXPIRATION transaction);
    the other stays; expiring it again is 423."""
    url, _, _ = _card_url(v2, points_expiration=ROLLING_12)
    first, second = v2.ok("GET", f"{url}/expiring-points")["data"]
    done = v2.ok("POST", f"{url}/expiring-points/{first['id']}/expire")
    assert done["status"] == "TRANSACTION_CREATED"
    assert done["transaction"]["type"] == "ADMIN_POINTS_EXPIRATION"
    assert done["transaction"]["details"]["points"]["total"] == 40
    left = v2.ok("GET", f"{url}/expiring-points")["data"]
    assert [b["id"] for b in left] == [second["id"]]
    card = _card(v2, url)
    assert card["balance"] == {"points": 40, "pending_points": 0}
    assert card["lifetime_bucket"]["points"]["expired"] == 40  # type: ignore[index]
    listed = v2.ok("GET", f"{url}/transactions")["data"]
    assert listed[0]["id"] == done["transaction"]["id"]
    assert listed[0]["type"] == "ADMIN_POINTS_EXPIRATION"
    again = v2.post(f"{url}/expiring-points/{first['id']}/expire")
    assert again.status_code == 423, again.text


def test_refusals_change_nothing(v2: V2) -> None:
    """An unknown bucket or card is 404; a wallet without expiry has no bucket to expire
    (423); an inactive programme is 423; the balance never moves."""
    url, _, _ = _card_url(v2)
    assert v2.post(f"{url}/expiring-points/lpb_missing/expire").status_code == 404
    assert v2.get(f"{url}/expiring-points").json()["data"] == []
    other, club2, _ = _card_url(v2, "eve", points_expiration=ROLLING_12)
    (bucket,) = v2.ok("GET", f"{other}/expiring-points")["data"][:1]
    v2.ok("POST", f"/v2/loyalties/programs/{club2}/deactivate")
    assert v2.post(f"{other}/expiring-points/{bucket['id']}/expire").status_code == 423
    assert _card(v2, other)["balance"] == {"points": 80, "pending_points": 0}
    missing = other.rsplit("/", 1)[0] + "/lcrd_00"
    assert v2.post(f"{missing}/expiring-points/{bucket['id']}/expire").status_code == 404
