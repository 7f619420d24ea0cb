"""Placing a voucher's code: a given one (free, not held by the bin) or a fresh random one of a
code config, and whether a code config still has room.
"""

from __future__ import annotations

from typing import Any

from openvoucher.catalog.domain.codes import (
    DENSE_SPACE,
    CodeConfig,
    CodeSampler,
    InvalidCodeConfig,
    ensure_room,
)
from openvoucher.catalog.repositories.vouchers import (
    VoucherRepository,
)
from openvoucher.kernel.errors import DuplicateFound, InvalidPayload
from openvoucher.kernel.unit_of_work import Tx
from openvoucher.platform import trash_bin

SPARSE_RETRIES = 10


def insert_with_code(tx: Tx, row: dict[str, Any], code: str) -> dict[str, Any]:
    """Store ``row`` under ``code``; a code already in use is 409 ``duplicate_found``."""
    if not code or len(code) > 300:
        raise InvalidPayload("Invalid payload", "code must be 1 to 300 characters long")
    repo = VoucherRepository(tx.conn, tx.project_id)
    if repo.get_by_code(code) is not None:
        raise DuplicateFound("Duplicated resource", f"Voucher with code {code} already exists")
    trash_bin.ensure_code_free(tx, code)
    repo.insert({**row, "code": code})
    return _stored(tx, row["id"])


def insert_generated(tx: Tx, row: dict[str, Any], config: CodeConfig) -> dict[str, Any]:
    """Store ``row`` under a fresh random code of ``config``."""
    check_room(tx, config, 1)
    repo = VoucherRepository(tx.conn, tx.project_id)
    sampler = CodeSampler(config)
    attempts = config.space if config.space <= DENSE_SPACE else SPARSE_RETRIES
    for _ in range(attempts):
        codes = sampler.draw(1)
        if not codes:
            break
        if trash_bin.code_held(tx, codes[0]):
            continue
        if repo.insert_new_codes([{**row, "code": codes[0]}]):
            return _stored(tx, row["id"])
    raise InvalidCodeConfig("No unused code is left in the space of the code config")


def check_room(tx: Tx, config: CodeConfig, count: int) -> None:
    """400 ``invalid_code_config`` when fewer than ``count`` codes of ``config`` are free.

    Only small spaces can fill up: there, codes of the same shape are counted in one query,
    and read and matched exactly only when the space looks nearly full.
    """
    if config.space > DENSE_SPACE:
        ensure_room(config, count)
        return
    size = len(config.prefix) + len(config.pattern) + len(config.postfix)
    repo = VoucherRepository(tx.conn, tx.project_id)
    taken = repo.count_like(config.prefix, config.postfix, size)
    if taken > config.space - count:
        existing = repo.codes_like(config.prefix, config.postfix, size)
        taken = sum(1 for code in existing if config.matches(code))
    ensure_room(config, count, taken)


def _stored(tx: Tx, voucher_id: str) -> dict[str, Any]:
    row = VoucherRepository(tx.conn, tx.project_id).get(voucher_id)
    assert row is not None
    return row
