"""Distribution payload templates: JSON text with ``{{path.to.value}}`` placeholders.

A placeholder inside a JSON string is replaced by the value's text (``"Hi {{customer.name}}"``);
outside a string it is replaced by the value as JSON (``"total": {{order.amount}}``), so
numbers, booleans and objects keep their type. A missing value is ``null`` outside strings and
the empty string inside them. Object templates are taken as their JSON text, so their
placeholders always yield strings, as the Voucherify payload designer does with quoted values.
"""

from __future__ import annotations

import re
from typing import Any

import orjson

_PLACEHOLDER = re.compile(r"\{\{\s*([A-Za-z0-9_.\-]+)\s*\}\}")


class TemplateError(ValueError):
    """The template is not JSON once its placeholders are filled."""


def lookup(data: Any, path: str) -> Any:
    """The value at a dotted ``path`` in ``data`` (list items by index), or None."""
    current = data
    for part in path.split("."):
        if isinstance(current, dict):
            current = current.get(part)
        elif isinstance(current, list) and part.isdigit() and int(part) < len(current):
            current = current[int(part)]
        else:
            return None
    return current


def _as_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    return orjson.dumps(value).decode()


def _in_string(text: str, start: int, end: int, quoted: bool) -> bool:
    """Whether the JSON text between ``start`` and ``end`` leaves a string open."""
    escaped = False
    for char in text[start:end]:
        if escaped:
            escaped = False
        elif char == "\\" and quoted:
            escaped = True
        elif char == '"':
            quoted = not quoted
    return quoted


def fill(template: str, data: Any) -> str:
    """The template text with every placeholder replaced, as described above."""
    out: list[str] = []
    position, quoted = 0, False
    for match in _PLACEHOLDER.finditer(template):
        quoted = _in_string(template, position, match.start(), quoted)
        out.append(template[position : match.start()])
        value = lookup(data, match.group(1))
        if quoted:
            out.append(orjson.dumps(_as_text(value)).decode()[1:-1])
        else:
            out.append(orjson.dumps(value).decode())
        position = match.end()
    out.append(template[position:])
    return "".join(out)


def template_text(template: Any) -> str:
    """A template given as a JSON string is used as is; any other JSON value as its text."""
    return template if isinstance(template, str) else orjson.dumps(template).decode()


def render(template: Any, data: Any) -> Any:
    """The JSON value the template produces for ``data``."""
    try:
        return orjson.loads(fill(template_text(template), data))
    except orjson.JSONDecodeError as exc:
        raise TemplateError(f"the payload template is not valid JSON: {exc}") from exc


def check(template: Any) -> None:
    """Raise :class:`TemplateError` unless the template yields JSON for any data."""
    render(template, {})
