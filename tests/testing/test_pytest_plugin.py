"""The ``openvoucher`` pytest plugin, used by a test file the way an integrator would."""

from __future__ import annotations

import pytest

pytest_plugins = ["pytester"]

INTEGRATION_TEST = '''
from voucherify.api.customers_api import CustomersApi
from voucherify.models.customers_create_request_body import CustomersCreateRequestBody


def test_customer_webhook_and_time(voucherify_client, webhook_recorder, openvoucher_clock):
    """The SDK creates a customer; its signed webhook arrives; a year passes."""
    created = CustomersApi(voucherify_client).create_customer(
        CustomersCreateRequestBody(source_id="plugin-cust", name="Plugin")
    )
    hook = webhook_recorder.wait_for("customer.created", timeout=10)
    assert hook.signature_valid
    assert hook.data["customer"]["id"] == created.id
    before = openvoucher_clock.freeze()
    after = openvoucher_clock.advance("1y")
    openvoucher_clock.unfreeze()
    assert after.year == before.year + 1


def test_fresh_recorder_per_test(webhook_recorder, openvoucher_server):
    """Each test gets its own endpoint; the session's server is shared."""
    assert webhook_recorder.deliveries == []
    assert openvoucher_server.url.startswith("http://127.0.0.1:")
'''


def test_plugin_fixtures_work_in_a_users_suite(pytester: pytest.Pytester) -> None:
    """A user's test file gets a server, an SDK client, a recorder and the clock."""
    pytester.makepyfile(test_integration=INTEGRATION_TEST)
    result = pytester.runpytest_subprocess("-q", "-p", "no:cacheprovider", "-W", "ignore")
    result.assert_outcomes(passed=2)


def test_plugin_is_loaded_without_starting_anything(pytester: pytest.Pytester) -> None:
    """Tests that use none of the fixtures do not start a server."""
    pytester.makepyfile(
        test_plain="def test_plain(request):\n"
        "    assert 'openvoucher_server' not in request.fixturenames\n"
    )
    result = pytester.runpytest_subprocess("-q", "--fixtures", "-p", "no:cacheprovider")
    result.stdout.fnmatch_lines(["*openvoucher_server*", "*webhook_recorder*"])
    assert pytester.runpytest_subprocess("-q").ret == 0
