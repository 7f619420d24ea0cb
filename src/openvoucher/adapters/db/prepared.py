"""Hot statements: built once at import, executed many times with bound parameters.

Building a SQLAlchemy statement and computing its cache key costs 200–450 µs per call on a
busy machine; running an indexed read costs ~20 µs on SQLite. A statement object built once
(every varying value a ``bindparam``) memoizes its cache key, so executing it again only looks
up the compiled SQL in the engine's cache: ~40 µs for a voucher read in all. Types still
apply (JSON, UTC datetimes), and each dialect compiles the statement its own way
(``FOR UPDATE`` is dropped on SQLite, ``ON CONFLICT`` variants are chosen per dialect).

Repositories keep their hot statements as module constants and run them with these helpers.
Bind names start with ``_`` so they never clash with the column names an ``INSERT`` or
``UPDATE`` takes from the parameters (``update(t).where(t.c.id == bindparam("_id"))``
executed with ``{"_id": …, "name": …}`` sets ``name``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, TypeVar

import orjson
from sqlalchemy import (
    Connection,
    Dialect,
    Executable,
    Select,
    String,
    Table,
    TypeDecorator,
    any_,
    bindparam,
    func,
    select,
    type_coerce,
)
from sqlalchemy.dialects import postgresql
from sqlalchemy.sql.elements import ClauseElement, ColumnElement, Label
from sqlalchemy.types import NullType, TypeEngine

from openvoucher.adapters.db.hot import RowConverter, column_processing, row_converter

T = TypeVar("T")

PROJECT = "_project"
"""Bind name of the owning project in every prebuilt statement."""


def first(
    conn: Connection, statement: Executable, params: Mapping[str, Any]
) -> dict[str, Any] | None:
    """The first row as a dict, or None."""
    row = conn.execute(statement, params).first()
    return row._asdict() if row is not None else None


def all_rows(
    conn: Connection, statement: Executable, params: Mapping[str, Any]
) -> list[dict[str, Any]]:
    """Every row as a dict (the keys taken once: ``Row._asdict`` rebuilds them per row)."""
    result = conn.execute(statement, params)
    keys = tuple(result.keys())
    return [dict(zip(keys, row, strict=True)) for row in result]


class LeanSelect:
    """A prebuilt ``SELECT`` whose rows skip SQLAlchemy's column-by-column result processing:
    the statement runs with its columns typed as nothing (the same SQL, the same binds), and
    one generated function per dialect turns each fetched row into the dict :func:`all_rows`
    would give (the converters of :mod:`.hot`: the same values, ~3× cheaper per row). For
    reads of many wide rows at once, such as the vouchers of a 30-redeemable stack."""

    def __init__(self, statement: Select[Any]) -> None:
        self.source = statement
        """The statement as built (its rows processed by SQLAlchemy)."""
        columns = list(statement.selected_columns)
        self.keys = tuple(str(column.key) for column in columns)
        if len(set(self.keys)) != len(self.keys):
            raise ValueError("lean reads need distinct column names")
        self._types = [column.type for column in columns]
        untyped = [
            type_coerce(column.element if isinstance(column, Label) else column, NullType())
            for column in columns
        ]
        self.statement = statement.with_only_columns(
            *(column.label(key) for column, key in zip(untyped, self.keys, strict=True))
        )
        self._converters: dict[str, RowConverter] = {}

    def rows(self, conn: Connection, params: Mapping[str, Any]) -> list[dict[str, Any]]:
        """Every row as a dict of SQLAlchemy's values."""
        dialect = conn.dialect
        convert = self._converters.get(dialect.name)
        if convert is None:
            processing = [column_processing(kind, dialect) for kind in self._types]
            convert = self._converters[dialect.name] = row_converter(self.keys, processing)
        return list(map(convert, conn.execute(self.statement, params)))


def plain(table: Table, values: Mapping[str, Any]) -> bool:
    """Whether ``values`` can be the parameters of a prebuilt ``UPDATE`` of ``table``: some
    values, each naming a column of it, none a SQL expression. Anything else takes the
    statement-building path, which reports unknown columns as it always did."""
    names = table.c
    return bool(values) and all(
        name in names and not isinstance(value, ClauseElement) for name, value in values.items()
    )


class _IdList(TypeDecorator[Sequence[str]]):
    """A list of ids bound as one parameter: a PostgreSQL ``text[]``, SQLite JSON text."""

    impl = String
    cache_ok = True

    def load_dialect_impl(self, dialect: Dialect) -> TypeEngine[Any]:
        if dialect.name == "postgresql":
            return dialect.type_descriptor(postgresql.ARRAY(String))
        return dialect.type_descriptor(String())

    def process_bind_param(self, value: Sequence[str] | None, dialect: Dialect) -> Any:
        if value is None or dialect.name == "postgresql":
            return None if value is None else list(value)
        return orjson.dumps(list(value)).decode()


def in_ids(column: ColumnElement[str], name: str) -> dict[str, ColumnElement[bool]]:
    """``column IN`` the list bound as ``name``, by dialect: one parameter however long the
    list (an ``expanding`` bind renders one placeholder per element on every execution, which
    costs ~3 µs an element). Pick the statement with :func:`for_dialect`."""
    ids = bindparam(name, type_=_IdList())
    listed = select(func.json_each(ids).table_valued("value").c.value).scalar_subquery()
    return {"postgresql": column == any_(ids), "sqlite": column.in_(listed)}


def for_dialect(conn: Connection, statements: Mapping[str, T]) -> T:
    """The statement of ``statements`` built for ``conn``'s dialect."""
    return statements[conn.dialect.name]
