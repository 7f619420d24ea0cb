"""The bin: campaigns, vouchers, products and SKUs deleted without ``force``.

A non-forced delete runs the resource's ordinary delete (same events, same cascade) and, in the
same transaction, stores an entry here with a snapshot of what was removed. What identifies a
binned resource stays taken until the entry is deleted for good (``DELETE /v1/trash-bin/{id}``):
a voucher's code, the codes of a campaign's vouchers and its name, the source ids of a product
(and its SKUs) or a SKU.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from openvoucher.kernel.errors import DuplicateFound, NotFound
from openvoucher.kernel.filters import Filters
from openvoucher.kernel.ids import sorted_ids
from openvoucher.kernel.unit_of_work import Tx, UnitOfWork
from openvoucher.platform.model import BinEntry
from openvoucher.platform.repositories.trash_bin import TrashBinRepository


def put(
    tx: Tx,
    resource_type: str,
    resource: dict[str, Any],
    name: str | None,
    parent_id: str | None = None,
    *,
    entry_id: str | None = None,
    held: Sequence[tuple[str, str | None]] = (),
) -> str:
    """Store a bin entry for ``resource`` (its rendered object, kept as the snapshot); the
    ``(kind, value)`` pairs in ``held`` stay taken while it is binned. The entry's id."""
    entry_id = entry_id or new_entry_id(tx)
    repo = TrashBinRepository(tx.conn, tx.project_id)
    repo.insert(
        {
            "id": entry_id,
            "resource_type": resource_type,
            "resource_id": resource["id"],
            "resource_name": name,
            "resource_parent_id": parent_id,
            "deleted_by_user_id": None,
            "snapshot": resource,
            "created_at": tx.now,
        }
    )
    for kind in dict.fromkeys(kind for kind, _ in held):
        repo.hold(entry_id, kind, [value for k, value in held if k == kind and value])
    return entry_id


def new_entry_id(tx: Tx) -> str:
    """A fresh bin entry id (they sort by creation)."""
    return sorted_ids("bin_entry", 1, tx.now)[0]


def hold_campaign_codes(tx: Tx, entry_id: str, campaign_id: str) -> None:
    """Keep the codes of the campaign's vouchers taken under the (future) entry ``entry_id``."""
    TrashBinRepository(tx.conn, tx.project_id).hold_campaign_codes(entry_id, campaign_id)


def release(tx: Tx, entry_id: str) -> None:
    """Free what is held under ``entry_id`` (a deletion job that failed before storing it)."""
    TrashBinRepository(tx.conn, tx.project_id).release(entry_id)


def binned_codes(tx: Tx, codes: Sequence[str]) -> set[str]:
    """Which of ``codes`` belong to binned vouchers (still taken)."""
    return TrashBinRepository(tx.conn, tx.project_id).held("voucher", codes)


def without_binned_codes(tx: Tx, codes: list[str]) -> list[str]:
    """``codes`` less those of binned vouchers (one indexed lookup when the bin holds codes)."""
    repo = TrashBinRepository(tx.conn, tx.project_id)
    if not codes or not repo.holds_any("voucher"):
        return codes
    taken = repo.held("voucher", codes)
    return [code for code in codes if code not in taken] if taken else codes


def code_held(tx: Tx, code: str) -> bool:
    """Whether ``code`` is a binned voucher's (one prebuilt indexed read)."""
    return TrashBinRepository(tx.conn, tx.project_id).is_held("voucher", code)


def ensure_code_free(tx: Tx, code: str) -> None:
    """409 ``duplicate_found`` when ``code`` is a binned voucher's."""
    if code_held(tx, code):
        raise DuplicateFound("Duplicated resource", f"Voucher with code {code} already exists")


def ensure_source_id_free(tx: Tx, kind: str, source_id: str) -> None:
    """409 ``duplicate_found`` when ``source_id`` is a binned product's or SKU's (``kind``)."""
    if TrashBinRepository(tx.conn, tx.project_id).is_held(kind, source_id):
        label = "Product" if kind == "product" else "SKU"
        raise DuplicateFound(
            "Duplicated resource", f"{label} with source_id {source_id} already exists"
        )


def ensure_campaign_name_free(tx: Tx, name: str) -> None:
    """409 ``duplicate_found`` when ``name`` is a binned campaign's."""
    if TrashBinRepository(tx.conn, tx.project_id).binned_names("campaign", [name]):
        raise DuplicateFound("Duplicated resource", f"Campaign {name} already exists")


def list_entries(
    uow: UnitOfWork,
    project_id: str,
    limit: int,
    after: str | None,
    descending: bool,
    filters: Filters,
) -> list[BinEntry]:
    """A page of entries (one more than ``limit`` when there are more)."""
    with uow.read(project_id) as tx:
        repo = TrashBinRepository(tx.conn, tx.project_id)
        return repo.page(limit + 1, after, descending, filters, tx.now)


def delete_entry(uow: UnitOfWork, project_id: str, entry_id: str) -> None:
    """Delete an entry for good, which frees the voucher code it held."""
    with uow.write(project_id) as tx:
        repo = TrashBinRepository(tx.conn, tx.project_id)
        if repo.get(entry_id) is None:
            raise NotFound("bin_entry", entry_id)
        repo.remove(entry_id)
