"""Hot reads: a prebuilt ``SELECT`` run on a plain ``sqlite3`` connection, on the calling thread.

A read through SQLAlchemy (connection checkout, ``BEGIN``, execution, result rows) costs ~90 µs
on SQLite; the same indexed ``SELECT`` on a bare ``sqlite3`` connection, with the same column
conversions, ~11 µs. That is cheap enough to run on the event loop, with no thread-pool hop
(docs/performance.md; docs/adr/0012-hot-reads.md).

Each thread gets its own read-only connection (``PRAGMA query_only``). The statements of one
``snapshot`` form one read transaction, which sees everything committed before it starts, by this
process or any other (WAL: readers never wait for the writer). The reader only works on a WAL
database file; otherwise, and whenever SQLite answers busy or locked, it answers None and the
caller reads the usual way.

Statements come from the repositories (all SQL lives there), compiled once for the engine's
dialect; rows come back as dicts with the values SQLAlchemy would give (JSON decoded,
aware UTC datetimes, booleans), so presenters render them the same.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable, Mapping
from operator import itemgetter
from typing import Any, TypeVar

from sqlalchemy import JSON, Dialect, Engine, Select
from sqlalchemy.types import TypeEngine

from openvoucher.adapters.db.engine import SQLITE_CACHE_KIB, json_loads
from openvoucher.adapters.db.types import UTCDateTime, utc_from_sqlite

T = TypeVar("T")
RowConverter = Callable[[tuple[Any, ...]], dict[str, Any]]


class HotQuery:
    """One ``SELECT`` compiled for SQLite: its SQL, bind order and per-column conversions."""

    def __init__(self, statement: Select[Any], engine: Engine) -> None:
        dialect = engine.dialect
        compiled = statement.compile(dialect=dialect)
        self.sql = compiled.string
        names = _plain_binds(compiled, dialect)
        self._values: Callable[[Mapping[str, Any]], Any] = (
            itemgetter(*names) if len(names) > 1 else lambda p: tuple(p[n] for n in names)
        )
        """The parameters in the SQL's order (``itemgetter`` gives a tuple from two on)."""
        columns = list(statement.selected_columns)
        self.keys = tuple(str(column.key) for column in columns)
        if len(set(self.keys)) != len(self.keys):
            raise ValueError("hot reads need distinct column names")
        self.convert = row_converter(
            self.keys, [column_processing(column.type, dialect) for column in columns]
        )
        """A fetched row as the dict of SQLAlchemy's values."""

    def rows(self, conn: sqlite3.Connection, params: Mapping[str, Any]) -> list[dict[str, Any]]:
        """Run the query; every row as a dict of converted values."""
        return list(map(self.convert, self.fetch(conn, params)))

    def fetch(self, conn: sqlite3.Connection, params: Mapping[str, Any]) -> list[tuple[Any, ...]]:
        """Run the query; every row as SQLite hands it back (no conversion)."""
        return conn.execute(self.sql, self._values(params)).fetchall()


Processor = Callable[[Any], Any]


def column_processing(kind: TypeEngine[Any], dialect: Dialect) -> tuple[Processor, bool] | None:
    """What SQLAlchemy does to a column's values on the way out, and whether it keeps NULL
    as None; in one step where we know a shorter way to the same value (aware UTC datetimes
    from SQLite's text, JSON with the engine's own decoder). None: values stay as fetched.
    Other dialects get SQLAlchemy's own processors."""
    process = kind.dialect_impl(dialect).result_processor(dialect, None)
    if process is None:
        return None
    keeps_null = process(None) is None
    if dialect.name != "sqlite":
        return process, keeps_null
    if isinstance(kind, UTCDateTime) and keeps_null:
        return utc_from_sqlite, True  # SQLAlchemy: fromisoformat, then UTC (non-text fails alike)
    if isinstance(kind, JSON) and getattr(dialect, "_json_deserializer", None) is json_loads:
        return _either(json_loads, process), keeps_null  # a bare number comes back as a number
    return process, keeps_null


def _either(fast: Processor, process: Processor) -> Processor:
    """``fast`` for text values (how SQLite hands these columns back); ``process`` otherwise."""

    def convert(value: Any) -> Any:
        return fast(value) if type(value) is str else process(value)

    return convert


def row_converter(
    keys: tuple[str, ...], processing: list[tuple[Processor, bool] | None]
) -> RowConverter:
    """A function building a row's dict in one expression (~3× faster than a loop over the
    columns): ``{"id": row[0], "active": p6(row[6]) if row[6] is not None else None, …}``.
    Conversions that turn NULL into something else run on NULL too. The generated source
    holds only the column names (as literals) and positions; processors come as names."""
    names: dict[str, Any] = {}
    items = []
    for index, (key, found) in enumerate(zip(keys, processing, strict=True)):
        value = f"row[{index}]"
        if found is not None:
            names[f"p{index}"] = found[0]
            call = f"p{index}({value})"
            value = f"{call} if {value} is not None else None" if found[1] else call
        items.append(f"{key!r}: {value}")
    source = "lambda row: {" + ", ".join(items) + "}"
    converter: RowConverter = eval(compile(source, "<hot row>", "eval"), names)
    return converter


def _plain_binds(compiled: Any, dialect: Any) -> list[str]:
    """The bind names in the SQL's order; refuses what the caller's values alone cannot fill
    as they are: expanding (``IN``) lists, literal values, types converted on the way in."""
    names = list(compiled.positiontup or [])
    for name in names:
        bind = compiled.binds[name]
        converted = bind.type.dialect_impl(dialect).bind_processor(dialect) is not None
        if bind.expanding or not bind.required or converted:
            raise ValueError(f"hot reads take plain parameters only, not {name!r}")
    return names


class HotRead:
    """Statements run inside one :meth:`HotReader.snapshot`."""

    def __init__(self, reader: HotReader, conn: sqlite3.Connection, single: bool) -> None:
        self._reader = reader
        self._conn = conn
        self._left = 1 if single else -1
        """Statements this read may still run (-1: any number)."""

    def all_rows(self, statement: Select[Any], params: Mapping[str, Any]) -> list[dict[str, Any]]:
        """Every row of ``statement`` as a dict (SQLAlchemy's values)."""
        self._count()
        return self._reader.query(statement).rows(self._conn, params)

    def raw_rows(
        self, statement: Select[Any], params: Mapping[str, Any]
    ) -> tuple[list[tuple[Any, ...]], RowConverter]:
        """Every row of ``statement`` as fetched, and the function turning one into the dict
        ``all_rows`` gives (the same function for every call of this reader: it may key a
        memo)."""
        self._count()
        query = self._reader.query(statement)
        return query.fetch(self._conn, params), query.convert

    def json_rows(
        self, statement: Select[Any], of: Select[Any], params: Mapping[str, Any]
    ) -> tuple[list[str], RowConverter]:
        """The rows of ``statement``, which selects each row of ``of`` as one JSON array text
        (SQLite's ``json_array``), and the function turning such a row, decoded, into the dict
        ``all_rows(of, …)`` gives (the same for every call of this reader: it may key a memo)."""
        self._count()
        rows = self._reader.query(statement).fetch(self._conn, params)
        return [row[0] for row in rows], self._reader.query(of).convert

    def _count(self) -> None:
        if self._left == 0:
            raise RuntimeError("a single-statement snapshot ran a second statement")
        self._left -= 1


class HotReader:
    """Runs prebuilt ``SELECT`` statements on a per-thread ``sqlite3`` connection."""

    def __init__(self, engine: Engine, database: str, uri: bool) -> None:
        self._engine = engine
        self._database = database
        self._uri = uri
        self._local = threading.local()
        self._queries: dict[int, tuple[Select[Any], HotQuery]] = {}
        self._lock = threading.Lock()
        self.enabled = True
        """False once the database turned out not to be in WAL mode (then readers could wait
        for a writer, which the event loop must never do)."""

    @classmethod
    def for_engine(cls, engine: Engine) -> HotReader | None:
        """A reader for ``engine``'s database when it is a SQLite file; None otherwise."""
        url = engine.url
        if engine.dialect.name != "sqlite" or url.database in (None, "", ":memory:"):
            return None
        args, options = engine.dialect.create_connect_args(url)
        if "mode=memory" in str(args[0]) or url.query.get("mode") == "memory":
            return None
        return cls(engine, str(args[0]), bool(options.get("uri")))

    def snapshot(self, reads: Callable[[HotRead], T], *, single: bool = False) -> T | None:
        """``reads(read)`` in one read transaction (its statements all see the same committed
        state); None when this reader cannot read now: then the caller reads through the unit
        of work. Exceptions of ``reads`` itself (``NotFound`` …) pass through.

        ``single``: ``reads`` runs one statement, which SQLite runs as a read transaction of
        its own, so no ``BEGIN``/``COMMIT`` around it (~1.5 µs); a second one raises."""
        if not self.enabled:
            return None
        try:
            conn = self._connection()
            if conn is None:
                return None
            if conn.in_transaction:  # a COMMIT that failed before: start afresh
                conn.execute("ROLLBACK")
            if single:
                return reads(HotRead(self, conn, single))
            conn.execute("BEGIN")
            try:
                return reads(HotRead(self, conn, single))
            finally:
                conn.execute("COMMIT")  # a read transaction: only ends the snapshot
        except sqlite3.OperationalError:
            return None  # busy, locked, or the schema is being changed: read the usual way

    def query(self, statement: Select[Any]) -> HotQuery:
        """``statement`` compiled for this reader (once per statement object)."""
        known = self._queries.get(id(statement))
        if known is not None and known[0] is statement:
            return known[1]
        query = HotQuery(statement, self._engine)
        with self._lock:
            self._queries[id(statement)] = (statement, query)
        return query

    def _connection(self) -> sqlite3.Connection | None:
        conn: sqlite3.Connection | None = getattr(self._local, "conn", None)
        if conn is None:
            conn = self._open()
            self._local.conn = conn
        return conn

    def _open(self) -> sqlite3.Connection | None:
        """A new connection; None (and the reader off for good) when the file is not in WAL
        mode. The engine sets WAL on its first connection (migrations run before any read)."""
        # timeout=0: a busy database answers at once (the caller then reads the usual way).
        conn = sqlite3.connect(
            self._database,
            uri=self._uri,
            timeout=0,
            isolation_level=None,
            check_same_thread=False,
        )
        try:
            conn.execute("PRAGMA query_only=ON")
            conn.execute(f"PRAGMA cache_size=-{SQLITE_CACHE_KIB}")
            mode = conn.execute("PRAGMA journal_mode").fetchone()
        except sqlite3.OperationalError:
            conn.close()
            raise
        if mode is None or str(mode[0]).lower() != "wal":
            conn.close()
            self.enabled = False
            return None
        return conn
