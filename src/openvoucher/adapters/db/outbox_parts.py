"""The compact outbox (ADR 0075): large objects of event data stored once, as parts.

A write's events often carry the same rendered objects: the three events of one loyalty
transaction share its voucher and transaction, every event of a campaign carries the same
campaign. :class:`Packer` prunes (``event_presence.without_unset``) and encodes each object
once, and a top-level object of the data that is either repeated within the write or a
campaign (repeated across writes) is stored once in ``outbox_parts`` under a content address;
the event's ``data`` keeps ``null`` at that key (its place in the key order) and its
``parts`` maps the key to the part. :func:`expand` puts the parts back when the log is read,
so every reader sees the data exactly as it was written (and as the relay sends it).

A part that holds the id of the customer an event is about is owned by that customer (its
address includes the owner) and is purged with the customer's events (:func:`purge`).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import orjson
from sqlalchemy import Connection, Text, cast, delete, select

from openvoucher.adapters.db.engine import json_dumps, json_loads
from openvoucher.adapters.db.schema.outbox import outbox_events, outbox_parts
from openvoucher.kernel.event_presence import (
    LEFT_OUT,
    pruned_plain,
    root_objects_pruned,
    without_unset,
)

MIN_PART = 200
"""Encoded size (characters) under which a value stays inline: a part costs a row."""
ALWAYS_SHARED = frozenset({"campaign"})
"""Kinds of object (``object``) repeated across writes: stored as parts even when seen once."""


@dataclass(frozen=True)
class Packed:
    """One event's stored form: ``data`` with parts left ``None``, and ``parts`` (or None)."""

    data: dict[str, Any]
    parts: dict[str, str] | None


_PLAIN = frozenset({str, int, bool, float, type(None)})
"""Top-level values kept inline as they are (a top-level value is pruned on its own)."""

_Entry = tuple[Any, str | None, bool]
"""A dict value of the data: (pruned, its JSON if big enough to share, shared across writes)."""


@dataclass
class Packer:
    """Packs the events of one write (a request, or one batch of a bulk job).

    Values are recognised by identity: the objects of a write's events are final when it is
    packed (at commit), so one object is pruned and encoded once however often it is carried.
    """

    project_id: str
    _entries: dict[int, _Entry] = field(default_factory=dict)
    _parts: dict[str, tuple[str, str, str | None, str]] = field(default_factory=dict)
    _ids: dict[tuple[str, str | None], str] = field(default_factory=dict)

    def pack(self, events: Sequence[tuple[dict[str, Any], str | None]]) -> list[Packed]:
        """Each ``(data, customer_id)`` packed; the parts are collected for :meth:`part_rows`."""
        entries = self._entries
        counts: dict[str, int] = {}
        events = [(root_objects_pruned(data), owner) for data, owner in events]
        for data, _owner in events:
            if _splittable(data):
                for value in data.values():
                    if isinstance(value, dict):
                        entry = entries.get(id(value)) or self._entry(value)
                        if entry[1] is not None:
                            counts[entry[1]] = counts.get(entry[1], 0) + 1
        return [self._packed(data, owner, counts) for data, owner in events]

    def part_rows(self) -> list[tuple[str, str, str | None, str]]:
        """``(id, project_id, customer_id, body)`` of every part, ordered by id (so that
        concurrent writers meet shared parts in one order)."""
        return [self._parts[key] for key in sorted(self._parts)]

    def _entry(self, value: dict[str, Any]) -> _Entry:
        pruned, plain = pruned_plain(value)
        text = _encoded(pruned) if plain else json_dumps(pruned)
        if len(text) < MIN_PART:
            entry: _Entry = (pruned, None, False)
        else:
            entry = (pruned, text, pruned.get("object") in ALWAYS_SHARED)
        self._entries[id(value)] = entry
        return entry

    def _packed(self, data: dict[str, Any], owner: str | None, counts: dict[str, int]) -> Packed:
        if not _splittable(data):
            return Packed(without_unset(data), None)
        skeleton: dict[str, Any] = {}
        parts: dict[str, str] = {}
        entries = self._entries
        for key, value in data.items():
            if type(value) in _PLAIN:
                skeleton[key] = value
            elif isinstance(value, dict):
                pruned, text, always = entries[id(value)]
                if text is not None and (always or counts[text] > 1):
                    parts[key] = self._ids.get((text, owner)) or self._part(text, owner)
                    skeleton[key] = None
                else:
                    skeleton[key] = pruned
            else:
                skeleton[key] = without_unset(value)
        return Packed(skeleton, parts or None)

    def _part(self, text: str, owner: str | None) -> str:
        held = owner if owner is not None and f'"{owner}"' in text else None
        address = f"{self.project_id}\0{held or ''}\0{text}".encode()
        ident = hashlib.blake2b(address, digest_size=16).hexdigest()
        self._parts[ident] = (ident, self.project_id, held, text)
        self._ids[(text, owner)] = ident
        return ident


def _encoded(value: Any) -> str:
    """``json_dumps(value)`` for a plain value (no NaN, no tuples …): orjson alone."""
    try:
        return orjson.dumps(value, option=orjson.OPT_NON_STR_KEYS).decode()
    except TypeError:  # an integer beyond 64 bits
        return json_dumps(value)


def _splittable(data: dict[str, Any]) -> bool:
    """Whether pruning ``data`` is pruning each of its values on its own (no shape of its
    own applies to its keys)."""
    kind = data.get("object")
    return not (isinstance(kind, str) and kind in LEFT_OUT)


def insert_parts(conn: Connection, rows: Sequence[tuple[str, str, str | None, str]]) -> None:
    """Store parts (``Packer.part_rows``); a part already stored is left as it is."""
    if not rows:
        return
    if conn.dialect.name == "sqlite":
        sql = (
            "INSERT INTO outbox_parts (id, project_id, customer_id, body) VALUES (?, ?, ?, ?) "
            "ON CONFLICT DO NOTHING"
        )
        conn.exec_driver_sql(sql, list(rows))
        return
    sql = (
        "INSERT INTO outbox_parts (id, project_id, customer_id, body) "
        "SELECT d.i, d.p, d.c, d.b::jsonb FROM unnest(%s::text[], %s::text[], %s::text[], "
        "%s::text[]) WITH ORDINALITY AS d(i, p, c, b, n) ORDER BY d.n ON CONFLICT DO NOTHING"
    )
    conn.exec_driver_sql(sql, tuple(list(column) for column in zip(*rows, strict=True)))


_BODIES = select(outbox_parts.c.id, cast(outbox_parts.c.body, Text))


def expand(conn: Connection, rows: Iterable[dict[str, Any]]) -> None:
    """Put the parts back into the ``data`` of outbox rows (dicts with ``data`` and
    ``parts``), in place; each row gets objects of its own."""
    rows = [row for row in rows if row.get("parts")]
    wanted = sorted({ident for row in rows for ident in row["parts"].values()})
    if not wanted:
        return
    bodies: dict[str, str] = {}
    for start in range(0, len(wanted), 500):
        chosen = wanted[start : start + 500]
        query = _BODIES.where(outbox_parts.c.id.in_(chosen))
        bodies.update((str(i), str(b)) for i, b in conn.execute(query).all())
    for row in rows:
        data = dict(row["data"])
        for key, ident in row["parts"].items():
            data[key] = json_loads(bodies[ident])
        row["data"] = data


def purge(conn: Connection, project_id: str, customer_id: str) -> int:
    """Delete the customer's parts that no remaining event of the customer uses (call after
    deleting the customer's events); how many."""
    o, p = outbox_events.c, outbox_parts.c
    left = select(o.parts).where(
        o.project_id == project_id, o.customer_id == customer_id, o.parts.is_not(None)
    )
    kept = {ident for (parts,) in conn.execute(left) for ident in (parts or {}).values()}
    query = delete(outbox_parts).where(p.project_id == project_id, p.customer_id == customer_id)
    if kept:
        query = query.where(p.id.not_in(sorted(kept)))
    return int(conn.execute(query).rowcount or 0)
