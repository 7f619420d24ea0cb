"""Input limits at the edge: the same 400 on both databases, and nothing stored breaks a read."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from voucherify.models.customer_with_summary_loyalty_referrals import (
    CustomerWithSummaryLoyaltyReferrals,
)

from openvoucher.api.limits import (
    MAX_ARRAY,
    MAX_DEPTH,
    MAX_HEADER,
    MAX_KEY,
    MAX_OBJECT_KEYS,
    MAX_PARAM,
    MAX_STRING,
)
from tests.api.redemption_helpers import balance, gift_voucher, redeem, voucher_ref


def nested(depth: int) -> Any:
    """A value of ``depth`` nested objects (the innermost holds a string)."""
    value: Any = "leaf"
    for _ in range(depth):
        value = {"k": value}
    return value


def nested_raw(depth: int) -> bytes:
    """``nested(depth)`` encoded (the JSON encoders of clients stop near 1000 levels)."""
    return b'{"k":' * depth + b'"leaf"' + b"}" * depth


def post_raw(http: httpx.Client, path: str, raw: bytes) -> httpx.Response:
    """POST an already encoded JSON body."""
    return http.post(path, content=raw, headers={"content-type": "application/json"})


def refused(response: httpx.Response, field: str) -> None:
    """The response is a 400 invalid_payload whose details name ``field``."""
    assert response.status_code == 400, response.text
    body = response.json()
    assert body["key"] == "invalid_payload"
    assert field in body["details"], body["details"]


@pytest.mark.parametrize("depth", [MAX_DEPTH, 260, 1200, 20_000])
def test_deep_metadata_is_refused_and_nothing_stored(http: httpx.Client, depth: int) -> None:
    """Metadata nested beyond the limit is a 400 naming the field, at any depth."""
    raw = b'{"source_id": "deep", "metadata": ' + nested_raw(depth) + b"}"
    response = post_raw(http, "/v1/customers", raw)
    refused(response, "metadata.k")
    assert http.get("/v1/customers/deep").status_code == 404


def test_deep_redemption_metadata_changes_no_balance(http: httpx.Client) -> None:
    """A redemption with metadata nested 260 levels is refused and the card keeps its balance."""
    gift_voucher(http, "DEEP-GIFT", 10_000)
    response = redeem(http, voucher_ref("DEEP-GIFT", 7), metadata=nested(260))
    refused(response, "metadata")
    assert balance(http, "DEEP-GIFT") == 10_000


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"source_id": "a\u0000b"}, "source_id"),
        ({"source_id": "n", "name": "x\u0000"}, "name"),
        ({"source_id": "m", "metadata": {"a\u0000": 1}}, "metadata.a"),
        ({"source_id": "s", "name": "x" * (MAX_STRING + 1)}, "name"),
        ({"source_id": "k", "metadata": {"k" * (MAX_KEY + 1): 1}}, "metadata.kkk"),
        (
            {"source_id": "c", "metadata": {f"k{i}": i for i in range(MAX_OBJECT_KEYS + 1)}},
            "metadata",
        ),
        ({"source_id": "r", "metadata": {"list": list(range(MAX_ARRAY + 1))}}, "metadata.list"),
        ({"source_id": "i", "metadata": {"big": 2**64}}, "metadata.big"),
    ],
)
def test_body_limits_name_the_field(http: httpx.Client, body: dict[str, Any], field: str) -> None:
    """Each body limit is a 400 invalid_payload naming the field."""
    refused(http.post("/v1/customers", json=body), field)
    assert http.get("/v1/customers", params={"limit": 100}).json()["total"] == 0


def test_infinite_number_is_refused(http: httpx.Client) -> None:
    """A number JSON can write but no database can store as a number (1e400) is refused."""
    refused(
        post_raw(http, "/v1/customers", b'{"source_id": "i", "metadata": {"x": 1e400}}'), "metadata"
    )


def test_nul_in_params_and_filters_is_refused(http: httpx.Client) -> None:
    """NUL in a path parameter, a query parameter or a filter value is a 400, not a 500."""
    refused(http.get("/v1/vouchers/A%00B"), "code")
    refused(http.get("/v1/customers/c%00"), "customerId")
    refused(http.get("/v1/customers", params={"email": "a\u0000"}), "email")
    refused(
        http.get("/v1/vouchers", params={"filters[code][conditions][$is]": "x\u0000"}),
        "filters[code][conditions][$is]",
    )
    refused(http.get("/v1/customers", params={"email": "e" * (MAX_PARAM + 1)}), "email")


def test_deep_json_query_parameter_is_refused(http: httpx.Client) -> None:
    """A JSON filter in a query parameter nested beyond the limit is a 400, not a RecursionError."""
    refused(http.get("/v1/redemptions", params={"filters": "[" * 1000 + "]" * 1000}), "filters")


def test_oversized_header_is_refused(http: httpx.Client) -> None:
    """A header value over the limit is a 400 naming the header."""
    refused(http.get("/v1/customers", headers={"x-padding": "p" * (MAX_HEADER + 1)}), "x-padding")


def test_worst_legal_record_reads_and_lists(http: httpx.Client) -> None:
    """The largest record the limits allow is stored, read, listed and parsed by the SDK."""
    metadata: dict[str, Any] = {f"k{i:03d}": "v" * 100 for i in range(MAX_OBJECT_KEYS - 2)}
    metadata["deep"] = nested(MAX_DEPTH - 3)
    metadata["list"] = list(range(MAX_ARRAY))
    body = {"source_id": "worst", "name": "n" * 300, "metadata": metadata}
    created = http.post("/v1/customers", json=body)
    assert created.status_code == 200, created.text
    fetched = http.get("/v1/customers/worst").json()
    assert fetched["metadata"]["deep"] == nested(MAX_DEPTH - 3)
    listed = http.get("/v1/customers", params={"limit": 100})
    assert listed.status_code == 200
    [row] = listed.json()["customers"]
    CustomerWithSummaryLoyaltyReferrals.from_dict(row)


def test_nul_in_uploaded_csv_is_refused(http: httpx.Client) -> None:
    """A CSV import holding a NUL character is a 400 naming the file field, nothing queued."""
    csv = b"source_id,name\nx\x00y,N\n"
    reply = http.post("/v1/customers/importCSV", files={"file": ("c.csv", csv, "text/csv")})
    refused(reply, "file")
    assert http.get("/v1/async-actions").json()["async_actions"] == []


def test_first_level_arrays_follow_their_schema(http: httpx.Client) -> None:
    """A bulk metadata update naming 1 500 codes is accepted (the array limit is for nested
    arrays)."""
    body = {"codes": [f"C-{i}" for i in range(1500)], "metadata": {"a": 1}}
    assert http.post("/v1/vouchers/metadata/async", json=body).status_code == 202
