"""The ``filters[…]`` query of list endpoints, checked against a resource's whitelist."""

from __future__ import annotations

from collections.abc import Mapping

from starlette.datastructures import QueryParams

from openvoucher.adapters.db.filters import FieldRef, kinds
from openvoucher.api.params import invalid_query
from openvoucher.kernel.filters import FilterError, Filters, parse


def filters_param(query: QueryParams, fields: Mapping[str, FieldRef]) -> Filters:
    """The parsed ``filters``; an unknown field, operator or bad value is 400
    ``invalid_query_params``."""
    try:
        return parse(query.multi_items(), kinds(fields))
    except FilterError as error:
        raise invalid_query(str(error)) from None
