"""Dashboard lists: vouchers in code order paged by an index cursor, exact and prefix search;
customers (searched by name, email and source id in any case) and orders paged by a cursor."""

from __future__ import annotations

import re
import time
from datetime import UTC, datetime

import httpx

from tests.dashboard.test_security import gift_card
from tests.support.server import Project, RunningServer


def _codes(html: str) -> list[str]:
    return re.findall(r'/vouchers/([A-Z0-9-]+)">', html)


def test_vouchers_page_by_cursor_and_search(
    project: Project, http: httpx.Client, dash: httpx.Client
) -> None:
    """30 codes: 25 on the first page, the rest after the cursor; exact opens, prefix lists."""
    campaign = http.post(
        "/v1/campaigns",
        json={
            "name": "Many",
            "voucher": {
                "type": "DISCOUNT_VOUCHER",
                "discount": {"type": "PERCENT", "percent_off": 5},
            },
        },
    ).json()
    for n in range(30):
        made = http.post(f"/v1/campaigns/{campaign['id']}/vouchers/PG-{n:02d}", json={})
        assert made.status_code == 200
    base = f"/dashboard/p/{project.id}/vouchers"
    first = dash.get(base).text
    assert _codes(first) == [f"PG-{n:02d}" for n in range(25)]
    assert "30 found." in first
    assert f'href="{base}?after=PG-24&amp;match=exact" rel="next"' in first
    second = dash.get(base, params={"after": "PG-24"}).text
    assert _codes(second) == [f"PG-{n:02d}" for n in range(25, 30)]
    assert 'rel="next"' not in second
    exact = dash.get(base, params={"code": "PG-07", "match": "exact"})
    assert (exact.status_code, exact.headers["location"]) == (303, f"{base}/PG-07")
    prefix = dash.get(base, params={"code": "PG-1", "match": "prefix"}).text
    assert _codes(prefix) == [f"PG-1{n}" for n in range(10)]
    missing = dash.get(base, params={"code": "pg-07", "match": "exact"}).text
    assert "No voucher matches." in missing


def test_customers_search_by_name_email_and_source_id(
    project: Project, http: httpx.Client, dash: httpx.Client
) -> None:
    """Each search field finds by its prefix and only that customer."""
    for source, name, email in (
        ("ada-1", "Ada Lovelace", "ada@x.org"),
        ("bob-2", "Bob", "b@y.org"),
    ):
        http.post("/v1/customers", json={"source_id": source, "name": name, "email": email})
    base = f"/dashboard/p/{project.id}/customers"
    for by, text in (("name", "Ada"), ("email", "ada@"), ("source_id", "ada-")):
        html = dash.get(base, params={"q": text, "by": by}).text
        assert "Ada Lovelace" in html
        assert ">Bob<" not in html
    assert ">Bob<" in dash.get(base).text


def _next_link(html: str) -> str | None:
    found = re.search(r'href="([^"]+)" rel="next"', html)
    return found.group(1).replace("&amp;", "&") if found else None


def _walk(dash: httpx.Client, url: str, pattern: str) -> tuple[list[str], list[str]]:
    """Every row a list shows, following its next links; and the pages' URLs."""
    seen: list[str] = []
    urls: list[str] = []
    next_url: str | None = url
    while next_url is not None:
        urls.append(next_url)
        html = dash.get(next_url).text
        seen += re.findall(pattern, html)
        next_url = _next_link(html)
        assert len(urls) < 20, "the pages never end"
    return seen, urls


def test_customers_page_by_cursor_even_with_equal_times(
    server: RunningServer, project: Project, http: httpx.Client, dash: httpx.Client
) -> None:
    """60 customers, 40 of them created at the same instant: the cursor pages (no offset) list
    each exactly once, newest first; a search pages the same way."""
    for n in range(20):
        http.post("/v1/customers", json={"source_id": f"early-{n:02d}", "name": f"Early {n}"})
    server.clock.freeze()
    try:
        for n in range(40):
            made = http.post(
                "/v1/customers", json={"source_id": f"same-{n:02d}", "name": f"Same {n}"}
            )
            assert made.status_code == 200
    finally:
        server.clock.unfreeze()
        server.clock.set(datetime.now(UTC))
    base = f"/dashboard/p/{project.id}/customers"
    names, urls = _walk(dash, base, r'/customers/cust_[^"]+">([^<]+)</a>')
    assert len(urls) == 3
    assert all("after=cust_" in url for url in urls[1:])
    assert "page=" not in "".join(urls)
    assert sorted(names) == sorted(
        [f"Early {n}" for n in range(20)] + [f"Same {n}" for n in range(40)]
    )
    assert names[-20:] == [f"Early {n}" for n in range(19, -1, -1)]
    found, urls = _walk(dash, base + "?q=same-&by=source_id", r'/customers/cust_[^"]+">([^<]+)</a>')
    assert sorted(found) == sorted(f"Same {n}" for n in range(40))
    assert len(urls) == 2


def test_customer_search_ignores_case(
    project: Project, http: httpx.Client, dash: httpx.Client
) -> None:
    """A name, email or source id prefix in any case finds the customer."""
    http.post(
        "/v1/customers", json={"source_id": "Ada-1", "name": "Ada Lovelace", "email": "Ada@X.org"}
    )
    base = f"/dashboard/p/{project.id}/customers"
    for by, text in (("name", "aDA lo"), ("email", "ada@x"), ("source_id", "ADA-")):
        assert "Ada Lovelace" in dash.get(base, params={"q": text, "by": by}).text, by
    assert "No customer matches." in dash.get(base, params={"q": "ado", "by": "name"}).text


def test_orders_page_by_cursor(project: Project, http: httpx.Client, dash: httpx.Client) -> None:
    """30 orders over two pages by the cursor, each once, newest first."""
    for n in range(30):
        made = http.post("/v1/orders", json={"source_id": f"ord-{n:02d}", "amount": 1000 + n})
        assert made.status_code == 200, made.text
    shown, urls = _walk(
        dash, f"/dashboard/p/{project.id}/orders", r'/orders/ord_[^"]+">([^<]+)</a>'
    )
    assert shown == [f"ord-{n:02d}" for n in range(29, -1, -1)]
    assert len(urls) == 2
    assert "after=ord_" in urls[1]


def test_redemptions_and_sendouts_page_by_cursor(
    server: RunningServer, project: Project, http: httpx.Client, dash: httpx.Client
) -> None:
    """30 redemptions and their 30 sendouts: two cursor pages each, every row once."""
    hook = httpx.post(
        f"{server.base_url}/management/v1/projects/{project.id}/webhooks",
        json={"target_url": "http://127.0.0.1:9/nowhere", "events": ["redemption.succeeded"]},
        headers=server.management_headers,
    )
    assert hook.status_code == 200, hook.text
    gift_card(http, "CURSOR-1")
    for _ in range(30):
        body = {"redeemables": [{"object": "voucher", "id": "CURSOR-1"}], "order": {"amount": 10}}
        assert http.post("/v1/redemptions", json=body).status_code == 200
    base = f"/dashboard/p/{project.id}"
    ids, urls = _walk(dash, base + "/redemptions", r'/redemptions/(r_[^"]+)">')
    assert len(ids) == 30
    assert len(set(ids)) == 30
    assert len(urls) == 2
    assert "after=r_" in urls[1]
    for _ in range(100):
        listed = http.get("/v1/webhooks/sendouts", params={"limit": 100}).json()
        if listed.get("total", 0) >= 30:
            break
        time.sleep(0.1)
    sent, urls = _walk(dash, base + "/developers/sendouts", r'/developers/sendouts/([^"?/]+)">')
    assert len(sent) == 30
    assert len(set(sent)) == 30
    assert len(urls) == 2


def test_loyalty_members_page_by_code_cursor(
    project: Project, http: httpx.Client, dash: httpx.Client
) -> None:
    """30 members of a programme: two pages in code order after the cursor, each once."""
    programme = http.post(
        "/v1/loyalties",
        json={"name": "Many", "voucher": {"type": "LOYALTY_CARD", "loyalty_card": {"points": 0}}},
    ).json()
    for n in range(30):
        joined = http.post(
            f"/v1/loyalties/{programme['id']}/members", json={"customer": {"source_id": f"m{n}"}}
        )
        assert joined.status_code == 200, joined.text
    path = f"/dashboard/p/{project.id}/loyalty/{programme['id']}"
    codes, urls = _walk(dash, path, r'/members/[^"]+">([^<]+)</a>')
    assert len(codes) == 30
    assert codes == sorted(codes)
    assert len(urls) == 2
    assert "after=" in urls[1]
