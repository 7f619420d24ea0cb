"""Browser journeys through the dashboard in Debian's Chromium: a gift-card programme with its
webhook, a loyalty programme, a CSV import; each main page kept as a screenshot artifact."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.dashboard.conftest import screenshot
from tests.support.receiver import Receiver, running_receiver
from tests.support.server import Project, RunningServer


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    """A loopback receiver recording every webhook."""
    with running_receiver() as running:
        yield running


def _first_code(page: Any) -> str:
    """The first code listed on a campaign page, once generation has finished."""
    for _ in range(40):
        links = page.locator("table a[href*='/vouchers/']")
        if links.count():
            return str(links.first.inner_text())
        page.wait_for_timeout(250)
        page.reload()
    raise AssertionError("the campaign's codes never appeared")


def _create_campaign(page: Any, project: Project, kind: str, name: str, **fields: str) -> None:
    page.goto(f"/dashboard/p/{project.id}/campaigns/new")
    page.select_option("#f-campaign_type", kind)
    page.fill("#f-name", name)
    for field, value in fields.items():
        page.fill(f"#f-{field}", value)
    page.click("#campaign-form button[type=submit]")
    page.wait_for_url(re.compile(r".*/campaigns/camp_[^/?]+\?done=created$"))


def test_gift_card_journey(
    browser_page: Any, project: Project, server: RunningServer, receiver: Receiver
) -> None:
    """Sign in, create a gift campaign, find a card, top it up, see the transaction and the
    voucher.gift.balance_added sendout, and resend it."""
    page = browser_page
    base = f"/dashboard/p/{project.id}"
    page.goto(base + "/developers/webhooks")
    page.fill("#f-target_url", receiver.url + "/hooks")
    page.fill("#f-events", "voucher.gift.balance_added")
    page.click("form.stack button[type=submit]")
    page.wait_for_url(re.compile(r".*/developers/webhooks\?done=created$"))
    assert receiver.url in page.inner_text("table")
    screenshot(page, "webhooks", server.backend)

    _create_campaign(
        page,
        project,
        "GIFT_VOUCHERS",
        "Winter gift cards",
        vouchers_count="3",
        prefix="WG-",
        amount="50.00",
    )
    screenshot(page, "campaign", server.backend)
    code = _first_code(page)
    assert code.startswith("WG-")

    page.goto(base + "/vouchers")
    page.fill("#q-code", code)
    page.click("form.search button[type=submit]")
    page.wait_for_url(re.compile(rf".*/vouchers/{code}$"))
    assert page.inner_text("#balance") == "50.00"
    assert page.locator("img[alt^='QR code']").evaluate("img => img.naturalWidth") > 0
    assert page.locator("img[alt^='Barcode']").evaluate("img => img.naturalWidth") > 0

    page.fill("#f-amount", "25.00")
    page.fill("#f-reason", "Goodwill top-up")
    page.click("button:has-text('Apply')")
    page.wait_for_url(re.compile(r".*\?done=balance$"))
    assert page.inner_text("#balance") == "75.00"
    ledger = page.inner_text("#ledger")
    assert "CREDITS_ADDITION" in ledger
    assert "Goodwill top-up" in ledger
    assert "25.00" in ledger
    screenshot(page, "voucher", server.backend)

    (delivered,) = receiver.wait_count(1)
    assert delivered.json()["type"] == "voucher.gift.balance_added"
    page.goto(base + "/developers/sendouts?event_type=voucher.gift.balance_added")
    rows = page.locator("#sendouts tbody tr")
    assert rows.count() == 1
    for _ in range(40):
        if "DELIVERED" in rows.first.inner_text():
            break
        page.wait_for_timeout(250)
        page.reload()
    assert "DELIVERED" in rows.first.inner_text()
    screenshot(page, "sendouts", server.backend)
    rows.first.locator("a").click()
    body = page.inner_text("#body")
    assert body == delivered.body.decode()
    headers = page.inner_text("#headers")
    assert delivered.headers["x-voucherify-signature"] in headers
    assert "200" in page.inner_text("#attempts")
    screenshot(page, "sendout", server.backend)

    page.click("button:has-text('Resend now')")
    assert "Delivered: status 200" in page.inner_text("#resent")
    again = receiver.wait_count(2)[1]
    assert again.body == delivered.body


def test_loyalty_journey(
    browser_page: Any, project: Project, server: RunningServer, http: httpx.Client
) -> None:
    """Set up a loyalty programme with an order.paid rule, enrol a customer, and see the
    member's points after the shop reports a paid order."""
    page = browser_page
    base = f"/dashboard/p/{project.id}"
    _create_campaign(
        page,
        project,
        "LOYALTY_PROGRAM",
        "Coffee club",
        vouchers_count="1",
        prefix="CC-",
        expire_months="12",
    )
    campaign_id = page.url.split("/campaigns/")[1].split("?")[0]
    code = _first_code(page)

    page.goto(f"{base}/loyalty/{campaign_id}")
    page.fill("#f-banner", "Points for purchases")
    page.select_option("#f-kind", "PROPORTIONAL")
    page.fill("#f-points", "1")
    page.fill("#f-every", "1.00")
    page.click("button:has-text('Add rule')")
    page.wait_for_url(re.compile(r".*\?done=rule$"))
    assert "1 point(s) per 1.00" in page.inner_text("#rules")

    page.goto(f"{base}/vouchers/{code}")
    page.fill("#f-customer", "ada")
    page.fill("#f-email", "ada@example.com")
    page.click("button:has-text('Publish')")
    page.wait_for_url(re.compile(r".*\?done=publish$"))

    paid = http.post(
        "/v1/orders", json={"customer": {"source_id": "ada"}, "amount": 2350, "status": "PAID"}
    )
    assert paid.status_code == 200, paid.text

    page.goto(f"{base}/loyalty/{campaign_id}")
    assert page.inner_text("#members .points") == "23"
    screenshot(page, "loyalty", server.backend)
    page.locator("#members a").first.click()
    assert page.inner_text("#points") == "23"
    assert "23" in page.inner_text("#buckets")
    page.goto(f"{base}/customers?q=ada&by=source_id")
    page.locator("#customers a").first.click()
    assert page.inner_text("#loyalty-cards .points") == "23"
    screenshot(page, "customer", server.backend)


def test_csv_import_with_progress(
    browser_page: Any, project: Project, server: RunningServer, tmp_path: Path
) -> None:
    """A CSV of codes imported into a campaign, its progress bar followed to the end."""
    page = browser_page
    _create_campaign(
        page, project, "GIFT_VOUCHERS", "Imported cards", vouchers_count="0", amount="10.00"
    )
    lines = ["Code,Gift Amount"] + [f"IMP-{n:05d},{1000 + n}" for n in range(1500)]
    upload = tmp_path / "codes.csv"
    upload.write_text("\n".join(lines) + "\n")
    page.set_input_files("#f-file", str(upload))
    page.click("button:has-text('Import')")
    page.wait_for_url(re.compile(r".*/actions/[^/?]+$"))
    assert page.locator("progress").count() == 1
    page.wait_for_function(
        "() => document.querySelector('progress') && "
        "document.querySelector('progress').value === 100",
        timeout=60_000,
    )
    assert "DONE · 100 %" in page.inner_text("#progress")
    assert "1500 vouchers imported" in page.inner_text("#result-message")
    screenshot(page, "import", server.backend)
    page.goto(f"/dashboard/p/{project.id}/vouchers?code=IMP-0149&match=prefix")
    assert page.locator("table tbody tr").count() == 10


def test_main_pages_render(browser_page: Any, project: Project, server: RunningServer) -> None:
    """The overview and every list page render in the browser with no script error."""
    page = browser_page
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    for name, path in (
        ("overview", ""),
        ("campaigns", "/campaigns"),
        ("new-campaign", "/campaigns/new"),
        ("vouchers", "/vouchers"),
        ("customers", "/customers"),
        ("orders", "/orders"),
        ("redemptions", "/redemptions"),
        ("loyalty-programmes", "/loyalty"),
        ("keys", "/developers/keys"),
    ):
        page.goto(f"/dashboard/p/{project.id}{path}")
        assert page.locator("main h1").count() == 1
        if name == "overview":
            assert page.locator("svg[role=img]").count() == 4
        screenshot(page, name, server.backend)
    assert errors == []
