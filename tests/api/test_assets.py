"""Public QR and barcode PNGs of a voucher's code, at the URLs vouchers advertise."""

from __future__ import annotations

import io
from datetime import UTC, datetime

import httpx
import pytest
import segno
from PIL import Image
from sqlalchemy import insert

from openvoucher.adapters.db.schema.catalog import vouchers
from openvoucher.adapters.images import BAR_PIXELS, QR_BORDER, QR_SCALE, barcode_modules
from openvoucher.catalog.presenters.assets import voucher_assets
from openvoucher.kernel.ids import new_id
from tests.support.server import Project, RunningServer


def _insert_voucher(server: RunningServer, project: Project, code: str) -> str:
    voucher_id = new_id("voucher")
    row = {
        "id": voucher_id,
        "project_id": project.id,
        "code": code,
        "type": "DISCOUNT_VOUCHER",
        "active": True,
        "redeemed_quantity": 0,
        "publish_count": 0,
        "attrs": {},
        "created_at": datetime.now(UTC),
    }
    with server.container.engine.begin() as conn:
        conn.execute(insert(vouchers).values(**row))
    return voucher_id


def _png(response: httpx.Response) -> Image.Image:
    assert response.status_code == 200
    assert response.headers["content-type"] == "image/png"
    assert response.content.startswith(b"\x89PNG\r\n\x1a\n")
    image = Image.open(io.BytesIO(response.content))
    assert image.format == "PNG"
    return image


def _qr_modules(image: Image.Image) -> list[list[bool]]:
    """Read the module grid back: True where the module's centre pixel is dark."""
    gray = image.convert("L")
    count = gray.width // QR_SCALE - 2 * QR_BORDER
    centre = QR_SCALE // 2
    return [
        [
            gray.getpixel(
                ((QR_BORDER + x) * QR_SCALE + centre, (QR_BORDER + y) * QR_SCALE + centre)
            )
            < 128
            for x in range(count)
        ]
        for y in range(count)
    ]


def _bar_pattern(image: Image.Image) -> str:
    """Scan a row through the bars and turn pixel runs back into ``1``/``0`` modules."""
    gray = image.convert("L")
    y = gray.height // 4
    bits = "".join("1" if gray.getpixel((x, y)) < 128 else "0" for x in range(gray.width))
    inner = bits.strip("0")
    modules = []
    index = 0
    while index < len(inner):
        run = len(inner[index:]) - len(inner[index:].lstrip(inner[index]))
        assert run % BAR_PIXELS == 0, "bars must be whole modules wide"
        modules.append(inner[index] * (run // BAR_PIXELS))
        index += run
    return "".join(modules)


@pytest.mark.parametrize("code", ["WELCOME-10", "gift_ÄÖ-2024", "x" * 120])
def test_qr_png_encodes_the_code(server: RunningServer, project: Project, code: str) -> None:
    """The QR link is a square PNG whose module grid is the QR symbol of the voucher's code."""
    voucher_id = _insert_voucher(server, project, code)
    url = voucher_assets(server.base_url, voucher_id)["qr"]["url"]
    response = httpx.get(url)
    image = _png(response)
    assert image.width == image.height
    assert response.headers["cache-control"].startswith("public")
    expected = segno.make_qr(code, error="m", boost_error=False)
    assert image.width == (len(expected.matrix) + 2 * QR_BORDER) * QR_SCALE
    assert _qr_modules(image) == [[bool(v) for v in row] for row in expected.matrix]


@pytest.mark.parametrize("code", ["WELCOME-10", "ab CD 12 \t~", "9" * 40])
def test_barcode_png_draws_code128(server: RunningServer, project: Project, code: str) -> None:
    """The barcode link is a PNG whose bars are the Code 128 pattern of the voucher's code."""
    voucher_id = _insert_voucher(server, project, code)
    url = voucher_assets(server.base_url, voucher_id)["barcode"]["url"]
    image = _png(httpx.get(url))
    assert image.width > image.height
    pattern = _bar_pattern(image)
    assert pattern == barcode_modules(code)
    assert pattern.endswith("1100011101011")  # the Code 128 stop pattern


def test_assets_need_no_keys_and_serve_any_project(server: RunningServer, project: Project) -> None:
    """Asset links work without API keys: the voucher id is the token."""
    voucher_id = _insert_voucher(server, project, "OPEN-1")
    with httpx.Client(base_url=server.base_url) as anonymous:
        assert anonymous.get(f"/v1/assets/qr/{voucher_id}.png").status_code == 200
        assert anonymous.get(f"/v1/assets/barcode/{voucher_id}.png").status_code == 200


@pytest.mark.parametrize("kind", ["qr", "barcode"])
def test_unknown_voucher_is_404(server: RunningServer, kind: str) -> None:
    """An unknown voucher id is a 404 JSON error, not an image."""
    response = httpx.get(f"{server.base_url}/v1/assets/{kind}/v_doesnotexist.png")
    assert response.status_code == 404
    body = response.json()
    assert (body["code"], body["key"], body["resource_type"]) == (404, "not_found", "voucher")
    assert body["resource_id"] == "v_doesnotexist"
    assert body["request_id"].startswith("v-")


def test_wrong_suffix_is_404(server: RunningServer, project: Project) -> None:
    """Only ``.png`` links exist."""
    voucher_id = _insert_voucher(server, project, "SUFFIX-1")
    response = httpx.get(f"{server.base_url}/v1/assets/qr/{voucher_id}.jpg")
    assert response.status_code == 404
    assert response.json()["key"] == "not_found"


def test_code_outside_code128_is_400(server: RunningServer, project: Project) -> None:
    """A code Code 128 cannot carry gives a clear 400 for the barcode; its QR still works."""
    voucher_id = _insert_voucher(server, project, "日本-1")
    barcode = httpx.get(f"{server.base_url}/v1/assets/barcode/{voucher_id}.png")
    assert barcode.status_code == 400
    assert barcode.json()["key"] == "invalid_code"
    assert "Code 128" in barcode.json()["details"]
    _png(httpx.get(f"{server.base_url}/v1/assets/qr/{voucher_id}.png"))
