"""The derived Loyalty v2 data is current, and served v2 routes are spec operations."""

from __future__ import annotations

import pytest

from openvoucher.api.routes import all_routes
from tests.support.loyalty_v2 import derived, operation
from tests.support.scripts import load_script


def test_derived_file_matches_the_spec() -> None:
    """Re-deriving from ``LoyaltyV2.json`` (when present) gives the committed file."""
    script = load_script("derive_loyalty_v2")
    if not script.spec_path().exists():
        pytest.skip("LoyaltyV2.json is not beside the repository")
    assert script.render() == script.OUTPUT.read_text(encoding="utf-8")


def test_derived_file_lists_102_operations() -> None:
    """The spec's 102 operations are all listed with a 2xx response schema."""
    ops = derived()["operations"]
    assert len(ops) == 102
    assert all(any(s.startswith("2") for s in op["responses"]) for op in ops)


def test_every_served_v2_route_is_a_spec_operation() -> None:
    """No ``/v2`` route is served outside ``LoyaltyV2.json``."""
    served = [r for r in all_routes() if r.path.startswith("/v2/")]
    assert len(served) >= 30
    for route in served:
        sample = route.path.replace("{", "x").replace("}", "")
        assert operation(route.method, sample)["path"].count("/") == route.path.count("/")
