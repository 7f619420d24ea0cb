"""openvoucher: a self-hosted engine that speaks the Voucherify v1 API."""

__version__ = "0.1.0"
