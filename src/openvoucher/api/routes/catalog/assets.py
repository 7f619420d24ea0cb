"""``/v1/assets/{qr|barcode}/{voucher_id}.png``: public PNG images of a voucher's code.

No keys: the voucher id is random and unguessable, so the link itself is the credential,
like Voucherify's public asset URLs (see ``presenters/assets.py``).
"""

from __future__ import annotations

from collections.abc import Callable

from starlette.responses import Response

from openvoucher.adapters.images import UnencodableCode, barcode_png, qr_png
from openvoucher.api.routing import ApiRequest, Routes
from openvoucher.catalog import assets
from openvoucher.kernel.errors import VoucherifyError

routes = Routes()

CACHE_CONTROL = "public, max-age=86400"
"""A voucher's code never changes, so its images can be cached."""


def _image(request: ApiRequest, render: Callable[[str], bytes]) -> Response:
    code = assets.voucher_code(request.uow, request.path["voucher_id"])
    try:
        png = render(code)
    except UnencodableCode as exc:
        raise VoucherifyError("Cannot render asset", str(exc), key="invalid_code") from exc
    return Response(
        png,
        media_type="image/png",
        headers={"cache-control": CACHE_CONTROL, "x-request-id": request.request_id},
    )


@routes.get("/v1/assets/qr/{voucher_id}.png", auth="none")
def voucher_qr(request: ApiRequest) -> Response:
    """The voucher's code as a QR code."""
    return _image(request, qr_png)


@routes.get("/v1/assets/barcode/{voucher_id}.png", auth="none")
def voucher_barcode(request: ApiRequest) -> Response:
    """The voucher's code as a Code 128 barcode."""
    return _image(request, barcode_png)
