"""Fixtures of the dashboard tests: a signed-in HTTP client, and Debian's Chromium driven by
Playwright (nothing downloaded at test time)."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.support.server import Project

CHROMIUM = os.environ.get("OPENVOUCHER_TEST_CHROMIUM", "/usr/bin/chromium")
ARTIFACTS = Path(os.environ.get("OPENVOUCHER_TEST_ARTIFACTS", "tmp/artifacts"))
_CSRF = re.compile(r'name="csrf" value="([^"]+)"')


def csrf_of(html: str) -> str:
    """The CSRF token in a rendered page."""
    found = _CSRF.search(html)
    assert found is not None, "no CSRF token on the page"
    return found.group(1)


@contextmanager
def sign_in(base_url: str, key_id: str, token: str) -> Iterator[httpx.Client]:
    """An HTTP client holding a dashboard session for the key pair."""
    with httpx.Client(base_url=base_url, timeout=30) as client:
        form = client.get("/dashboard/login").text
        data = {"csrf": csrf_of(form), "key_id": key_id, "token": token}
        reply = client.post("/dashboard/login", data=data)
        assert reply.status_code == 303, reply.text
        yield client


@pytest.fixture
def dash(project: Project) -> Iterator[httpx.Client]:
    """An HTTP client signed in to the dashboard with the project's app key."""
    with sign_in(project.base_url, project.app_id, project.app_token) as client:
        yield client


@pytest.fixture(scope="module")
def chromium() -> Iterator[Any]:
    """Debian's Chromium under Playwright, for one test module (Playwright's sync API keeps an
    event loop running in the main thread while it is open, which ``asyncio.run`` in later
    tests must not find)."""
    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium is missing at {CHROMIUM} (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        yield browser
        browser.close()


@pytest.fixture
def browser_page(chromium: Any, project: Project) -> Iterator[Any]:
    """A fresh browser context signed in to the dashboard with the project's app key."""
    context = chromium.new_context(
        base_url=project.base_url, viewport={"width": 1280, "height": 900}
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.goto("/dashboard/login")
    page.fill("#f-key_id", project.app_id)
    page.fill("#f-token", project.app_token)
    page.click("button[type=submit]")
    page.wait_for_url(f"**/dashboard/p/{project.id}")
    yield page
    context.close()


def screenshot(page: Any, name: str, backend: str) -> Path:
    """Keep a screenshot of the page as a test artifact (not committed)."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}-{backend}.png"
    page.screenshot(path=str(path), full_page=True)
    return path
