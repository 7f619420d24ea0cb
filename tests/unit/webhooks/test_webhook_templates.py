"""Distribution templates: placeholders filled from event data, typed outside strings."""

from __future__ import annotations

import pytest

from openvoucher.webhooks import templates

DATA = {
    "customer": {"name": 'Zoë "Z"', "metadata": {"tier": 2}, "tags": ["a", "b"]},
    "order": {"total_amount": 1999, "paid": True},
}


def test_placeholders_inside_strings_become_text() -> None:
    """Mixed static and dynamic text, with quotes escaped."""
    rendered = templates.render({"msg": "Hi {{customer.name}}, {{ order.total_amount }}"}, DATA)
    assert rendered == {"msg": 'Hi Zoë "Z", 1999'}


def test_placeholders_outside_strings_keep_their_type() -> None:
    """Numbers, booleans, objects and missing values (null) in a text template."""
    text = (
        '{"total": {{order.total_amount}}, "paid": {{order.paid}},'
        ' "m": {{customer.metadata}}, "x": {{no.such}}}'
    )
    assert templates.render(text, DATA) == {
        "total": 1999,
        "paid": True,
        "m": {"tier": 2},
        "x": None,
    }


def test_list_index_and_missing_value_in_string() -> None:
    """Dotted paths reach list items; a missing value is empty text inside a string."""
    assert templates.render(["{{customer.tags.1}}", "[{{customer.nope}}]"], DATA) == ["b", "[]"]


def test_escaped_quotes_do_not_confuse_string_tracking() -> None:
    """An escaped quote before a placeholder keeps it inside the string."""
    assert templates.render('{"a": "x\\" {{order.total_amount}}"}', DATA) == {"a": 'x" 1999'}


def test_invalid_template_is_rejected() -> None:
    """A template that is not JSON fails the check."""
    with pytest.raises(templates.TemplateError):
        templates.check('{"a": }')
    templates.check('{"a": {{order.total_amount}}}')
