"""CSV voucher import: ``POST /v1/vouchers/importCSV`` with N rows on SQLite, end to end.

Starts a real ``openvoucher serve`` on loopback, uploads a generated CSV (Code, Voucher Type,
Value, Discount Type, Expiration Date, Redemption Limit and one metadata column), polls the
async action until DONE and prints: the upload time (request answered: file parsed and
staged), the total time (until the action is DONE), and the server's peak RSS (VmHWM),
next to its RSS before the upload. Each N runs against a fresh server, so the peaks are
comparable: memory should not grow with N.

    python bench/bench_import_csv.py            # N = 10000 and 100000
    python bench/bench_import_csv.py 100000     # one N
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

import httpx
from common import APP_HEADERS, openvoucher_server


def write_csv(path: Path, count: int) -> int:
    """A CSV of ``count`` distinct discount vouchers; its size in bytes."""
    with path.open("w", encoding="utf-8") as out:
        out.write("Code,Voucher Type,Value,Discount Type,Expiration Date,Redemption Limit,Shop\n")
        for index in range(count):
            out.write(
                f"IMP-{index:08d},DISCOUNT_VOUCHER,{500 + index % 50},AMOUNT,"
                f"2031-12-31T23:59:59Z,{1 + index % 3},shop-{index % 7}\n"
            )
    return path.stat().st_size


def memory(pid: int, key: str) -> float:
    """A ``/proc/<pid>/status`` figure in MiB (VmRSS now, VmHWM the peak)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(f"{key}:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def cpu_seconds(pid: int) -> float:
    """User + system CPU time the process has used so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def run(count: int) -> None:
    """Import ``count`` vouchers into a fresh server and print the figures."""
    with tempfile.TemporaryDirectory() as directory, openvoucher_server(pin=False) as server:
        path = Path(directory) / "vouchers.csv"
        size = write_csv(path, count)
        pid = server.process.pid
        rss_before = memory(pid, "VmRSS")
        cpu_before = cpu_seconds(pid)
        with httpx.Client(base_url=server.base_url, headers=APP_HEADERS, timeout=120) as http:
            started = time.perf_counter()
            with path.open("rb") as upload:
                response = http.post(
                    "/v1/vouchers/importCSV", files={"file": ("vouchers.csv", upload)}
                )
            response.raise_for_status()
            answered = time.perf_counter() - started
            action_id = response.json()["async_action_id"]
            while True:
                action = http.get(f"/v1/async-actions/{action_id}").json()
                if action["status"] in {"DONE", "FAILED"}:
                    break
                time.sleep(0.02)
            total = time.perf_counter() - started
            listed = http.get("/v1/vouchers", params={"limit": 1}).json()["total"]
        peak = memory(pid, "VmHWM")
        cpu = cpu_seconds(pid) - cpu_before
    result = action["result"] or {}
    print(
        f"rows={count:>7}  file={size / 2**20:5.1f} MiB  status={action['operation_status']}  "
        f"imported={result.get('done_count')}  failed={result.get('failed_count')}  "
        f"listed={listed}  upload={answered:5.2f} s  total={total:5.2f} s  "
        f"rate={count / total:6.0f}/s  server_cpu={cpu:5.2f} s  "
        f"server_peak_rss={peak:6.1f} MiB (rss before {rss_before:5.1f} MiB)  "
        f"load_avg={os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs"
    )


def main() -> None:
    """Each N against its own server."""
    counts = [int(arg) for arg in sys.argv[1:]] or [10_000, 100_000]
    for count in counts:
        run(count)


if __name__ == "__main__":
    main()
