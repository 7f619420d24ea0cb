"""Dashboard pages on a project with 100 000 vouchers and 10 000 customers.

Builds the data through the use cases (one gift campaign of 100 000 generated codes, 10 000
customers in write batches, a few hundred redemptions and balance changes), then renders each
dashboard page in-process (Starlette's test client: no sockets, so the figure is the server's
own time) and prints the median and worst of ``--rounds`` renders per page. Target: < 200 ms.

    python bench/bench_dashboard.py                         # SQLite in a temporary directory
    python bench/bench_dashboard.py postgresql://postgres@127.0.0.1:5432/bench_dash
    python bench/bench_dashboard.py sqlite:////tmp/dash.db --reuse   # data of an earlier run
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

VOUCHERS = 100_000
CUSTOMERS = 10_000
ROUNDS = 15


def build_data(container: Any, project_id: str) -> dict[str, str]:
    """The data set; returns ids the pages need."""
    from openvoucher.catalog import campaigns
    from openvoucher.checkout import redemptions
    from openvoucher.customers import customers
    from openvoucher.gift_cards import credits as gift_cards
    from openvoucher.platform import async_actions

    uow = container.uow
    body = {
        "name": "Bench gift cards",
        "campaign_type": "GIFT_VOUCHERS",
        "vouchers_count": VOUCHERS,
        "voucher": {
            "type": "GIFT_VOUCHER",
            "gift": {"amount": 5000},
            "code_config": {"prefix": "BG-", "length": 8},
        },
    }
    started = time.perf_counter()
    campaign = campaigns.create(uow, project_id, body)
    while async_actions.run_next(uow):
        pass
    print(f"{VOUCHERS} vouchers in {time.perf_counter() - started:.1f} s")
    started = time.perf_counter()
    for batch in range(0, CUSTOMERS, 500):
        with uow.write(project_id) as tx:
            for n in range(batch, batch + 500):
                customers.upsert(
                    tx,
                    {
                        "source_id": f"cust-{n:05d}",
                        "name": f"Customer {n}",
                        "email": f"c{n}@example.com",
                    },
                )
    print(f"{CUSTOMERS} customers in {time.perf_counter() - started:.1f} s")
    from openvoucher.catalog.repositories.vouchers import VoucherFilter

    rows, _ = _page(container, project_id, campaign["id"], VoucherFilter)
    for n, row in enumerate(rows[:200]):
        gift_cards.update_balance(uow, project_id, row["code"], {"amount": 500, "reason": "b"})
        redemptions.redeem(
            uow,
            project_id,
            {
                "redeemables": [{"object": "voucher", "id": row["code"]}],
                "order": {"amount": 1000 + n},
                "customer": {"source_id": f"cust-{n:05d}"},
            },
            None,
        )
    return {"campaign": campaign["id"], "code": rows[0]["code"], "customer": "cust-00042"}


def settle(container: Any) -> None:
    """What autovacuum does a minute after a bulk load on PostgreSQL (statistics and the
    visibility map), so the planner sees the data as a running server would."""
    if container.engine.dialect.name != "postgresql":
        return
    with container.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.exec_driver_sql("VACUUM ANALYZE")


def reused(container: Any, project_id: str) -> dict[str, str]:
    """The ids of a data set built by an earlier run."""
    from openvoucher.catalog import campaigns
    from openvoucher.catalog.repositories.vouchers import VoucherFilter

    campaign = campaigns.get(container.uow, project_id, "Bench gift cards")
    rows, _ = _page(container, project_id, campaign["id"], VoucherFilter)
    return {"campaign": campaign["id"], "code": rows[0]["code"], "customer": "cust-00042"}


def _page(container: Any, project_id: str, campaign_id: str, kind: Any) -> Any:
    from openvoucher.catalog import vouchers

    return vouchers.list_vouchers(
        container.uow,
        project_id,
        {"campaign": campaign_id},
        kind(),
        order="-created_at",
        limit=200,
        offset=0,
    )


def pages(ids: dict[str, str], customer_id: str) -> list[str]:
    """The pages measured (paths inside the project)."""
    return [
        "",
        "/campaigns",
        f"/campaigns/{ids['campaign']}",
        f"/campaigns/{ids['campaign']}?after=BG-M",
        "/vouchers",
        "/vouchers?after=BG-t",
        "/vouchers?code=BG-t&match=prefix&after=BG-tZ",
        f"/vouchers?code={ids['code']}&match=exact",
        "/vouchers?code=BG-A&match=prefix",
        f"/vouchers/{ids['code']}",
        "/customers",
        "/customers?q=Customer%2099&by=name",
        "/customers?q=cust-0999&by=source_id",
        f"/customers/{customer_id}",
        "/orders",
        "/redemptions",
        "/developers/sendouts",
    ]


def measure(database_url: str, reuse: bool = False) -> None:
    """Build (unless ``reuse``: the database holds the data already), then time every page."""
    from starlette.testclient import TestClient

    from openvoucher.api.app import create_app
    from openvoucher.bootstrap import build
    from openvoucher.config import Settings
    from openvoucher.customers import customers
    from openvoucher.platform import projects

    settings = Settings(database_url=database_url, run_relay=False)
    container = build(settings)
    project = container.default_project
    key = projects.get_project(container.uow, project["id"])["app_keys"][0]
    ids = reused(container, project["id"]) if reuse else build_data(container, project["id"])
    settle(container)
    customer_id = customers.get(container.uow, project["id"], ids["customer"])["id"]
    with TestClient(create_app(container), follow_redirects=False) as client:
        login = client.post(
            "/dashboard/login", data={"key_id": key["key_id"], "token": key["token"]}
        )
        assert login.status_code == 303, login.text
        print(f"{'page':<48} {'median ms':>10} {'max ms':>8}")
        for path in pages(ids, customer_id):
            url = f"/dashboard/p/{project['id']}{path}"
            times = []
            for _ in range(ROUNDS):
                started = time.perf_counter()
                reply = client.get(url)
                times.append((time.perf_counter() - started) * 1000)
                assert reply.status_code in {200, 303}, (path, reply.status_code)
            print(
                f"{path or '(overview)':<48} {statistics.median(times):>10.1f} {max(times):>8.1f}"
            )
    container.engine.dispose()


if __name__ == "__main__":
    if len(sys.argv) > 1:
        measure(sys.argv[1], reuse="--reuse" in sys.argv)
    else:
        with tempfile.TemporaryDirectory() as directory:
            measure(f"sqlite:///{Path(directory) / 'bench.db'}")
