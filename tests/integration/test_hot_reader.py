"""The hot reader (``adapters.db.hot``): the rows SQLAlchemy gives, and it steps aside whenever
it cannot read without waiting."""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, bindparam, select

from openvoucher.adapters.clock import SystemClock
from openvoucher.adapters.db.engine import make_engine
from openvoucher.adapters.db.hot import HotRead, HotReader
from openvoucher.adapters.db.migrate import upgrade
from openvoucher.adapters.db.schema.catalog import vouchers as voucher_table
from openvoucher.adapters.db.unit_of_work import SqlUnitOfWork
from openvoucher.catalog import validation_rules, vouchers
from openvoucher.catalog.repositories.validation_rules import AssignmentRepository
from openvoucher.catalog.repositories.vouchers import BY_IDS_LOCKED
from openvoucher.catalog.repositories.vouchers_hot import (
    ASSIGNED,
    hot_by_code_or_id,
    hot_json_shown_by_code_or_id,
    hot_shown_by_code_or_id,
    shown_row,
)
from openvoucher.platform import projects

GIFT = {"type": "GIFT_VOUCHER", "gift": {"amount": 700}, "metadata": {"a": [1, 2]}}


@pytest.fixture
def engine(tmp_path: Path) -> Iterator[Engine]:
    """A migrated SQLite file."""
    made = make_engine(f"sqlite:///{tmp_path / 'hot.db'}")
    upgrade(made)
    yield made
    made.dispose()


@pytest.fixture
def uow(engine: Engine) -> SqlUnitOfWork:
    """A unit of work on ``engine``."""
    return SqlUnitOfWork(engine, SystemClock(), "http://hot.test")


@pytest.fixture
def project_id(uow: SqlUnitOfWork) -> str:
    """A project holding one gift card, ``HOT-1``."""
    created: str = projects.create_project(uow, {"name": "hot"})["id"]
    vouchers.create(uow, created, dict(GIFT), "HOT-1")
    return created


def reader_of(uow: SqlUnitOfWork) -> HotReader:
    """The unit of work's hot reader (a SQLite file has one)."""
    assert uow.hot is not None
    return uow.hot


def by_code(reader: HotReader, project_id: str, code: str) -> list[dict[str, Any]] | None:
    """The voucher rows of ``code`` in a snapshot of their own; None when declined."""
    return reader.snapshot(lambda read: hot_by_code_or_id(read, project_id, code))


def test_rows_equal_the_unit_of_works(uow: SqlUnitOfWork, project_id: str) -> None:
    """The hot rows are the transactional rows: same keys, same converted values; other
    projects see nothing."""
    (row,) = by_code(reader_of(uow), project_id, "HOT-1") or []
    with uow.read(project_id) as tx:
        assert row == vouchers.find(tx, "HOT-1")
    assert row["created_at"].tzinfo is not None
    assert row["active"] is True
    assert row["attrs"]["metadata"] == {"a": [1, 2]}
    assert by_code(reader_of(uow), "proj_other", "HOT-1") == []


def test_each_thread_reads_on_its_own_connection(uow: SqlUnitOfWork, project_id: str) -> None:
    """Reads from another thread work too (each thread opens its own connection)."""
    reader = reader_of(uow)
    found: list[list[dict[str, Any]] | None] = []
    worker = threading.Thread(target=lambda: found.append(by_code(reader, project_id, "HOT-1")))
    worker.start()
    worker.join()
    assert [rows[0]["code"] for rows in found if rows] == ["HOT-1"]


def test_a_locked_database_is_declined_not_waited_for(
    uow: SqlUnitOfWork, project_id: str, engine: Engine
) -> None:
    """While another connection holds the file exclusively, the reader answers None at once;
    afterwards it reads again, and sees that connection's write."""
    reader = reader_of(uow)
    engine.dispose()  # an exclusive lock needs every other connection closed
    holder = sqlite3.connect(str(engine.url.database), isolation_level=None)
    try:
        holder.execute("PRAGMA locking_mode=EXCLUSIVE")
        holder.execute("BEGIN EXCLUSIVE")
        holder.execute("UPDATE vouchers SET gift_balance = 1 WHERE code = 'HOT-1'")
        assert by_code(reader, project_id, "HOT-1") is None
        holder.execute("COMMIT")
    finally:
        holder.close()
    rows = by_code(reader, project_id, "HOT-1")
    assert rows is not None
    assert rows[0]["gift_balance"] == 1


def test_not_in_wal_mode_the_reader_stays_off(tmp_path: Path) -> None:
    """A file in rollback-journal mode (where readers could wait for a writer): no hot reads."""
    path = tmp_path / "journal.db"
    with sqlite3.connect(path) as plain:
        plain.execute("CREATE TABLE vouchers (id TEXT)")
        assert plain.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
    plain.close()
    engine = make_engine(f"sqlite:///{path}")
    reader = HotReader.for_engine(engine)
    assert reader is not None
    assert by_code(reader, "proj_any", "X") is None
    assert reader.enabled is False
    engine.dispose()


def test_only_sqlite_files_get_a_reader(tmp_path: Path) -> None:
    """In-memory SQLite and PostgreSQL have no hot reader; a SQLite file has."""
    assert HotReader.for_engine(make_engine("sqlite://")) is None
    assert HotReader.for_engine(make_engine("sqlite:///:memory:")) is None
    assert HotReader.for_engine(make_engine("postgresql://u@127.0.0.1:1/none")) is None
    assert HotReader.for_engine(make_engine(f"sqlite:///{tmp_path / 'f.db'}")) is not None


def test_statements_needing_more_than_plain_values_are_refused(
    uow: SqlUnitOfWork, project_id: str
) -> None:
    """An IN list (SQL varying per call), a literal value or a converted parameter (a
    datetime) cannot be a hot read: refused, not run wrong."""
    reader = reader_of(uow)
    with pytest.raises(ValueError, match="'_ids'"):
        reader.snapshot(lambda read: read.all_rows(BY_IDS_LOCKED, {"_ids": ["x"]}))
    literal = select(voucher_table.c.id).where(voucher_table.c.redeemed_quantity == 5)
    with pytest.raises(ValueError, match="plain parameters"):
        reader.snapshot(lambda read: read.all_rows(literal, {}))
    dated = select(voucher_table.c.id).where(voucher_table.c.created_at < bindparam("_at"))
    with pytest.raises(ValueError, match="'_at'"):
        reader.snapshot(lambda read: read.all_rows(dated, {"_at": datetime.now(UTC)}))
    assert by_code(reader, project_id, "HOT-1") is not None  # the reader still works


def test_a_snapshot_sees_one_state(uow: SqlUnitOfWork, project_id: str) -> None:
    """A write committed between two reads of one snapshot is seen by neither; the next
    snapshot sees it."""
    reader = reader_of(uow)

    def reads(read: HotRead) -> tuple[bool, bool]:
        before = hot_by_code_or_id(read, project_id, "HOT-1")[0]["active"]
        vouchers.set_active(uow, project_id, "HOT-1", False)  # another connection commits
        after = hot_by_code_or_id(read, project_id, "HOT-1")[0]["active"]
        return before, after

    assert reader.snapshot(reads) == (True, True)
    (row,) = by_code(reader, project_id, "HOT-1") or []
    assert row["active"] is False


def test_rows_with_assignments_equal_the_unit_of_works(uow: SqlUnitOfWork, project_id: str) -> None:
    """The one-statement voucher read: the voucher row as SQLAlchemy gives it, and its rule
    assignments as ``AssignmentRepository`` gives them, oldest first then by id."""
    rules = [
        validation_rules.create(uow, project_id, {"name": f"r{n}", "rules": {"logic": ""}})
        for n in range(3)
    ]
    vouchers.update(uow, project_id, "HOT-1", {"validation_rules": [r["id"] for r in rules]})
    reader = reader_of(uow)
    (row,) = reader.snapshot(lambda read: hot_shown_by_code_or_id(read, project_id, "HOT-1"))
    assigned = row.pop(ASSIGNED)
    with uow.read(project_id) as tx:
        assert row == vouchers.find(tx, "HOT-1")
        expected = AssignmentRepository(tx.conn, project_id).of_objects([("voucher", row["id"])])
    assert len(assigned) == 3
    assert assigned == expected
    assert all(a["created_at"].tzinfo is not None for a in assigned)


def test_a_single_statement_snapshot_refuses_a_second(uow: SqlUnitOfWork, project_id: str) -> None:
    """``single=True`` runs one statement without BEGIN/COMMIT; a second one is an error,
    not a read from another state."""
    reader = reader_of(uow)
    one = reader.snapshot(lambda read: hot_by_code_or_id(read, project_id, "HOT-1"), single=True)
    assert one is not None
    assert one[0]["code"] == "HOT-1"

    def twice(read: HotRead) -> None:
        hot_by_code_or_id(read, project_id, "HOT-1")
        hot_by_code_or_id(read, project_id, "HOT-1")

    with pytest.raises(RuntimeError, match="second statement"):
        reader.snapshot(twice, single=True)
    assert by_code(reader, project_id, "HOT-1") is not None


def test_the_json_form_of_a_row_is_the_same_row(uow: SqlUnitOfWork, project_id: str) -> None:
    """``json_array`` of the raw values, decoded and converted, equals the row of the 29
    fetched columns: no assignments, then three; a code that is no voucher gives None."""
    reader = reader_of(uow)

    def both(read: HotRead) -> tuple[dict[str, Any], dict[str, Any]]:
        found = hot_json_shown_by_code_or_id(read, project_id, "HOT-1")
        assert found is not None
        return shown_row(found[0], found[1], project_id), by_code_shown(read)

    def by_code_shown(read: HotRead) -> dict[str, Any]:
        return hot_shown_by_code_or_id(read, project_id, "HOT-1")[0]

    from_json, fetched = reader.snapshot(both) or ({}, {})
    assert from_json == fetched
    assert from_json[ASSIGNED] == []
    rules = [
        validation_rules.create(uow, project_id, {"name": f"j{n}", "rules": {"logic": ""}})
        for n in range(3)
    ]
    vouchers.update(uow, project_id, "HOT-1", {"validation_rules": [r["id"] for r in rules]})
    from_json, fetched = reader.snapshot(both) or ({}, {})
    assert from_json == fetched
    assert len(from_json[ASSIGNED]) == 3
    missing = reader.snapshot(lambda read: hot_json_shown_by_code_or_id(read, project_id, "NO"))
    assert missing is None
