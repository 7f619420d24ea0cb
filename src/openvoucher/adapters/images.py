"""PNG images of voucher codes: a QR code (segno) and a Code 128 barcode.

python-barcode encodes Code 128 (character sets, checksum); Pillow draws the bars on a whole
pixel grid so every module has the same width and scanners read it reliably. Rendering is
deterministic, so results are cached per code.
"""

from __future__ import annotations

import io
from functools import lru_cache
from pathlib import Path

import barcode
import segno
from barcode import Code128
from barcode.errors import BarcodeError
from PIL import Image, ImageDraw, ImageFont

QR_SCALE = 8
"""Pixels per QR module."""
QR_BORDER = 4
"""Quiet zone around the QR code, in modules (the standard's minimum)."""
BAR_PIXELS = 3
"""Pixels per Code 128 module."""
BAR_QUIET_MODULES = 10
"""Quiet zone left and right of the bars, in modules (the standard's minimum)."""
BAR_HEIGHT = 120
TEXT_SIZE = 24
TEXT_GAP = 8
CACHE_SIZE = 4096
FONT_PATH = Path(barcode.__file__).parent / "fonts" / "DejaVuSansMono.ttf"

Font = ImageFont.FreeTypeFont | ImageFont.ImageFont


class UnencodableCode(ValueError):
    """The code holds characters the image format cannot carry."""


def _require_text(code: str) -> None:
    if not code:
        raise UnencodableCode("An empty code cannot be drawn")


@lru_cache(maxsize=CACHE_SIZE)
def qr_png(code: str) -> bytes:
    """A QR code (error correction M, UTF-8 where needed) holding ``code``, as PNG bytes."""
    _require_text(code)
    out = io.BytesIO()
    try:
        symbol = segno.make_qr(code, error="m", boost_error=False)
    except segno.DataOverflowError as exc:
        raise UnencodableCode(f"The code is too long for a QR code: {exc}") from exc
    symbol.save(out, kind="png", scale=QR_SCALE, border=QR_BORDER)
    return out.getvalue()


def barcode_modules(code: str) -> str:
    """The Code 128 bar pattern of ``code`` (``1`` bar, ``0`` space), one char per module."""
    _require_text(code)
    try:
        return str(Code128(code).build()[0])
    except BarcodeError as exc:
        raise UnencodableCode(f"The code cannot be drawn as a Code 128 barcode: {exc}") from exc


@lru_cache(maxsize=1)
def _font() -> Font:
    if FONT_PATH.exists():
        return ImageFont.truetype(str(FONT_PATH), TEXT_SIZE)
    return ImageFont.load_default(size=TEXT_SIZE)


@lru_cache(maxsize=CACHE_SIZE)
def barcode_png(code: str) -> bytes:
    """A Code 128 barcode of ``code`` with the code printed beneath, as PNG bytes."""
    pattern = barcode_modules(code)
    font = _font()
    label = code if code.isprintable() else code.encode("unicode_escape").decode("ascii")
    text_width = int(font.getlength(label)) + 2 * BAR_QUIET_MODULES * BAR_PIXELS
    bars_width = (len(pattern) + 2 * BAR_QUIET_MODULES) * BAR_PIXELS
    width = max(bars_width, text_width)
    height = BAR_HEIGHT + TEXT_GAP + TEXT_SIZE + TEXT_GAP
    image = Image.new("L", (width, height), 255)
    draw = ImageDraw.Draw(image)
    left = (width - len(pattern) * BAR_PIXELS) // 2
    for index, module in enumerate(pattern):
        if module == "1":
            x = left + index * BAR_PIXELS
            draw.rectangle((x, 0, x + BAR_PIXELS - 1, BAR_HEIGHT - 1), fill=0)
    draw.text((width // 2, BAR_HEIGHT + TEXT_GAP), label, fill=0, font=font, anchor="ma")
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()
