"""Voucher export: ``POST /v1/exports`` of N vouchers, end to end, and the server's memory.

Starts a real ``openvoucher serve`` on loopback (SQLite, or ``--postgres`` URL), imports N
vouchers with ``POST /v1/vouchers/importCSV``, notes the server's RSS and peak RSS (VmHWM),
then exports every voucher with 8 columns (``metadata`` included), polls the export until
DONE and downloads the file. Prints the export time, the server CPU it took, the file size,
the download time and the peak RSS after the export next to the peak before it: with rows
streamed a page at a time, the export should not raise the peak with N.

    python bench/bench_export.py                 # N = 10000 and 100000
    python bench/bench_export.py 50000 --postgres postgresql://postgres@127.0.0.1:5432/postgres
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from pathlib import Path

import httpx
from bench_import_csv import cpu_seconds, memory, write_csv
from common import APP_HEADERS, database, openvoucher_server

FIELDS = ["code", "voucher_type", "value", "discount_type", "expiration_date"]
FIELDS += ["redemption_quantity", "created_at", "metadata"]


def wait(http: httpx.Client, path: str, done: set[str]) -> dict[str, object]:
    """Poll ``path`` until its ``status`` is in ``done``."""
    while True:
        body: dict[str, object] = http.get(path).json()
        if body["status"] in done:
            return body
        time.sleep(0.02)


def run(count: int, postgres: str | None) -> None:
    """Import ``count`` vouchers into a fresh server, export them, print the figures."""
    with (
        tempfile.TemporaryDirectory() as directory,
        database(postgres) as url,
        openvoucher_server(url, pin=False) as server,
        httpx.Client(base_url=server.base_url, headers=APP_HEADERS, timeout=600) as http,
    ):
        path = Path(directory) / "vouchers.csv"
        write_csv(path, count)
        with path.open("rb") as upload:
            staged = http.post("/v1/vouchers/importCSV", files={"file": ("v.csv", upload)})
        wait(http, f"/v1/async-actions/{staged.json()['async_action_id']}", {"DONE", "FAILED"})
        pid = server.process.pid
        rss, peak_before, cpu_before = memory(pid, "VmRSS"), memory(pid, "VmHWM"), cpu_seconds(pid)
        started = time.perf_counter()
        body = {"exported_object": "voucher", "parameters": {"fields": FIELDS}}
        scheduled = http.post("/v1/exports", json=body).json()
        done = wait(http, f"/v1/exports/{scheduled['id']}", {"DONE", "ERROR"})
        took = time.perf_counter() - started
        cpu = cpu_seconds(pid) - cpu_before
        peak = memory(pid, "VmHWM")
        started = time.perf_counter()
        size = lines = 0
        with http.stream("GET", str(done["result"]["url"])) as download:  # type: ignore[index]
            for chunk in download.iter_bytes():
                size += len(chunk)
                lines += chunk.count(b"\n")
        fetched = time.perf_counter() - started
    print(
        f"db={'postgresql' if postgres else 'sqlite'}  rows={count:>7}  lines={lines:>7}  "
        f"file={size / 2**20:5.1f} MiB  export={took:6.2f} s  ({count / took:6.0f} rows/s)  "
        f"export_server_cpu={cpu:6.2f} s  download={fetched:5.2f} s  "
        f"peak_rss before={peak_before:6.1f} MiB after={peak:6.1f} MiB (rss {rss:6.1f})  "
        f"load_avg={os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs"
    )


def main() -> None:
    """Each N against its own server."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("counts", nargs="*", type=int, default=[10_000, 100_000])
    parser.add_argument("--postgres", metavar="URL", help="PostgreSQL server (default SQLite)")
    args = parser.parse_args()
    for count in args.counts:
        run(count, args.postgres)


if __name__ == "__main__":
    main()
