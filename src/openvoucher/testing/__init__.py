"""Testing your Voucherify integration against openvoucher (see docs/testing-your-integration.md).

``openvoucher.testing.pytest_plugin`` (loaded through the ``pytest11`` entry point) provides the
fixtures; the classes here can also be used without pytest.
"""

from openvoucher.testing.clock import DevClock
from openvoucher.testing.recorder import Delivery, WebhookRecorder
from openvoucher.testing.server import OpenvoucherServer

__all__ = ["Delivery", "DevClock", "OpenvoucherServer", "WebhookRecorder"]
