"""``openvoucher clock`` against a real ``serve --dev`` server: moving time runs what is due."""

from __future__ import annotations

from datetime import timedelta

import httpx

from openvoucher.kernel.clock import parse_datetime
from openvoucher.testing import OpenvoucherServer, WebhookRecorder
from tests.cli.dev_server import dev_server, recorder, run_cli

__all__ = ["dev_server", "recorder"]


def _now(output: str) -> str:
    return output.strip().splitlines()[-1].split(" ")[0]


def test_freeze_advance_set_unfreeze(dev_server: OpenvoucherServer) -> None:
    """Frozen, the clock moves exactly by what is asked and stays; unfreeze lets it run."""
    frozen = _now(run_cli(dev_server, "clock", "freeze"))
    assert run_cli(dev_server, "clock", "show").strip().endswith("(frozen)")
    moved = _now(run_cli(dev_server, "clock", "advance", "30d"))
    assert parse_datetime(moved) - parse_datetime(frozen) == timedelta(days=30)
    later = _now(run_cli(dev_server, "clock", "advance", "PT2H"))
    assert parse_datetime(later) - parse_datetime(moved) == timedelta(hours=2)
    assert _now(run_cli(dev_server, "clock", "set", "2031-05-01T10:00:00Z")) == (
        "2031-05-01T10:00:00.000Z"
    )
    assert run_cli(dev_server, "clock", "unfreeze").strip().endswith("(running)")
    refused = run_cli(dev_server, "clock", "advance", "soon", check=False)
    assert "invalid_payload" in refused


def test_voucher_expires_in_validation_after_advancing(dev_server: OpenvoucherServer) -> None:
    """A voucher valid today is voucher_expired once the clock passes its expiration_date."""
    run_cli(dev_server, "clock", "set", "2032-01-10T12:00:00Z")
    body = {
        "type": "DISCOUNT_VOUCHER",
        "discount": {"type": "PERCENT", "percent_off": 10},
        "expiration_date": "2032-01-20T00:00:00Z",
    }
    check = {"redeemables": [{"object": "voucher", "id": "TT-EXP"}], "order": {"amount": 1000}}
    with dev_server.client() as http:
        assert http.post("/v1/vouchers/TT-EXP", json=body).status_code == 200
        assert http.post("/v1/validations", json=check).json()["valid"] is True
        run_cli(dev_server, "clock", "advance", "10d")
        late = http.post("/v1/validations", json=check).json()
    assert late["valid"] is False
    assert late["inapplicable_redeemables"][0]["result"]["error"]["key"] == "voucher_expired"


def _programme(http: httpx.Client) -> dict[str, object]:
    card = {"points": 0, "expiration_rules": {"period_type": "MONTH", "period_value": 12}}
    body = {
        "name": "Year club",
        "voucher": {
            "type": "LOYALTY_CARD",
            "loyalty_card": card,
            "code_config": {"pattern": "YC-#####"},
        },
    }
    created: dict[str, object] = http.post("/v1/loyalties", json=body).json()
    return created


def test_points_expire_after_a_simulated_year(
    dev_server: OpenvoucherServer, recorder: WebhookRecorder
) -> None:
    """Advancing 12 months expires the points: a POINTS_EXPIRATION transaction and a signed
    voucher.loyalty_card.points_expired webhook stamped with the simulated expiry time."""
    run_cli(dev_server, "clock", "freeze")
    run_cli(dev_server, "clock", "set", "2033-03-15T09:00:00Z")
    with dev_server.client() as http:
        club = _programme(http)
        member = {"customer": {"source_id": "year-member", "name": "Yara"}}
        code = http.post(f"/v1/loyalties/{club['id']}/members", json=member).json()["code"]
        added = http.post(f"/v1/loyalties/members/{code}/balance", json={"points": 120})
        assert added.status_code == 200, added.text
        expires = http.get(f"/v1/loyalties/members/{code}").json()["loyalty_card"]
        assert expires["next_expiration_points"] == 120
        output = run_cli(dev_server, "clock", "advance", "13mo")
        history = http.get(f"/v1/loyalties/members/{code}/transactions").json()
        card = http.get(f"/v1/loyalties/members/{code}").json()["loyalty_card"]
    run_cli(dev_server, "clock", "unfreeze")
    assert "expired 1 point bucket(s)" in output
    kinds = [t["type"] for t in history["data"]]
    assert "POINTS_EXPIRATION" in kinds
    assert card["balance"] == 0
    hook = recorder.wait_for("voucher.loyalty_card.points_expired", timeout=15)
    expired_at = parse_datetime(hook.payload["created_at"])
    step = next(line for line in output.splitlines() if "expired 1 point" in line)
    assert expired_at == parse_datetime(step.split()[4])
    assert (
        parse_datetime("2034-03-01T00:00:00Z")
        <= expired_at
        <= parse_datetime("2034-04-15T09:00:00Z")
    )
    assert hook.data["voucher"]["code"] == code


def test_failed_deliveries_retry_on_the_controllable_clock(
    dev_server: OpenvoucherServer, recorder: WebhookRecorder
) -> None:
    """Two injected 500s: retries wait for the (frozen) clock; advancing delivers on retry 2."""
    assert recorder.endpoint_id is not None
    run_cli(dev_server, "clock", "freeze")
    with dev_server.client() as http:
        plan = {"fail_next": 2, "mode": "status500"}
        path = f"/v1/_test/webhooks/{recorder.endpoint_id}/failures"
        assert http.post(path, json=plan).json()["fail_next"] == 2
        http.post("/v1/customers", json={"source_id": "retry-me"})
        sendouts = _wait_attempts(http, 1)
        assert sendouts[0]["status"] == "PENDING"
        assert recorder.of_type("customer.created") == []
        run_cli(dev_server, "clock", "advance", "5s")
        final = http.get(f"/v1/webhooks/sendouts/{sendouts[0]['id']}").json()
    run_cli(dev_server, "clock", "unfreeze")
    assert final["status"] == "DELIVERED"
    assert [a["status_code"] for a in final["attempts"]] == [500, 500, 200]
    assert len(recorder.wait_for("customer.created").body) > 0


def _wait_attempts(http: httpx.Client, count: int) -> list[dict[str, object]]:
    import time

    params = {"type": "customer.created", "customer": "retry-me"}
    for _ in range(200):
        found = http.get("/v1/webhooks/sendouts", params=params).json()["sendouts"]
        if found and found[0]["attempts_count"] >= count:
            return list(found)
        time.sleep(0.05)
    raise AssertionError("no attempt recorded")


def test_clock_commands_move_only_the_keys_project(dev_server: OpenvoucherServer) -> None:
    """`openvoucher clock` moves the clock of its keys' project; another project keeps its time."""
    other = dev_server.management("POST", "/management/v1/projects", {"name": "Other"})
    key = other["server_side_key"]
    headers = {"X-App-Id": key["app_id"], "X-App-Token": key["app_token"]}
    with httpx.Client(base_url=dev_server.url, headers=headers, timeout=30) as http:
        set_other = {"freeze": True, "set": "2030-01-01T00:00:00Z"}
        assert http.post("/v1/_test/clock", json=set_other).status_code == 200
        run_cli(dev_server, "clock", "freeze")
        mine = _now(run_cli(dev_server, "clock", "set", "2045-07-01T08:00:00Z"))
        run_cli(dev_server, "clock", "advance", "90d")
        theirs = http.get("/v1/_test/clock").json()
    assert mine == "2045-07-01T08:00:00.000Z"
    assert theirs["now"] == "2030-01-01T00:00:00.000Z"
    assert theirs["project_id"] == other["id"]
    assert theirs["frozen"] is True
    assert _now(run_cli(dev_server, "clock", "show")) == "2045-09-29T08:00:00.000Z"
    run_cli(dev_server, "clock", "unfreeze")
