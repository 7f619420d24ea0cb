"""Dashboard lists: vouchers in code order paged by an index cursor, exact and prefix search,
customers searched by name, email and source id."""

from __future__ import annotations

import re

import httpx

from tests.support.server import Project


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
