"""Bounded fuzzing of the main resources' request bodies (both databases): no 5xx, and every
2xx answer parses in the official SDK's response model."""

from __future__ import annotations

import os
from typing import Any

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from voucherify.models.campaigns_create_response_body import CampaignsCreateResponseBody
from voucherify.models.campaigns_update_response_body import CampaignsUpdateResponseBody
from voucherify.models.client_events_create_response_body import ClientEventsCreateResponseBody
from voucherify.models.client_qualifications_check_eligibility_response_body import (
    ClientQualificationsCheckEligibilityResponseBody,
)
from voucherify.models.client_validations_validate_response_body import (
    ClientValidationsValidateResponseBody,
)
from voucherify.models.customers_create_response_body import CustomersCreateResponseBody
from voucherify.models.customers_update_response_body import CustomersUpdateResponseBody
from voucherify.models.orders_create_response_body import OrdersCreateResponseBody
from voucherify.models.orders_update_response_body import OrdersUpdateResponseBody
from voucherify.models.products_create_response_body import ProductsCreateResponseBody
from voucherify.models.products_update_response_body import ProductsUpdateResponseBody
from voucherify.models.publications_create_response_body import PublicationsCreateResponseBody
from voucherify.models.redemptions_redeem_response_body import RedemptionsRedeemResponseBody
from voucherify.models.validations_validate_response_body import ValidationsValidateResponseBody
from voucherify.models.vouchers_create_response_body import VouchersCreateResponseBody
from voucherify.models.vouchers_update_response_body import VouchersUpdateResponseBody

from openvoucher.api.schemas.campaigns import CampaignCreate, CampaignUpdate
from openvoucher.api.schemas.client import (
    ClientEventBody,
    ClientQualificationBody,
    ClientStackBody,
)
from openvoucher.api.schemas.customers import CustomerCreate, CustomerUpdate
from openvoucher.api.schemas.orders import OrderBody
from openvoucher.api.schemas.products import ProductCreate, ProductUpdate
from openvoucher.api.schemas.publications import PublicationCreate
from openvoucher.api.schemas.redemptions import StackBody
from openvoucher.api.schemas.vouchers import VoucherCreate, VoucherUpdate
from tests.api.test_client_side import client_headers
from tests.support.fuzz import json_values, strategy
from tests.support.server import Project, RunningServer

ENDPOINTS: list[tuple[str, str, Any, Any]] = [
    ("POST", "/v1/customers", CustomerCreate, CustomersCreateResponseBody),
    ("PUT", "/v1/customers/fuzz-customer", CustomerUpdate, CustomersUpdateResponseBody),
    ("POST", "/v1/orders", OrderBody, OrdersCreateResponseBody),
    ("PUT", "/v1/orders/fuzz-order", OrderBody, OrdersUpdateResponseBody),
    ("POST", "/v1/vouchers", VoucherCreate, VouchersCreateResponseBody),
    ("PUT", "/v1/vouchers/FUZZ-1", VoucherUpdate, VouchersUpdateResponseBody),
    ("POST", "/v1/campaigns", CampaignCreate, CampaignsCreateResponseBody),
    ("PUT", "/v1/campaigns/Fuzz campaign", CampaignUpdate, CampaignsUpdateResponseBody),
    ("POST", "/v1/products", ProductCreate, ProductsCreateResponseBody),
    ("PUT", "/v1/products/fuzz-product", ProductUpdate, ProductsUpdateResponseBody),
    ("POST", "/v1/validations", StackBody, ValidationsValidateResponseBody),
    ("POST", "/v1/redemptions", StackBody, RedemptionsRedeemResponseBody),
    ("POST", "/v1/publications", PublicationCreate, PublicationsCreateResponseBody),
]
CLIENT_ENDPOINTS: list[tuple[str, Any, Any]] = [
    ("/client/v1/validations", ClientStackBody, ClientValidationsValidateResponseBody),
    (
        "/client/v1/qualifications",
        ClientQualificationBody,
        ClientQualificationsCheckEligibilityResponseBody,
    ),
    ("/client/v1/events", ClientEventBody, ClientEventsCreateResponseBody),
]
"""What a public client-side key reaches (docs/adr/0027-client-side-keys.md)."""
EXAMPLES = int(os.environ.get("OPENVOUCHER_FUZZ_EXAMPLES") or 25)
"""Bodies per endpoint and database: 25 (fixed examples, under a minute for both databases in
CI); set ``OPENVOUCHER_FUZZ_EXAMPLES`` for a longer, random run."""

FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    database=None,
    derandomize="OPENVOUCHER_FUZZ_EXAMPLES" not in os.environ,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def seed(http: httpx.Client) -> None:
    """The resources the fuzzed bodies refer to by name."""
    for path, body in (
        ("/v1/customers", {"source_id": "fuzz-customer", "metadata": {"a": 1}}),
        ("/v1/orders", {"source_id": "fuzz-order", "amount": 1000}),
        ("/v1/products", {"source_id": "fuzz-product", "name": "Fuzz", "price": 100}),
        ("/v1/vouchers/FUZZ-1", {"type": "GIFT_VOUCHER", "gift": {"amount": 10_000}}),
        (
            "/v1/campaigns",
            {
                "name": "Fuzz campaign",
                "campaign_type": "DISCOUNT_COUPONS",
                "voucher": {
                    "type": "DISCOUNT_VOUCHER",
                    "discount": {"type": "PERCENT", "percent_off": 10},
                },
            },
        ),
    ):
        assert http.post(path, json=body).status_code == 200, path


def check(http: httpx.Client, method: str, path: str, body: Any, model: Any) -> None:
    """No 5xx; a 2xx body parses in the SDK's model."""
    reply = http.request(method, path, json=body)
    assert reply.status_code < 500, (method, path, body, reply.text)
    if reply.status_code in (200, 201):
        model.from_dict(reply.json())


@pytest.mark.parametrize(
    ("method", "path", "schema", "model"), ENDPOINTS, ids=[f"{m} {p}" for m, p, _, _ in ENDPOINTS]
)
def test_fuzzed_bodies_never_5xx(
    project: Project, method: str, path: str, schema: Any, model: Any
) -> None:
    """Bodies drawn from the request schema, and arbitrary JSON: never a 5xx."""
    with project.client() as http:
        seed(http)

        @FUZZ
        @given(body=strategy(schema) | json_values | st.lists(json_values, max_size=2))
        def run(body: Any) -> None:
            check(http, method, path, body, model)

        run()


@pytest.mark.parametrize(
    ("path", "schema", "model"), CLIENT_ENDPOINTS, ids=[p for p, _, _ in CLIENT_ENDPOINTS]
)
def test_fuzzed_client_side_bodies_never_5xx(
    server: RunningServer, project: Project, path: str, schema: Any, model: Any
) -> None:
    """Bodies a client-side key sends, drawn from the client-side schemas and arbitrary JSON:
    never a 5xx, and every 2xx parses in the SDK's client-side model."""
    with project.client() as http:
        seed(http)
    with httpx.Client(base_url=project.base_url, headers=client_headers(server, project)) as http:

        @FUZZ
        @given(body=strategy(schema) | json_values)
        def run(body: Any) -> None:
            check(http, "POST", path, body, model)

        run()
