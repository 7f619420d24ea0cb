"""Fixtures of the Loyalty v2 tests."""

from __future__ import annotations

import httpx
import pytest

from tests.support.loyalty_v2 import V2


@pytest.fixture
def v2(http: httpx.Client) -> V2:
    """The test project's client, every response checked against ``LoyaltyV2.json``."""
    return V2(http)
