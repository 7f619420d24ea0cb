"""Input limits at the edge (docs/compat/limits.md, docs/adr/0025-input-limits.md).

Every request passes the same checks on both databases before a handler runs, so nothing a
database cannot store (NUL, integers beyond 64 bits, non-finite numbers) and nothing a reader
cannot render (nesting beyond :data:`MAX_DEPTH`) is ever written. Each refusal is a 400
``invalid_payload`` naming the field.

The common request costs a few byte counts and searches: the precise walk (which names the
field) runs only when one of them finds something that might break a limit.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping
from typing import Any

import msgspec
from starlette.datastructures import FormData

from openvoucher.kernel.errors import InvalidPayload

MAX_DEPTH = 32
"""Nesting of objects and arrays in a JSON body (Voucherify's own objects need fewer than 8)."""
MAX_STRING = 32_768
"""Characters in one string value of a JSON body."""
MAX_KEY = 256
"""Characters in one object key (a metadata key, a field name)."""
MAX_OBJECT_KEYS = 256
"""Keys of one object, ``metadata`` included."""
MAX_ARRAY = 1_000
"""Elements of one array nested in a body (in metadata, in an item …). The body itself and its
first-level fields (bulk ``codes``, import rows) are bounded by their schemas and the body size."""
MAX_PARAM = 2_048
"""Characters of one query or path parameter."""
MAX_HEADER = 8_192
"""Bytes of one header value."""
MAX_HEADERS = 32_768
"""Bytes of all header names and values together."""
INT_MIN, INT_MAX = -(2**63), 2**63 - 1
"""Integers are stored as 64-bit (PostgreSQL ``bigint``)."""

_STRING = re.compile(rb'"(?:[^"\\]|\\.)*"(\s*:)?|[\[\]{}]', re.S)
_NUMBERS = bytes.maketrans(b"123456789E-", b"000000000e+")
"""Digits to ``0``, ``E`` to ``e``, ``-`` to ``+``: 19 digits in a row (beyond 64 bits?) or a
3-digit exponent (beyond a double?) become a few fixed byte strings, found at C speed."""
_LONG_INT = b"0" * 19
_RUN = re.compile(rb'[^"]{%d}' % MAX_KEY)
_LONG = re.compile(rb'"(?:[^"\\]|\\.){%d}' % MAX_KEY, re.S)


def _refuse(field: str, why: str) -> InvalidPayload:
    return InvalidPayload("Invalid payload", f"'{field}' {why}")


def check_body(raw: bytes) -> None:
    """Refuse a JSON body beyond the limits; other bodies (CSV, empty) pass."""
    stripped = raw.lstrip()
    if not stripped or stripped[:1] not in (b"{", b"["):
        return
    if raw.count(b"{") + raw.count(b"[") > MAX_DEPTH:
        _check_depth(raw)
    if _suspect(raw):
        try:
            value = msgspec.json.decode(raw)
        except msgspec.DecodeError:
            return  # malformed: the handler's decoding says so
        check_value(value, "")


def _suspect(raw: bytes) -> bool:
    """Whether the body may break a limit other than depth (cheap, errs on the safe side)."""
    if b"\\u0000" in raw:
        return True
    numbers = raw.translate(_NUMBERS)
    if _LONG_INT in numbers or b"0e000" in numbers or b"0e+000" in numbers:
        return True
    return len(raw) > MAX_KEY and (
        raw.count(b",") >= MAX_ARRAY
        or raw.count(b":") > MAX_OBJECT_KEYS
        or len(raw) > MAX_STRING
        or _long_run(raw)
    )


def _long_run(raw: bytes) -> bool:
    """Whether a string may be MAX_KEY characters or longer: a run that long between two
    quotes (escaped quotes, rare, take the exact search)."""
    if b'\\"' in raw:
        return _LONG.search(raw) is not None
    return _RUN.search(raw) is not None


def _check_depth(raw: bytes, field: str = "") -> None:
    """Refuse nesting beyond MAX_DEPTH, naming where, without recursion (any depth)."""
    path: list[str] = [field] if field else []
    for token in _STRING.finditer(raw):
        text = token.group(0)
        if text in (b"{", b"["):
            path.append("[]" if text == b"[" else "")
            if len(path) > MAX_DEPTH + bool(field):
                raise _refuse(_dotted(path), f"is nested deeper than {MAX_DEPTH} levels")
        elif text in (b"}", b"]"):
            if path:
                path.pop()
        elif token.group(1) and path:
            path[-1] = _key_name(text)


def _key_name(token: bytes) -> str:
    end = token.rindex(b'"')
    try:
        return str(msgspec.json.decode(token[: end + 1]))[:MAX_KEY]
    except msgspec.DecodeError:
        return "?"


def _dotted(path: Iterable[str]) -> str:
    out = ""
    for part in path:
        if part == "[]":
            out += "[]"
        elif part:
            out += f".{part}" if out else part
    return out or "body"


def check_value(value: Any, field: str, *, depth: int = 0) -> None:
    """Refuse a decoded value beyond the limits (depth already bounded by the caller)."""
    if isinstance(value, str):
        _check_string(value, field or "body")
    elif isinstance(value, dict):
        _check_object(value, field, depth)
    elif isinstance(value, list):
        if len(value) > MAX_ARRAY and depth >= 2:
            raise _refuse(field or "body", f"has more than {MAX_ARRAY} elements")
        for item in value:
            check_value(item, f"{field}[]", depth=depth + 1)
    elif isinstance(value, int) and not isinstance(value, bool):
        if not INT_MIN <= value <= INT_MAX:
            raise _refuse(field or "body", "is beyond the 64-bit integer range")
    elif isinstance(value, float) and not math.isfinite(value):
        raise _refuse(field or "body", "must be a finite number")


def _check_object(value: dict[Any, Any], field: str, depth: int) -> None:
    if len(value) > MAX_OBJECT_KEYS:
        raise _refuse(field or "body", f"has more than {MAX_OBJECT_KEYS} keys")
    for key, item in value.items():
        name = f"{field}.{key}" if field else str(key)
        if "\x00" in key:
            raise _refuse(name.replace("\x00", "\\u0000"), "has a NUL character in its key")
        if len(key) > MAX_KEY:
            raise _refuse(f"{field}.{key[:32]}…", f"has a key longer than {MAX_KEY} characters")
        check_value(item, name, depth=depth + 1)


def _check_string(value: str, field: str) -> None:
    if "\x00" in value:
        raise _refuse(field, "must not contain NUL (\\u0000) characters")
    if len(value) > MAX_STRING:
        raise _refuse(field, f"is longer than {MAX_STRING} characters")


def check_params(path: Mapping[str, str], query: Iterable[tuple[str, str]]) -> None:
    """Refuse path and query parameters a database cannot store or that are too long."""
    for name, value in path.items():
        _check_param(name, value)
    for name, value in query:
        _check_param(name, name)
        _check_param(name, value)
        if value[:1] in ("[", "{") and value.count("[") + value.count("{") > MAX_DEPTH:
            _check_depth(value.encode(), name[:64])


def _check_param(name: str, value: str) -> None:
    if "\x00" in value:
        raise _refuse(name.replace("\x00", "\\u0000"), "must not contain NUL (\\u0000) characters")
    if len(value) > MAX_PARAM:
        raise _refuse(name[:64], f"is longer than {MAX_PARAM} characters")


async def check_form(form: FormData) -> None:
    """Refuse a multipart form whose fields or files (CSV imports) hold NUL characters."""
    for name, value in form.multi_items():
        if isinstance(value, str):
            _check_param(name, value)
            continue
        data = await value.read()
        await value.seek(0)
        if b"\x00" in data:
            raise _refuse(name, "must not contain NUL (\\u0000) characters")


def check_headers(raw: Iterable[tuple[bytes, bytes]]) -> None:
    """Refuse a header value over MAX_HEADER bytes or headers over MAX_HEADERS in all."""
    total = 0
    for name, value in raw:
        total += len(name) + len(value)
        if len(value) > MAX_HEADER:
            raise _refuse(name.decode("latin-1"), f"header is longer than {MAX_HEADER} bytes")
    if total > MAX_HEADERS:
        raise _refuse("headers", f"are longer than {MAX_HEADERS} bytes in all")
