"""Form input to API-shaped payloads, validated by the API's own request schemas, so a form
accepts exactly what the matching endpoint accepts."""

from __future__ import annotations

from typing import Any, TypeVar

import msgspec

T = TypeVar("T")


class FormError(ValueError):
    """Input a form cannot take; ``errors`` maps field names to messages."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("; ".join(errors.values()))
        self.errors = errors


def as_schema(kind: type[T], data: dict[str, Any]) -> T:
    """``data`` checked against the API schema ``kind``; a mismatch names the field."""
    try:
        return msgspec.convert(data, type=kind)
    except msgspec.ValidationError as exc:
        text = str(exc)
        path = text.rpartition("at `$.")[2].rstrip("`").split(".")[-1].split("[")[0]
        raise FormError({path or "_form": text.replace("$.", "")}) from exc


def whole_number(value: str, name: str, *, required: bool = True, low: int | None = None) -> int:
    """An integer field (money in cents, points, counts)."""
    if not value:
        if required:
            raise FormError({name: "Enter a whole number."})
        return 0
    text = value.replace(",", "").replace("_", "")
    if not text.lstrip("-").isdigit():
        raise FormError({name: f"'{value}' is not a whole number."})
    number = int(text)
    if low is not None and number < low:
        raise FormError({name: f"Must be at least {low}."})
    return number


def money_cents(value: str, name: str, *, required: bool = True) -> int:
    """An amount typed as ``12.50`` or ``12`` in cents (Voucherify's integer hundredths)."""
    if not value and not required:
        return 0
    text = value.replace(",", "").strip()
    whole, _, frac = text.partition(".")
    sign = -1 if whole.startswith("-") else 1
    whole = whole.lstrip("-")
    if (
        not (whole.isdigit() or (not whole and frac))
        or (frac and not frac.isdigit())
        or len(frac) > 2
    ):
        raise FormError({name: f"'{value}' is not an amount (e.g. 25 or 25.50)."})
    return sign * (int(whole or "0") * 100 + int(frac.ljust(2, "0") or "0"))


def required_text(value: str, name: str, label: str) -> str:
    """A text field that must not be empty."""
    if not value:
        raise FormError({name: f"{label} is required."})
    return value
