"""Bulk code generation: a campaign with ``vouchers_count`` N on SQLite.

Prints, per N, the wall time from ``POST /v1/campaigns`` (the service call) until the async
action is DONE, and the process's peak RSS. Each N runs in a fresh process so the peaks are
comparable: memory should not grow with N.

    python bench/bench_generate_codes.py            # N = 10000 and 100000
    python bench/bench_generate_codes.py 100000     # one N
"""

from __future__ import annotations

import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def run_one(count: int) -> None:
    """Generate ``count`` codes in a fresh SQLite database and print the figures."""
    from openvoucher.bootstrap import build
    from openvoucher.catalog import campaigns
    from openvoucher.config import Settings
    from openvoucher.platform import async_actions

    with tempfile.TemporaryDirectory() as directory:
        settings = Settings(database_url=f"sqlite:///{Path(directory) / 'bench.db'}")
        container = build(settings)
        project_id = container.default_project["id"]
        body = {
            "name": "bench",
            "campaign_type": "DISCOUNT_COUPONS",
            "vouchers_count": count,
            "voucher": {
                "type": "DISCOUNT_VOUCHER",
                "discount": {"type": "AMOUNT", "amount_off": 1},
            },
        }
        rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        started = time.perf_counter()
        campaigns.create(container.uow, project_id, body)
        while async_actions.run_next(container.uow):
            pass
        elapsed = time.perf_counter() - started
        made = campaigns.get(container.uow, project_id, "bench")["vouchers_count"]
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        container.engine.dispose()
    print(
        f"vouchers_count={count:>7}  generated={made:>7}  time={elapsed:6.2f} s  "
        f"rate={made / elapsed:9.0f}/s  peak_rss={peak / 1024:6.1f} MiB  "
        f"(rss before generating {rss_before / 1024:6.1f} MiB)"
    )


def main() -> None:
    """Run each count in its own process."""
    if len(sys.argv) == 3 and sys.argv[1] == "--one":
        run_one(int(sys.argv[2]))
        return
    counts = [int(arg) for arg in sys.argv[1:]] or [10_000, 100_000]
    for count in counts:
        subprocess.run([sys.executable, __file__, "--one", str(count)], check=True)


if __name__ == "__main__":
    main()
