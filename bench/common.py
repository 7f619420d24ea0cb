"""Shared benchmark helpers: start servers on loopback, drive them with ``wrk``, print tables.

Everything listens on 127.0.0.1 only and every load run is bounded in time. By default each
server is pinned to CPU 0 and ``wrk`` to CPU 1 (``taskset``), so the load generator never
competes with the server it measures; pass ``pin=False`` to let the kernel schedule freely.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
HOST = "127.0.0.1"
SERVER_CPU = "0"
LOAD_CPU = "1"

APP_ID = "bench-app-id"
APP_TOKEN = "bench-app-token-0123456789abcdef"
MANAGEMENT_ID = "bench-management-id"
MANAGEMENT_TOKEN = "bench-management-token-0123456789abcdef"
APP_HEADERS = {"X-App-Id": APP_ID, "X-App-Token": APP_TOKEN}


@dataclass
class Result:
    """One load run's figures."""

    name: str
    rps: float
    p50_ms: float
    p99_ms: float
    requests: int
    errors: int
    rps_min: float = 0.0
    rps_max: float = 0.0
    cpu_us: float = 0.0
    """Server CPU time per request (all its threads, from /proc), when measured."""


@dataclass
class Server:
    """A running server subprocess."""

    name: str
    base_url: str
    process: subprocess.Popen[bytes]
    log_path: Path

    def log_tail(self, lines: int = 30) -> str:
        """The end of the server's combined output, for diagnostics."""
        text = self.log_path.read_text(errors="replace").splitlines()
        return "\n".join(text[-lines:])


def free_port() -> int:
    """A currently free TCP port on loopback."""
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return int(sock.getsockname()[1])


def can_pin() -> bool:
    """Whether ``taskset`` exists and the machine has at least two CPUs."""
    return shutil.which("taskset") is not None and (os.cpu_count() or 1) >= 2


def _pinned(cmd: Sequence[str], cpu: str, pin: bool) -> list[str]:
    return ["taskset", "-c", cpu, *cmd] if pin and can_pin() else list(cmd)


def _wait_ready(
    url: str, headers: dict[str, str], timeout: float, proc: subprocess.Popen[bytes]
) -> None:
    deadline = time.monotonic() + timeout
    request = urllib.request.Request(url, headers=headers)
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"server exited with {proc.returncode} before it was ready")
        try:
            with urllib.request.urlopen(request, timeout=1) as reply:
                if reply.status < 500:
                    return
        except urllib.error.HTTPError as exc:
            if exc.code < 500:
                return
        except OSError:
            pass
        time.sleep(0.1)
    raise RuntimeError(f"{url} not ready after {timeout} s")


@contextmanager
def serve(
    name: str,
    cmd: Sequence[str],
    *,
    port: int,
    ready_path: str,
    env: dict[str, str] | None = None,
    ready_headers: dict[str, str] | None = None,
    pin: bool = True,
    timeout: float = 30.0,
) -> Iterator[Server]:
    """Run ``cmd`` (a server on ``port``) until the block ends; stop it with SIGINT, then kill."""
    log_file = tempfile.NamedTemporaryFile(prefix=f"bench-{name}-", suffix=".log", delete=False)  # noqa: SIM115
    full_env = {**os.environ, **(env or {})}
    proc = subprocess.Popen(
        _pinned(cmd, SERVER_CPU, pin),
        env=full_env,
        stdout=log_file,
        stderr=subprocess.STDOUT,
    )
    server = Server(name, f"http://{HOST}:{port}", proc, Path(log_file.name))
    try:
        try:
            _wait_ready(server.base_url + ready_path, ready_headers or {}, timeout, proc)
        except RuntimeError as exc:
            raise RuntimeError(f"{name}: {exc}\n{server.log_tail()}") from exc
        yield server
    finally:
        _stop(proc)
        log_file.close()


def _stop(proc: subprocess.Popen[bytes]) -> None:
    if proc.poll() is not None:
        return
    proc.send_signal(signal.SIGINT)
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(timeout=10)


# ---------------------------------------------------------------------------------------------
# the load generator


def require_wrk() -> str:
    """The ``wrk`` binary, or exit with a hint."""
    path = shutil.which("wrk")
    if path is None:
        sys.exit("wrk not found: apt-get install -y wrk")
    return path


def _lua_script(
    method: str, body: bytes | None, headers: dict[str, str], paths: Sequence[str] | None = None
) -> str:
    lines = [f'wrk.method = "{method}"']
    for key, value in headers.items():
        lines.append(f'wrk.headers["{key}"] = "{value}"')
    if body is not None:
        lines.append('wrk.headers["Content-Type"] = "application/json"')
        escaped = body.decode().replace("\\", "\\\\").replace('"', '\\"')
        lines.append(f'wrk.body = "{escaped}"')
    if paths:
        # rotate through the given paths, one per request
        quoted = ", ".join(f'"{path}"' for path in paths)
        lines += [
            f"paths = {{{quoted}}}",
            "i = 0",
            "request = function()",
            "  i = i % #paths + 1",
            "  return wrk.format(nil, paths[i])",
            "end",
        ]
    return "\n".join(lines) + "\n"


_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


def _ms(text: str) -> float:
    match = re.fullmatch(r"([\d.]+)(us|ms|s)", text.strip())
    if not match:
        raise ValueError(f"unparsed latency {text!r}")
    return float(match.group(1)) * _UNITS[match.group(2)]


def parse_wrk(name: str, output: str) -> Result:
    """Figures from ``wrk --latency`` output."""
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))  # type: ignore[union-attr]
    total = int(re.search(r"(\d+) requests in", output).group(1))  # type: ignore[union-attr]
    p50 = _ms(re.search(r"^\s+50%\s+(\S+)", output, re.M).group(1))  # type: ignore[union-attr]
    p99 = _ms(re.search(r"^\s+99%\s+(\S+)", output, re.M).group(1))  # type: ignore[union-attr]
    errors = 0
    non2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", output)
    if non2xx:
        errors += int(non2xx.group(1))
    sock = re.search(r"connect (\d+), read (\d+), write (\d+), timeout (\d+)", output)
    if sock:
        errors += sum(int(part) for part in sock.groups())
    return Result(name, rps, p50, p99, total, errors)


def load(
    name: str,
    url: str,
    *,
    duration: float = 5.0,
    connections: int = 32,
    method: str = "GET",
    body: bytes | None = None,
    headers: dict[str, str] | None = None,
    paths: Sequence[str] | None = None,
    pin: bool = True,
) -> Result:
    """Drive ``url`` with one ``wrk`` thread for ``duration`` seconds (loopback only).

    With ``paths``, requests rotate over those paths on ``url``'s host instead of ``url``'s own.
    """
    script = _lua_script(method, body, headers or {}, paths)
    return run_wrk(name, script, url, duration=duration, connections=connections, pin=pin)


def run_wrk(
    name: str, script: str, url: str, *, duration: float, connections: int, pin: bool
) -> Result:
    """One bounded ``wrk`` run (one thread) of the Lua ``script`` against ``url`` (loopback
    only)."""
    if not url.startswith(f"http://{HOST}:"):
        raise ValueError("benchmarks only talk to 127.0.0.1")
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as lua:
        lua.write(script)
    cmd = [
        require_wrk(),
        "-t1",
        f"-c{connections}",
        f"-d{max(1, round(duration))}s",
        "--latency",
        "-s",
        lua.name,
        url,
    ]
    try:
        done = subprocess.run(
            _pinned(cmd, LOAD_CPU, pin),
            capture_output=True,
            text=True,
            check=True,
            timeout=duration + 30,
        )
    finally:
        os.unlink(lua.name)
    return parse_wrk(name, done.stdout)


def warm_up(
    url: str,
    *,
    headers: dict[str, str] | None = None,
    paths: Sequence[str] | None = None,
    pin: bool = True,
) -> None:
    """A short unrecorded run so caches, pools and the thread pool are warm."""
    load("warm-up", url, duration=1, connections=8, headers=headers, paths=paths, pin=pin)


# ---------------------------------------------------------------------------------------------
# openvoucher and its hello baseline


def openvoucher_command() -> list[str]:
    """How to start ``openvoucher serve`` with this interpreter."""
    return [sys.executable, "-c", "from openvoucher.cli.main import main; main()", "serve"]


def openvoucher_env(database_url: str, port: int) -> dict[str, str]:
    """Fixed keys, the database and the port; the relay off unless the benchmark needs it."""
    return {
        "OPENVOUCHER_DATABASE_URL": database_url,
        "OPENVOUCHER_PORT": str(port),
        "OPENVOUCHER_HOST": HOST,
        "OPENVOUCHER_APP_ID": APP_ID,
        "OPENVOUCHER_APP_TOKEN": APP_TOKEN,
        "OPENVOUCHER_MANAGEMENT_ID": MANAGEMENT_ID,
        "OPENVOUCHER_MANAGEMENT_TOKEN": MANAGEMENT_TOKEN,
    }


@contextmanager
def postgres_database(server_url: str) -> Iterator[str]:
    """A fresh database on the PostgreSQL server at ``server_url``, dropped afterwards."""
    import secrets

    import psycopg

    admin = server_url.replace("postgresql+psycopg://", "postgresql://")
    base, _, _old = admin.rpartition("/")
    name = "ov_bench_" + secrets.token_hex(4)
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield f"{base}/{name}"
    finally:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@contextmanager
def openvoucher_server(
    database_url: str | None = None,
    *,
    server: str = "uvicorn",
    env: dict[str, str] | None = None,
    pin: bool = True,
) -> Iterator[Server]:
    """A real openvoucher on a temp SQLite file (or ``database_url``), ``env`` added.

    ``server="uvicorn"`` runs ``openvoucher serve`` itself; ``"granian"`` serves the same app
    (``stack_hello:openvoucher_app``) on Granian, to compare servers under the real app.
    """
    with tempfile.TemporaryDirectory(prefix="openvoucher-bench-") as directory:
        url = database_url or f"sqlite:///{directory}/bench.db"
        port = free_port()
        full_env = {**openvoucher_env(url, port), **(env or {})}
        if server == "uvicorn":
            cmd = openvoucher_command()
        else:
            cmd = hello_command(port, framework="openvoucher", server=server)
            full_env["PYTHONPATH"] = _bench_pythonpath()
        with serve(
            f"openvoucher+{server}",
            cmd,
            port=port,
            ready_path="/health",
            env=full_env,
            pin=pin,
            timeout=60,
        ) as running:
            yield running


def _bench_pythonpath() -> str:
    return os.pathsep.join([str(BENCH_DIR), os.environ.get("PYTHONPATH", "")])


def hello_command(port: int, *, framework: str = "starlette", server: str = "uvicorn") -> list[str]:
    """Serve one of ``stack_hello``'s apps, single process, the way openvoucher serves itself."""
    target = f"stack_hello:{framework}_app"
    if server == "uvicorn":
        # openvoucher's uvicorn.run() defaults: loop/http "auto" → uvloop + httptools
        return [
            sys.executable, "-m", "uvicorn", target, "--host", HOST, "--port", str(port),
            "--log-level", "warning", "--no-access-log",
        ]  # fmt: skip
    return [
        sys.executable, "-m", "granian", "--interface", "asgi", "--host", HOST,
        "--port", str(port), "--workers", "1", "--no-ws", "--log-level", "warning", target,
    ]  # fmt: skip


@contextmanager
def hello_server(
    framework: str = "starlette", server: str = "uvicorn", *, pin: bool = True
) -> Iterator[Server]:
    """The bare JSON hello-world of ``framework`` on ``server``."""
    port = free_port()
    env = {"PYTHONPATH": _bench_pythonpath()}
    with serve(
        f"{framework}+{server}",
        hello_command(port, framework=framework, server=server),
        port=port,
        ready_path="/hello",
        env=env,
        pin=pin,
    ) as running:
        yield running


# ---------------------------------------------------------------------------------------------
# reporting


def print_table(results: Sequence[Result], *, baseline: Result | None = None) -> None:
    """Requests/s, p50 and p99 per run, with the ratio to ``baseline`` when given."""
    header = f"{'case':<50} {'req/s':>9} {'range':>13} {'p50 ms':>8} {'p99 ms':>8} {'errors':>7}"
    header += f" {'CPU µs':>7}"
    if baseline is not None:
        header += f" {'ratio':>6}"
    print(header)
    print("-" * len(header))
    for row in results:
        spread = f"{row.rps_min:.0f}–{row.rps_max:.0f}" if row.rps_max else ""
        line = f"{row.name:<50} {row.rps:>9.0f} {spread:>13} {row.p50_ms:>8.2f} {row.p99_ms:>8.2f}"
        line += f" {row.errors:>7} {row.cpu_us:>7.0f}"
        if baseline is not None:
            line += f" {row.rps / baseline.rps:>6.2f}"
        print(line)


def median_result(name: str, runs: Sequence[Result]) -> Result:
    """The run with the median throughput (latencies from the same run), errors summed."""
    ordered = sorted(runs, key=lambda r: r.rps)
    mid = ordered[len(ordered) // 2]
    errors = sum(r.errors for r in runs)
    low, high = ordered[0].rps, ordered[-1].rps
    cpu = sorted(r.cpu_us for r in runs)[len(runs) // 2]
    return Result(name, mid.rps, mid.p50_ms, mid.p99_ms, mid.requests, errors, low, high, cpu)


def machine_note(*, pin: bool = True) -> str:
    """CPU count, load average and pinning, to print with each run's figures."""
    load1, load5, _ = os.getloadavg()
    where = "server on CPU 0, wrk on CPU 1" if pin and can_pin() else "no pinning"
    return f"{os.cpu_count()} CPUs, load average {load1:.2f}/{load5:.2f} before the run; {where}"


@dataclass
class Target:
    """What to load: a server, the paths to rotate over, and how to call them."""

    name: str
    server: Server
    paths: Sequence[str]
    method: str = "GET"
    body: bytes | None = None
    headers: dict[str, str] | None = None
    script: str | None = None
    """A whole ``wrk`` Lua script (e.g. rotating request bodies) instead of method/body/paths."""

    def run(self, duration: float, connections: int, pin: bool) -> Result:
        """One bounded load run, with the server's CPU time per request."""
        before = process_cpu_seconds(self.server.process.pid)
        url = self.server.base_url + self.paths[0]
        if self.script is not None:
            result = run_wrk(
                self.name, self.script, url, duration=duration, connections=connections, pin=pin
            )
        else:
            result = load(
                self.name,
                url,
                duration=duration,
                connections=connections,
                method=self.method,
                body=self.body,
                headers=self.headers,
                paths=self.paths if len(self.paths) > 1 else None,
                pin=pin,
            )
        spent = process_cpu_seconds(self.server.process.pid) - before
        result.cpu_us = spent / max(result.requests, 1) * 1e6
        return result


def process_cpu_seconds(pid: int) -> float:
    """User + system CPU seconds of process ``pid`` so far, all threads (Linux ``/proc``);
    0 elsewhere."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def side_by_side(
    baseline: Target,
    others: Sequence[Target],
    *,
    rounds: int = 3,
    duration: float = 5.0,
    connections: int = 32,
    pin: bool = True,
) -> list[Result]:
    """Alternate baseline and targets for ``rounds`` rounds; print medians and ratios.

    Alternating spreads any drift in machine load (the machine is shared) over both sides.
    Returns the median results, baseline first.
    """
    runs = interleave(
        [baseline, *others], rounds=rounds, duration=duration, connections=connections, pin=pin
    )
    medians = [median_result(name, found) for name, found in runs.items()]
    print()
    print_table(medians, baseline=medians[0])
    print(f"(median of {rounds} interleaved rounds; ratio = req/s ÷ {baseline.name}; CPU µs =")
    print(" the server's CPU time per request, median of rounds; load average after the run")
    print(f" {'/'.join(f'{n:.2f}' for n in os.getloadavg())})")
    return medians


def interleave(
    targets: Sequence[Target], *, rounds: int, duration: float, connections: int, pin: bool
) -> dict[str, list[Result]]:
    """Warm every target up, then run them in turn (A, B, A, B…) for ``rounds`` rounds; each
    target's runs by name, in round order."""
    for target in targets:
        target.run(1, 8, pin)  # unrecorded: caches, pools and the thread pool get warm
    runs: dict[str, list[Result]] = {target.name: [] for target in targets}
    for round_no in range(rounds):
        for target in targets:
            result = target.run(duration, connections, pin)
            runs[target.name].append(result)
            print(
                f"  round {round_no + 1}/{rounds} {target.name}: {result.rps:.0f} req/s",
                flush=True,
            )
    return runs


@contextmanager
def database(postgres: str | None) -> Iterator[str | None]:
    """None (a temp SQLite file) or a fresh PostgreSQL database."""
    if postgres is None:
        yield None
        return
    with postgres_database(postgres) as url:
        yield url
