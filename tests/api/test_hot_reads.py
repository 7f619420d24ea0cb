"""Hot reads (``GET /v1/vouchers/{code}``, ``GET /v1/customers/{id}``): the event-loop path
answers exactly as the thread-pool path, sees every write at once, and keeps auth and 404s."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import orjson
import pytest
from sqlalchemy import text

from openvoucher.adapters.clock import SystemClock
from openvoucher.adapters.db.engine import make_engine
from openvoucher.adapters.db.unit_of_work import SqlUnitOfWork
from openvoucher.api.hot_edge import HotEdge
from openvoucher.api.observe import Observed
from openvoucher.catalog import vouchers, vouchers_hot
from openvoucher.customers import customers
from tests.api.catalog_helpers import discount_campaign
from tests.api.loyalty_helpers import join, programme
from tests.support.server import Project, RunningServer, new_project

AMOUNT = {"type": "DISCOUNT_VOUCHER", "discount": {"type": "AMOUNT", "amount_off": 1000}}
MIN_50 = {
    "name": "At least 50",
    "rules": {
        "1": {"name": "order.amount", "conditions": {"$more_than_or_equal": [5000]}, "rules": {}},
        "logic": "1",
    },
    "type": "basic",
}


def both_paths(http: httpx.Client, path: str) -> tuple[httpx.Response, httpx.Response]:
    """The answer of the hot path and of the regular path (a request with a body always takes
    the thread pool) to the same GET."""
    hot = http.get(path)
    regular = http.request("GET", path, content=b"{}")
    return hot, regular


def assert_same(http: httpx.Client, path: str) -> dict[str, Any]:
    """Both paths give the same status and the same bytes; the body."""
    hot, regular = both_paths(http, path)
    assert hot.status_code == regular.status_code == 200, hot.text
    assert hot.content == regular.content
    assert hot.headers["content-type"] == regular.headers["content-type"]
    assert hot.headers["x-request-id"].startswith("v-")
    body: dict[str, Any] = hot.json()
    return body


def variety(http: httpx.Client) -> list[str]:
    """Codes of vouchers of every shape: discount with category, metadata, dates and validity;
    a campaign voucher; a gift card partly spent; a loyalty card with its holder."""
    category = http.post("/v1/categories", json={"name": "food", "hierarchy": 1}).json()
    http.put(f"/v1/categories/{category['id']}", json={"name": "food", "hierarchy": 2})
    rich = {
        **AMOUNT,
        "category": "food",
        "metadata": {"tier": "gold", "n": 3, "nested": {"ok": True}},
        "additional_info": "for the hot path",
        "start_date": "2030-01-01T00:00:00Z",
        "expiration_date": "2030-02-01T10:20:30.456Z",
        "validity_day_of_week": [1, 2],
        "redemption": {"quantity": 5},
    }
    assert http.post("/v1/vouchers/RICH-1", json=rich).status_code == 200
    campaign = discount_campaign(http)
    made = http.post(f"/v1/campaigns/{campaign['id']}/vouchers", json={"metadata": {"k": "v"}})
    assert made.status_code == 200, made.text
    gift = {"type": "GIFT_VOUCHER", "gift": {"amount": 5000, "effect": "APPLY_TO_ITEMS"}}
    assert http.post("/v1/vouchers/GIFT-HOT", json=gift).status_code == 200
    spend = {
        "redeemables": [{"object": "voucher", "id": "GIFT-HOT", "gift": {"credits": 1200}}],
        "order": {"amount": 1200},
    }
    assert http.post("/v1/redemptions", json=spend).status_code == 200
    loyalty = programme(http)
    member = join(http, loyalty["id"], "hot-member")
    rules = [http.post("/v1/validation-rules", json=rule(n)).json()["id"] for n in (1, 2)]
    ruled = http.post("/v1/vouchers/RULED", json={**AMOUNT, "validation_rules": rules})
    assert ruled.status_code == 200, ruled.text
    return ["RICH-1", made.json()["code"], "GIFT-HOT", member["code"], "RULED"]


def rule(n: int) -> dict[str, Any]:
    """A validation rule body: the order is at least ``n`` × 10."""
    condition = {"name": "order.amount", "conditions": {"$more_than": [n * 1000]}, "rules": {}}
    return {"name": f"At least {n}0", "rules": {"1": condition, "logic": "1"}, "type": "basic"}


def test_every_voucher_shape_renders_the_same_on_both_paths(http: httpx.Client) -> None:
    """Discount, campaign, gift, loyalty and ruled vouchers: same bytes on both paths."""
    codes = variety(http)
    bodies = [assert_same(http, f"/v1/vouchers/{code}") for code in codes]
    rich, campaign_voucher, gift, card, ruled = bodies
    assert ruled["validation_rules_assignments"]["total"] == 2
    assert rich["validation_rules_assignments"]["total"] == 0
    assert rich["category"] == "food"
    assert rich["categories"][0]["hierarchy"] == 2
    assert "updated_at" in rich["categories"][0]
    assert rich["metadata"] == {"tier": "gold", "n": 3, "nested": {"ok": True}}
    assert rich["expiration_date"] == "2030-02-01T10:20:30.456Z"
    assert rich["validity_day_of_week"] == [1, 2]
    assert campaign_voucher["campaign"] == "Spring"
    assert campaign_voucher["discount"]["percent_off"] == 10
    assert gift["gift"] == {"amount": 5000, "balance": 3800, "effect": "APPLY_TO_ITEMS"}
    assert gift["redemption"]["redeemed_amount"] == 1200
    assert card["type"] == "LOYALTY_CARD"
    assert card["holder_id"].startswith("cust_")
    by_id = assert_same(http, f"/v1/vouchers/{card['id']}")
    assert by_id == card


def test_the_hot_read_is_the_regular_read(
    server: RunningServer, project: Project, http: httpx.Client
) -> None:
    """In-process, the hot service read equals the transactional one (SQLite), or is declined
    (PostgreSQL: no hot reader)."""
    uow = server.container.uow
    for code in variety(http):
        hot = vouchers_hot.get_hot(uow, project.id, code)
        if server.backend == "postgresql":
            assert hot is None
        else:
            assert hot is not None
            assert hot.body == orjson.dumps(vouchers.get(uow, project.id, code))
    assert customers.get_hot(uow, project.id, "hot-member") == (
        None if server.backend == "postgresql" else customers.get(uow, project.id, "hot-member")
    )


def test_a_code_equal_to_another_vouchers_id_wins(http: httpx.Client) -> None:
    """``/v1/vouchers/{x}`` with ``x`` one voucher's id and another's code: the code wins."""
    first = http.post("/v1/vouchers/FIRST", json=AMOUNT).json()
    second = http.post(f"/v1/vouchers/{first['id']}", json=AMOUNT)
    assert second.status_code == 200, second.text
    found = assert_same(http, f"/v1/vouchers/{first['id']}")
    assert found["id"] == second.json()["id"]
    assert assert_same(http, "/v1/vouchers/FIRST")["id"] == first["id"]


def test_reads_follow_writes_at_once(http: httpx.Client) -> None:
    """Each GET right after an update, a disable and a delete shows the change."""
    http.post("/v1/vouchers/LIVE", json=AMOUNT)
    assert http.get("/v1/vouchers/LIVE").json()["metadata"] == {}
    for n in range(5):
        changed = http.put("/v1/vouchers/LIVE", json={"metadata": {"n": n}})
        assert changed.status_code == 200, changed.text
        assert http.get("/v1/vouchers/LIVE").json()["metadata"] == {"n": n}
    http.post("/v1/vouchers/LIVE/disable")
    assert http.get("/v1/vouchers/LIVE").json()["active"] is False
    assert http.delete("/v1/vouchers/LIVE").status_code == 204
    gone = http.get("/v1/vouchers/LIVE")
    assert gone.status_code == 404
    assert gone.json()["key"] == "not_found"


def test_a_render_is_reused_only_for_the_same_row(
    server: RunningServer, http: httpx.Client
) -> None:
    """The memoised rendering: a repeated GET reuses it, a change to the voucher, its category
    or its assignments (rows other than the voucher's) is rendered anew, byte-equal."""
    category = http.post("/v1/categories", json={"name": "memo", "hierarchy": 1}).json()
    http.post("/v1/vouchers/MEMO", json={**AMOUNT, "category": "memo"})
    first = assert_same(http, "/v1/vouchers/MEMO")
    hits = vouchers_hot.rendered_memo().hits
    assert assert_same(http, "/v1/vouchers/MEMO") == first
    if server.backend == "sqlite":
        assert vouchers_hot.rendered_memo().hits > hits
    http.put("/v1/vouchers/MEMO", json={"metadata": {"m": 1}})
    assert assert_same(http, "/v1/vouchers/MEMO")["metadata"] == {"m": 1}
    http.put(f"/v1/categories/{category['id']}", json={"name": "renamed", "hierarchy": 1})
    assert assert_same(http, "/v1/vouchers/MEMO")["category"] == "renamed"
    rule = http.post("/v1/validation-rules", json=MIN_50).json()
    path = f"/v1/validation-rules/{rule['id']}/assignments"
    to = {"related_object_type": "voucher", "related_object_id": "MEMO"}
    assignment = http.post(path, json=to).json()
    shown = assert_same(http, "/v1/vouchers/MEMO")["validation_rules_assignments"]
    assert [a["id"] for a in shown["data"]] == [assignment["id"]]
    assert http.delete(f"{path}/{assignment['id']}").status_code == 204
    assert assert_same(http, "/v1/vouchers/MEMO")["validation_rules_assignments"]["total"] == 0


def test_projects_never_share_a_render(server: RunningServer, http: httpx.Client) -> None:
    """The same code in two projects: each project's GET renders its own voucher, alternately."""
    http.post("/v1/vouchers/TWIN", json={**AMOUNT, "metadata": {"p": "mine"}})
    with new_project(server, "twin").client() as other:
        other.post("/v1/vouchers/TWIN", json={**AMOUNT, "metadata": {"p": "other"}})
        for _ in range(2):
            mine, theirs = (
                assert_same(http, "/v1/vouchers/TWIN"),
                assert_same(other, "/v1/vouchers/TWIN"),
            )
            assert (mine["metadata"], theirs["metadata"]) == ({"p": "mine"}, {"p": "other"})
            assert mine["id"] != theirs["id"]


@pytest.fixture
def other_process_uow(server: RunningServer) -> Iterator[SqlUnitOfWork]:
    """A unit of work on its own engine, as a worker process or another server has."""
    engine = make_engine(server.container.settings.database_url)
    try:
        yield SqlUnitOfWork(engine, SystemClock())
    finally:
        engine.dispose()


def test_writes_of_another_engine_show_at_once(
    project: Project, http: httpx.Client, other_process_uow: SqlUnitOfWork
) -> None:
    """A change committed through another engine (another process) shows on the next GET."""
    http.post("/v1/vouchers/ELSEWHERE", json=AMOUNT)
    created = http.post("/v1/customers", json={"source_id": "far", "name": "Before"}).json()
    assert http.get("/v1/vouchers/ELSEWHERE").json()["metadata"] == {}
    uow, project_id = other_process_uow, project.id
    vouchers.update(uow, project_id, "ELSEWHERE", {"metadata": {"from": "worker"}})
    customers.update(uow, project_id, "far", {"name": "After"})
    assert http.get("/v1/vouchers/ELSEWHERE").json()["metadata"] == {"from": "worker"}
    assert http.get(f"/v1/customers/{created['id']}").json()["name"] == "After"
    vouchers.delete(uow, project_id, "ELSEWHERE")
    assert http.get("/v1/vouchers/ELSEWHERE").status_code == 404


def test_not_found_bodies_match(http: httpx.Client) -> None:
    """An unknown code or customer is the same 404 ``not_found`` body on both paths, each
    with its own request id."""
    for path in ("/v1/vouchers/NOPE-404", "/v1/customers/cust_nope"):
        hot, regular = both_paths(http, path)
        assert hot.status_code == regular.status_code == 404
        hot_body, regular_body = hot.json(), regular.json()
        assert hot_body["key"] == "not_found"
        assert hot_body["request_id"] == hot.headers["x-request-id"]
        assert hot_body["request_id"] != regular_body["request_id"]
        hot_body.pop("request_id")
        regular_body.pop("request_id")
        assert hot_body == regular_body


def test_projects_stay_apart(server: RunningServer, http: httpx.Client) -> None:
    """Another project's keys cannot read this project's voucher or customer."""
    http.post("/v1/vouchers/MINE", json=AMOUNT)
    mine = http.post("/v1/customers", json={"source_id": "mine"}).json()
    with new_project(server, "other").client() as other:
        assert other.get("/v1/vouchers/MINE").status_code == 404
        assert other.get(f"/v1/customers/{mine['id']}").status_code == 404
        assert other.get("/v1/customers/mine").status_code == 404
        other.post("/v1/vouchers/MINE", json=AMOUNT)
        assert (
            other.get("/v1/vouchers/MINE").json()["id"]
            != http.get("/v1/vouchers/MINE").json()["id"]
        )


def test_keys_are_checked(server: RunningServer, project: Project, http: httpx.Client) -> None:
    """Missing or wrong keys are 401 on hot routes, also once the right keys are cached."""
    http.post("/v1/vouchers/LOCKED", json=AMOUNT)
    assert http.get("/v1/vouchers/LOCKED").status_code == 200
    with httpx.Client(base_url=server.base_url, timeout=30) as anonymous:
        missing = anonymous.get("/v1/vouchers/LOCKED")
        wrong = anonymous.get(
            "/v1/vouchers/LOCKED",
            headers={"X-App-Id": project.app_id, "X-App-Token": project.app_token + "x"},
        )
    for answer in (missing, wrong):
        assert answer.status_code == 401
        assert answer.json()["key"] == "unauthorized"
        assert answer.json()["request_id"] == answer.headers["x-request-id"]


def test_customers_render_the_same_on_both_paths(http: httpx.Client) -> None:
    """A customer by id and by source_id: same bytes on the hot and the regular path."""
    body = {
        "source_id": "cust-hot",
        "name": "Hot Reader",
        "email": "hot@example.com",
        "metadata": {"a": 1},
        "address": {"city": "Lyon", "country": "FR"},
    }
    created = http.post("/v1/customers", json=body).json()
    by_id = assert_same(http, f"/v1/customers/{created['id']}")
    by_source = assert_same(http, "/v1/customers/cust-hot")
    assert by_id == by_source
    assert by_id["address"]["city"] == "Lyon"
    assert by_id["metadata"] == {"a": 1}


def edge_scope(path: str, project: Project, query: bytes = b"") -> dict[str, Any]:
    """The ASGI scope uvicorn gives for ``GET path`` with the project's keys."""
    return {
        "type": "http",
        "method": "GET",
        "path": path,
        "root_path": "",
        "query_string": query,
        "headers": [
            (b"host", b"127.0.0.1"),
            (b"x-app-id", project.app_id.encode()),
            (b"x-app-token", project.app_token.encode()),
        ],
    }


def test_the_edge_answers_hot_gets_itself(
    server: RunningServer, project: Project, http: httpx.Client
) -> None:
    """On SQLite the edge in front of Starlette answers a hot GET from the scope, with the
    bytes HTTP gives; any other request passes on to Starlette (PostgreSQL: no edge)."""
    http.post("/v1/vouchers/EDGE", json=AMOUNT)
    over_http = http.get("/v1/vouchers/EDGE")
    observed = server.server.config.app.middleware_stack
    assert isinstance(observed, Observed)  # the access edge is outermost, the hot edge next
    edge = observed.app
    if server.backend == "postgresql":
        assert not isinstance(edge, HotEdge)
        return
    assert isinstance(edge, HotEdge)
    answer = edge.answer(edge_scope("/v1/vouchers/EDGE", project, b"x=1"))
    assert answer is not None
    assert (answer.status_code, answer.body) == (200, over_http.content)
    for path in ("/v1/vouchers", "/health", "/v1/vouchers/EDGE/redemptions", "/v1/nothing/x"):
        assert edge.answer(edge_scope(path, project)) is None, path
    missing = edge_scope("/v1/vouchers/EDGE", project)
    missing["headers"] = missing["headers"][:1]
    assert edge.answer(missing) is None  # no keys: the regular path answers the 401


def test_a_query_string_changes_nothing(http: httpx.Client) -> None:
    """A GET with a query string gets the same bytes on both paths."""
    http.post("/v1/vouchers/QUERIED", json=AMOUNT)
    assert_same(http, "/v1/vouchers/QUERIED?expand=nothing&x=1")


def test_a_corrupt_row_is_the_same_500_on_both_paths(
    server: RunningServer, project: Project, http: httpx.Client
) -> None:
    """A row that cannot be decoded (attrs no longer JSON, written by hand) is a 500
    ``internal_error`` body on both paths, not a dropped connection."""
    if server.backend == "postgresql":
        pytest.skip("PostgreSQL refuses invalid JSON, and has no hot path")
    http.post("/v1/vouchers/BROKEN", json=AMOUNT)
    with server.container.engine.begin() as conn:
        conn.execute(
            text("UPDATE vouchers SET attrs = '{oops' WHERE project_id = :p AND code = 'BROKEN'"),
            {"p": project.id},
        )
    # After the 500 the exception propagates (as Starlette does) and uvicorn drops the
    # connection: one connection per request.
    close = {"connection": "close"}
    hot = http.get("/v1/vouchers/BROKEN", headers=close)
    regular = http.request("GET", "/v1/vouchers/BROKEN", content=b"{}", headers=close)
    for answer in (hot, regular):
        assert answer.status_code == 500
        assert answer.json()["key"] == "internal_error"
        assert answer.json()["request_id"] == answer.headers["x-request-id"]
