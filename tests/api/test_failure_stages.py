"""A failure injected at each stage of a redemption, a balance change and an order update:
before the commit nothing changes and the answer is an error; after it the change stands
once and the answer is its 2xx."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx
import pytest

from openvoucher.adapters.db import unit_of_work
from openvoucher.checkout import redemption_effects
from openvoucher.kernel import bounded
from openvoucher.kernel.unit_of_work import Tx
from tests.api.catalog_helpers import event_types
from tests.api.loyalty_helpers import card, join, ok, order_rule, programme
from tests.api.redemption_helpers import balance, gift_voucher, voucher_ref
from tests.support.server import Project, RunningServer


class Injected(RuntimeError):
    """The failure a stage raises."""


def _raise(*_args: Any, **_kwargs: Any) -> Any:
    raise Injected("injected")


def _type_error(*_args: Any, **_kwargs: Any) -> Any:
    raise TypeError("injected")


BEFORE_COMMIT = ["event_payload", "outbox_write"]
AFTER_COMMIT = ["after_commit_hook", "rendering"]


@pytest.fixture
def inject(server: RunningServer, monkeypatch: pytest.MonkeyPatch) -> Callable[[str], None]:
    """Arms one stage's failure for the rest of the test."""

    def arm(stage: str) -> None:
        if stage == "event_payload":
            monkeypatch.setattr(Tx, "emit", _raise)
        elif stage == "outbox_write":
            monkeypatch.setattr(unit_of_work, "_write_outbox", _raise)
        elif stage == "redemption_counters":
            monkeypatch.setattr(redemption_effects, "count", _raise)
        elif stage == "after_commit_hook":
            monkeypatch.setattr(server.container.uow, "after_commit", [_raise])
        elif stage == "rendering":
            monkeypatch.setattr(bounded, "_encode", _type_error)

    return arm


def send(project: Project, method: str, path: str, body: Any) -> httpx.Response:
    """One request on a fresh connection (a 500 may close the one it came on)."""
    with project.client() as client:
        return client.request(method, path, json=body)


@pytest.fixture
def quiet_errors(caplog: pytest.LogCaptureFixture) -> None:
    """The injected failures are logged by the server; they are expected here."""
    caplog.set_level("CRITICAL")


def _redemption_state(server: RunningServer, project: Project, http: httpx.Client) -> Any:
    customer = ok(http.get("/v1/customers/payer"))["summary"]
    ledger = ok(http.get("/v1/vouchers/STAGE/transactions", params={"limit": 100}))["data"]
    return (
        balance(http, "STAGE"),
        len(ledger),
        customer["redemptions"]["total_redeemed"],
        customer["orders"]["total_count"],
        ok(http.get("/v1/redemptions"))["total"],
        ok(http.get("/v1/vouchers/STAGE"))["redemption"]["redeemed_quantity"],
        event_types(server, project).count("redemption.succeeded"),
    )


REDEEM = {
    "redeemables": [voucher_ref("STAGE", 700)],
    "order": {"amount": 700},
    "customer": {"source_id": "payer"},
}


@pytest.mark.usefixtures("quiet_errors")
@pytest.mark.parametrize("stage", ["redemption_counters", *BEFORE_COMMIT])
def test_redemption_failing_before_commit_changes_nothing(
    server: RunningServer, project: Project, http: httpx.Client, inject: Any, stage: str
) -> None:
    """A redemption failing before its commit: 500, balance, ledger and counters unchanged."""
    gift_voucher(http, "STAGE", 10_000)
    ok(http.post("/v1/customers", json={"source_id": "payer"}))
    before = _redemption_state(server, project, http)
    inject(stage)
    assert send(project, "POST", "/v1/redemptions", REDEEM).status_code == 500
    assert _redemption_state(server, project, http) == before


@pytest.mark.usefixtures("quiet_errors")
@pytest.mark.parametrize("stage", AFTER_COMMIT)
def test_redemption_failing_after_commit_answers_its_outcome(
    server: RunningServer, project: Project, http: httpx.Client, inject: Any, stage: str
) -> None:
    """A failure after the commit: the redemption's 200, applied exactly once."""
    gift_voucher(http, "STAGE", 10_000)
    ok(http.post("/v1/customers", json={"source_id": "payer"}))
    inject(stage)
    reply = send(project, "POST", "/v1/redemptions", REDEEM)
    assert reply.status_code == 200, reply.text
    assert reply.json()["redemptions"][0]["result"] == "SUCCESS"
    assert _redemption_state(server, project, http) == (9300, 1, 1, 1, 1, 1, 1)


def _card_state(server: RunningServer, project: Project, http: httpx.Client) -> Any:
    ledger = ok(http.get("/v1/vouchers/STAGE/transactions", params={"limit": 100}))["data"]
    return (
        balance(http, "STAGE"),
        len(ledger),
        event_types(server, project).count("voucher.gift.balance_added"),
    )


@pytest.mark.usefixtures("quiet_errors")
@pytest.mark.parametrize("stage", BEFORE_COMMIT + AFTER_COMMIT)
def test_balance_change_at_each_stage(
    server: RunningServer, project: Project, http: httpx.Client, inject: Any, stage: str
) -> None:
    """Adding credits: before the commit nothing changes; after it, the 200 and one change."""
    gift_voucher(http, "STAGE", 1000)
    before = _card_state(server, project, http)
    inject(stage)
    reply = send(project, "POST", "/v1/vouchers/STAGE/balance", {"amount": 500})
    if stage in BEFORE_COMMIT:
        assert reply.status_code == 500
        assert _card_state(server, project, http) == before
        return
    assert reply.status_code == 200, reply.text
    assert _card_state(server, project, http) == (1500, before[1] + 1, before[2] + 1)


@pytest.mark.usefixtures("quiet_errors")
@pytest.mark.parametrize("stage", BEFORE_COMMIT + AFTER_COMMIT)
def test_order_update_at_each_stage(
    server: RunningServer, project: Project, http: httpx.Client, inject: Any, stage: str
) -> None:
    """Marking an order PAID (an order.paid earning rule): points and status move together."""
    club = programme(http)
    order_rule(http, club["id"])
    code = join(http, club["id"], "shopper")["code"]
    body = {"source_id": "o-1", "amount": 5000, "customer": {"source_id": "shopper"}}
    ok(http.post("/v1/orders", json=body))
    inject(stage)
    reply = send(project, "PUT", "/v1/orders/o-1", {"status": "PAID"})
    status = ok(http.get("/v1/orders/o-1"))["status"]
    points = card(http, code)["loyalty_card"]["points"]
    if stage in BEFORE_COMMIT:
        assert reply.status_code == 500
        assert (status, points) == ("CREATED", 0)
        return
    assert reply.status_code == 200, reply.text
    assert (reply.json()["status"], status, points) == ("PAID", "PAID", 50)
