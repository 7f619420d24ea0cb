"""The gift card reward examples of build/create-loyalty-rewards.mdx ("Gift card balance")."""

from __future__ import annotations

import httpx

from tests.api.loyalty_helpers import join, ok, programme
from tests.api.reward_helpers import add_points, assign, buy, reward


def test_gift_card_reward_balance_as_the_docs(http: httpx.Client) -> None:
    """Cards of $100 and a reward balance of 10: the member gets a $110 card; with that card
    down to $46 the same reward tops it up to $56."""
    body = {
        "name": "Hundreds",
        "campaign_type": "GIFT_VOUCHERS",
        "type": "AUTO_UPDATE",
        "voucher": {"type": "GIFT_VOUCHER", "gift": {"amount": 10000}},
    }
    gifts = ok(http.post("/v1/campaigns", json=body))
    club = programme(http)
    code = join(http, club["id"], "gus")["code"]
    credits = reward(http, {"campaign": {"id": gifts["id"], "balance": 1000}}, name="Top-up")
    assign(http, club["id"], credits["id"], 100)
    add_points(http, code, 200)
    card = ok(buy(http, code, credits["id"]))["reward"]["voucher"]
    assert card["gift"]["balance"] == 11000
    ok(http.post(f"/v1/vouchers/{card['code']}/balance", json={"amount": -6400}))
    again = ok(buy(http, code, credits["id"]))["reward"]["voucher"]
    assert (again["code"], again["gift"]["balance"]) == (card["code"], 5600)
