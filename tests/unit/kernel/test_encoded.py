"""Memoised encoded bodies hold their own size, not orjson's output buffer."""

from __future__ import annotations

import tracemalloc

import orjson

from openvoucher.kernel.encoded import encoded


def test_encoded_body_is_exact_and_small() -> None:
    """An encoded 1 KiB body is orjson's text in about 1 KiB of memory (orjson's own output
    keeps a ~16 KiB buffer; 2 048 memoised renders would hold ~32 MiB)."""
    value = {"code": "SOAK-1", "metadata": {"tag": "x" * 1000}, "n": list(range(20))}
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        kept = [encoded(value) for _ in range(100)]
        used = tracemalloc.get_traced_memory()[0] - before
    finally:
        tracemalloc.stop()
    text = orjson.dumps(value)
    assert all(body.body == text for body in kept)
    assert used < 100 * (len(text) + 256)
