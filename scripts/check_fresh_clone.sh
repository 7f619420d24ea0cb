#!/usr/bin/env bash
# Runs the README's Quick start word for word in a fresh clone: a temporary folder holding only
# the clone (no ../shared or anything else beside it), a new virtual environment, the committed
# tree (HEAD). The server block runs on a free port until /health/ready answers, then stops.
#
#   scripts/check_fresh_clone.sh            # the whole README test command (minutes)
#   PYTEST_ADDOPTS="tests/unit -q" scripts/check_fresh_clone.sh   # bounded, e.g. while editing
#
# Set OPENVOUCHER_TEST_POSTGRES_URL to include the PostgreSQL half, as .ci/run does.
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
work="$(mktemp -d)"
trap 'kill -- "-${server:-0}" 2>/dev/null || true; rm -rf "$work"' EXIT
git clone --quiet "$repo" "$work/openvoucher"
cd "$work/openvoucher"
[ -z "$(ls -A "$work" | grep -v '^openvoucher$')" ] || { echo "folder not empty" >&2; exit 1; }
block() { python3 scripts/readme_commands.py "$1"; }

echo "== venv: $(block venv)"
eval "$(block venv)"
[ "$(command -v python)" = "$PWD/.venv/bin/python" ] || { echo "venv not active" >&2; exit 1; }

port="$(python -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
echo "== server (port $port): $(block server)"
OPENVOUCHER_PORT="$port" setsid bash -c "$(block server)" > "$work/serve.log" 2>&1 &
server=$!
for _ in $(seq 1 600); do
  if python -c "import urllib.request as u; u.urlopen('http://127.0.0.1:$port/health/ready', timeout=1)" 2>/dev/null; then
    break
  fi
  kill -0 "$server" 2>/dev/null || { cat "$work/serve.log" >&2; echo "server exited" >&2; exit 1; }
  sleep 0.5
done
python -c "import urllib.request as u; u.urlopen('http://127.0.0.1:$port/health/ready', timeout=1)"
kill -- "-$server"; wait "$server" 2>/dev/null || true
echo "== server answered /health/ready"

echo "== tests: $(block tests)"
eval "$(block tests)"
echo "== fresh clone: README commands passed"
