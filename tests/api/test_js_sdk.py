"""Smoke test: the official ``@voucherify/sdk`` (npm) against a real server.

Installs ``tests/js`` with ``npm ci`` (reusing ``node_modules`` when the lock file is unchanged)
and runs ``node --test`` there. Skipped with the reason when Node.js/npm are missing or the npm
registry cannot be reached.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.support.server import Project

JS_DIR = Path(__file__).resolve().parents[1] / "js"
STAMP = JS_DIR / "node_modules" / ".openvoucher-lock-sha256"


def _install() -> None:
    """``npm ci`` unless node_modules already matches package-lock.json."""
    digest = hashlib.sha256((JS_DIR / "package-lock.json").read_bytes()).hexdigest()
    if STAMP.exists() and STAMP.read_text() == digest:
        return
    done = subprocess.run(
        ["npm", "ci", "--no-audit", "--no-fund", "--loglevel=error"],
        cwd=JS_DIR,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    if done.returncode != 0:
        pytest.skip(f"npm ci failed (registry unreachable?): {done.stderr.strip()[-400:]}")
    STAMP.write_text(digest)


def test_js_sdk_smoke(project: Project) -> None:
    """Customers, campaigns, vouchers, products and OAuth work through @voucherify/sdk."""
    if shutil.which("node") is None or shutil.which("npm") is None:
        pytest.skip("Node.js and npm are needed for the JS SDK smoke test")
    _install()
    env = {
        **os.environ,
        "OPENVOUCHER_URL": project.base_url,
        "OPENVOUCHER_APP_ID": project.app_id,
        "OPENVOUCHER_APP_TOKEN": project.app_token,
    }
    done = subprocess.run(
        ["node", "--test", "--test-reporter=spec", "sdk.test.mjs"],
        cwd=JS_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-2000:]
    assert re.search(r"\bpass 4\b", done.stdout), done.stdout[-2000:]
    assert re.search(r"\bfail 0\b", done.stdout)
