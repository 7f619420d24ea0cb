"""Helpers for the export tests: wait for an export and read its CSV."""

from __future__ import annotations

import csv
import io
import time
from typing import Any

import httpx


def finished(http: httpx.Client, export_id: str, timeout: float = 30) -> dict[str, Any]:
    """Poll ``GET /v1/exports/{id}`` until the export is DONE or ERROR."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        body: dict[str, Any] = http.get(f"/v1/exports/{export_id}").json()
        if body["status"] in {"DONE", "ERROR"}:
            return body
        time.sleep(0.05)
    raise AssertionError(f"export {export_id} did not finish")


def exported_rows(http: httpx.Client, reply: httpx.Response) -> list[list[str]]:
    """The CSV rows (header first) of the export ``reply`` scheduled, once it is done."""
    assert reply.status_code == 200, reply.text
    done = finished(http, reply.json()["id"])
    assert done["status"] == "DONE", done
    download = http.get(done["result"]["url"])
    assert download.status_code == 200, download.text
    assert download.headers["content-type"].startswith("text/csv")
    return list(csv.reader(io.StringIO(download.text)))


def export_rows(http: httpx.Client, exported_object: str, **parameters: Any) -> list[list[str]]:
    """``POST /v1/exports`` of ``exported_object`` with ``parameters``; its CSV rows."""
    body = {"exported_object": exported_object, "parameters": parameters}
    return exported_rows(http, http.post("/v1/exports", json=body))
