"""The ``openvoucher`` pytest plugin, used by a test file the way an integrator would."""

from __future__ import annotations

from pathlib import Path

import pytest

pytest_plugins = ["pytester"]

EXAMPLE = Path(__file__).parents[2] / "docs" / "examples" / "test_integration_example.py"


def test_plugin_fixtures_work_in_a_users_suite(pytester: pytest.Pytester) -> None:
    """The guide's worked example passes: SDK client, signed webhooks, a voucher expiring and
    loyalty points expiring after a simulated year."""
    pytester.makepyfile(test_integration=EXAMPLE.read_text())
    result = pytester.runpytest_subprocess("-q", "-p", "no:cacheprovider", "-W", "ignore")
    result.assert_outcomes(passed=3)


def test_plugin_fixtures_are_registered(pytester: pytest.Pytester) -> None:
    """The entry point registers the four fixtures for any suite."""
    result = pytester.runpytest_subprocess("-q", "--fixtures", "-p", "no:cacheprovider")
    result.stdout.fnmatch_lines(
        ["*openvoucher_server*", "*voucherify_client*", "*webhook_recorder*", "*openvoucher_clock*"]
    )
    assert result.ret == 0
