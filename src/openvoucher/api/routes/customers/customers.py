"""``/v1/customers``."""

from __future__ import annotations

from typing import Any

from openvoucher.api.filters import filters_param
from openvoucher.api.lists import page_listing
from openvoucher.api.null_policy import without_nulls
from openvoucher.api.params import choice_param, date_param, int_param, page_params
from openvoucher.api.routing import ApiRequest, Routes
from openvoucher.api.schemas.customers import CustomerCreate, CustomerUpdate, given
from openvoucher.customers import customer_deletion, customers
from openvoucher.customers.presenters.customers import customer
from openvoucher.customers.repositories.activity import ActivityQuery
from openvoucher.customers.repositories.customers import FILTER_FIELDS, CustomerFilter
from openvoucher.kernel.clock import iso

routes = Routes()

ORDERS = {"created_at", "-created_at", "updated_at", "-updated_at", "source_id", "-source_id"}


@routes.post("/v1/customers")
def create_customer(request: ApiRequest) -> dict[str, Any]:
    """Create a customer, or update the one with the same source_id."""
    fields = given(request.json(CustomerCreate))
    fields.pop("id", None)
    return customer(customers.create(request.uow, request.project_id, fields))


@routes.get("/v1/customers/{customerId}")
def get_customer(request: ApiRequest) -> dict[str, Any]:
    """By id or source_id."""
    return customer(customers.get(request.uow, request.project_id, request.path["customerId"]))


@routes.hot("/v1/customers/{customerId}")
def get_customer_hot(request: ApiRequest) -> dict[str, Any] | None:
    """By id or source_id, on the event loop when the database allows (SQLite)."""
    row = customers.get_hot(request.uow, request.project_id, request.path["customerId"])
    return None if row is None else customer(row)


@routes.put("/v1/customers/{customerId}")
def update_customer(request: ApiRequest) -> dict[str, Any]:
    """Change the given fields."""
    fields = without_nulls(given(request.json(CustomerUpdate)))
    row = customers.update(request.uow, request.project_id, request.path["customerId"], fields)
    return customer(row)


@routes.delete("/v1/customers/{customerId}", status=204)
def delete_customer(request: ApiRequest) -> None:
    """Remove a customer."""
    customers.delete(request.uow, request.project_id, request.path["customerId"])


@routes.get("/v1/customers")
def list_customers(request: ApiRequest) -> dict[str, Any]:
    """A page of customers, filterable by email, name, city, dates, ``segment_id`` and
    ``filters[…]``;
    ``starting_after`` (a date) continues after the last customer of a page."""
    q = request.query
    page = page_params(q, max_page=99)
    order = choice_param(q, "order", ORDERS, "-created_at")
    filters = CustomerFilter(
        email=q.get("email") or None,
        name=q.get("name") or None,
        city=q.get("city") or None,
        created_before=date_param(q, "created_at[before]"),
        created_after=date_param(q, "created_at[after]"),
        updated_before=date_param(q, "updated_at[before]"),
        updated_after=date_param(q, "updated_at[after]"),
        filters=filters_param(q, FILTER_FIELDS),
        starting_after=date_param(q, "starting_after"),
        ascending=order == "created_at",
    )
    rows, total = customers.list_customers(
        request.uow,
        request.project_id,
        filters,
        order=order,
        limit=page.limit,
        offset=page.offset,
        segment_id=q.get("segment_id") or None,
    )
    return page_listing([customer(row) for row in rows], total, page, "customers")


@routes.get("/v1/customers/{customerId}/activity")
def customer_activity(request: ApiRequest) -> dict[str, Any]:
    """The customer's ``customer.*`` events (publications, redemptions, orders, loyalty …)."""
    q = request.query
    query = ActivityQuery(
        customer_id="",
        limit=int_param(q, "limit", 10, low=1, high=100),
        newest_first=choice_param(q, "order", {"created_at", "-created_at"}, "-created_at")
        == "-created_at",
        start_date=date_param(q, "start_date"),
        end_date=date_param(q, "end_date"),
        type=q.get("type") or None,
    )
    rows, more = customers.activity(
        request.uow,
        request.project_id,
        request.path["customerId"],
        query,
        q.get("starting_after_id") or None,
    )
    data = [
        {
            "id": row["id"],
            "type": row["type"],
            "data": row["data"],
            "created_at": iso(row["created_at"]),
            "group_id": row["group_id"],
        }
        for row in rows
    ]
    body: dict[str, Any] = {"object": "list", "data_ref": "data", "data": data, "has_more": more}
    if more:
        body["more_starting_after"] = data[-1]["id"]
    return body


@routes.post("/v1/customers/{customerId}/permanent-deletion")
def delete_permanently(request: ApiRequest) -> dict[str, Any]:
    """Forget a customer: the customer with their events and orders."""
    ident = request.path["customerId"]
    return customer_deletion.delete_permanently(request.uow, request.project_id, ident)
