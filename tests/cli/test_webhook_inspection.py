"""The sendout log: search by type, voucher, customer and time; resend; the signed content."""

from __future__ import annotations

import hashlib
import hmac
import time

import httpx

from openvoucher.testing import OpenvoucherServer, WebhookRecorder
from tests.cli.dev_server import dev_server, recorder, run_cli
from tests.support.receiver import running_receiver

__all__ = ["dev_server", "recorder"]


def _delivered(http: httpx.Client, **params: str) -> list[dict[str, object]]:
    for _ in range(200):
        found = http.get("/v1/webhooks/sendouts", params=params).json()["sendouts"]
        if found and all(s["status"] == "DELIVERED" for s in found):
            return list(found)
        time.sleep(0.05)
    raise AssertionError(f"nothing delivered for {params}")


def test_search_resend_and_signature(
    dev_server: OpenvoucherServer, recorder: WebhookRecorder
) -> None:
    """Filters find the right sendouts; a resend posts the same bytes, validly signed."""
    with dev_server.client() as http:
        http.post("/v1/customers", json={"source_id": "inspect-cust"})
        body = {"type": "GIFT_VOUCHER", "gift": {"amount": 700}}
        http.post("/v1/vouchers/INSPECT-GIFT", json=body)
        by_voucher = _delivered(http, voucher="INSPECT-GIFT")
        by_customer = _delivered(http, customer="inspect-cust", type="customer.created")
        none_yet = http.get(
            "/v1/webhooks/sendouts", params={"created_at[after]": "2999-01-01T00:00:00Z"}
        ).json()
        assert {s["event"]["type"] for s in by_voucher} == {"voucher.created"}  # type: ignore[index]
        assert len(by_customer) == 1
        assert none_yet["total"] == 0
        ident = str(by_voucher[0]["id"])
        signed = http.get(f"/v1/webhooks/sendouts/{ident}/signature").json()
        with running_receiver() as other:
            answer = http.post(
                f"/v1/webhooks/sendouts/{ident}/resend", json={"url": other.url + "/x"}
            ).json()
            (got,) = other.wait_count(1)
        bad = http.post(f"/v1/webhooks/sendouts/{ident}/resend", json={"url": "ftp://nope"})
    original = recorder.wait_for("voucher.created", where=lambda d: d.id == ident)
    assert got.body == original.body == signed["body"].encode()
    secret = dev_server.webhook_secret.encode()
    assert (
        got.headers["x-voucherify-signature"]
        == hmac.new(secret, got.body, hashlib.sha256).hexdigest()
    )
    assert signed["headers"]["x-voucherify-signature"] == original.headers["x-voucherify-signature"]
    assert signed["standard_webhooks"]["signed_content"].startswith(f"{ident}.")
    assert (answer["delivered"], answer["status_code"]) == (True, 200)
    assert bad.status_code == 400


def test_cli_lists_filtered_sendouts(
    dev_server: OpenvoucherServer, recorder: WebhookRecorder
) -> None:
    """``webhooks list --type … --customer …`` prints only the matching sendouts."""
    with dev_server.client() as http:
        http.post("/v1/customers", json={"source_id": "cli-listed"})
        _delivered(http, customer="cli-listed")
    database = dev_server.env["OPENVOUCHER_DATABASE_URL"]
    output = run_cli(
        dev_server,
        "webhooks",
        "--database-url",
        database,
        "list",
        "--type",
        "customer.created",
        "--customer",
        "cli-listed",
    )
    assert output.strip().splitlines()[-1] == "1 of 1 sendouts"
    assert "customer.created" in output.splitlines()[0]
