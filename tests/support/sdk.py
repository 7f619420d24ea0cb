"""The official ``voucherify`` Python SDK configured against a test project."""

from __future__ import annotations

import voucherify

from tests.support.server import Project


def sdk_client(project: Project) -> voucherify.ApiClient:
    """An SDK ApiClient authenticated as ``project``."""
    configuration = voucherify.Configuration(
        host=project.base_url,
        api_key={"X-App-Id": project.app_id, "X-App-Token": project.app_token},
    )
    return voucherify.ApiClient(configuration)
