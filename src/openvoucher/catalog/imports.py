"""Voucher imports (``/v1/vouchers/import[CSV]``, ``/v1/campaigns/{id}/import[CSV]``).

The request stages the upload in parts (``import_parts``) in the transaction that queues the
async action, streaming the file, so memory stays bounded. The action then imports part by
part, each part one transaction that also records progress. Rows are independent: good rows
are imported, and every bad row is counted in ``failed_count`` and listed (row, code, field,
reason) in ``failed`` (the first 1000). ``operation_status`` is SUCCESS when no row failed,
FAILED otherwise. Imports emit no per-voucher ``voucher.created`` events.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from itertools import islice
from typing import Any

from openvoucher.catalog import campaigns, categories, import_updates, validation_rules, vouchers
from openvoucher.catalog.domain.imports import Header, RowError, csv_item, read_header
from openvoucher.catalog.domain.vouchers import VOUCHER_TYPES, check_value
from openvoucher.catalog.metadata_schemas import enforce, typed_text
from openvoucher.catalog.repositories.campaigns import CampaignRepository
from openvoucher.catalog.repositories.imports import ImportPartRepository
from openvoucher.catalog.repositories.vouchers import VoucherRepository
from openvoucher.kernel.errors import InvalidPayload, NotFound, VoucherifyError
from openvoucher.kernel.unit_of_work import Tx, UnitOfWork
from openvoucher.platform import async_actions, trash_bin
from openvoucher.platform.async_actions import Job

VOUCHERS_JSON = "VOUCHERS.IMPORT"
VOUCHERS_CSV = "VOUCHERS.IMPORT_CSV"
CAMPAIGN_JSON = "CAMPAIGN.VOUCHERS_IMPORT"
CAMPAIGN_CSV = "CAMPAIGN.VOUCHERS_IMPORT_CSV"
PART_ROWS = 5000
LISTED_FAILURES = 1000
VALUE_FIELD = {
    "DISCOUNT_VOUCHER": "discount",
    "GIFT_VOUCHER": "gift",
    "LOYALTY_CARD": "loyalty_card",
}
OWN_FIELDS = (
    "code",
    "type",
    "category",
    "category_id",
    "gift",
    "loyalty_card",
    "discount",
    "validation_rules",
)


def start_csv(
    uow: UnitOfWork,
    project_id: str,
    rows: Iterator[list[str]],
    campaign: str | None = None,
    request_id: str | None = None,
) -> str:
    """Stage a CSV upload (``rows`` = parsed lines, header first); the async action's id."""
    titles = next(rows, None)
    if titles is None:
        raise InvalidPayload("Invalid payload", "The CSV file is empty")
    try:
        read_header(titles, campaign=campaign is not None)
    except ValueError as error:
        raise InvalidPayload("Invalid payload", str(error)) from None
    kind = CAMPAIGN_CSV if campaign else VOUCHERS_CSV
    return _stage(uow, project_id, kind, rows, campaign, titles, request_id)


def start_json(
    uow: UnitOfWork,
    project_id: str,
    items: list[Any],
    campaign: str | None = None,
    request_id: str | None = None,
) -> str:
    """Stage a JSON import (a list of voucher objects); the async action's id."""
    kind = CAMPAIGN_JSON if campaign else VOUCHERS_JSON
    return _stage(uow, project_id, kind, iter(items), campaign, None, request_id)


def _stage(
    uow: UnitOfWork,
    project_id: str,
    kind: str,
    rows: Iterator[Any],
    campaign: str | None,
    header: list[str] | None,
    request_id: str | None,
) -> str:
    with uow.write(project_id) as tx:
        campaign_id = campaigns.require(tx, campaign)["id"] if campaign else None
        request = {"campaign_id": campaign_id, "header": header}
        action_id = async_actions.enqueue(tx, kind, request, request_id).id
        parts = ImportPartRepository(tx.conn, tx.project_id)
        first_row = 1
        for number, chunk in enumerate(_chunks(rows)):
            parts.add(action_id, number, first_row, chunk)
            first_row += len(chunk)
        return action_id


def _chunks(rows: Iterator[Any]) -> Iterable[list[Any]]:
    while chunk := list(islice(rows, PART_ROWS)):
        yield chunk


def run_import(job: Job) -> None:
    """The handler of all four import actions: part by part, one transaction each."""
    run_parts(job, lambda tx, staged: _import_part(tx, job.request, staged), "vouchers")


PartImport = Callable[[Tx, dict[str, Any]], tuple[int, list[dict[str, Any]]]]
"""Imports one staged part in the given transaction: (rows imported, failed rows)."""


def run_parts(job: Job, import_part: PartImport, noun: str) -> None:
    """Import the action's staged parts in order, each with its progress in one transaction;
    ``noun`` names what is imported in the result's message."""
    result = job.result
    part = int(result.get("next_part", 0))
    with job.uow.read(job.project_id) as tx:
        total_parts = ImportPartRepository(tx.conn, tx.project_id).count(job.action.id)
    while True:
        with job.uow.write(job.project_id) as tx:
            parts = ImportPartRepository(tx.conn, tx.project_id)
            staged = parts.get(job.action.id, part)
            if staged is None:
                parts.drop(job.action.id)
                final = {k: v for k, v in result.items() if k != "next_part"}
                final = {**_counts(final, 0, []), "message": _message(final, noun)}
                status = "FAILED" if final["failed_count"] else "SUCCESS"
                job.complete(tx, final, operation_status=status)
                return
            done, failed = import_part(tx, staged)
            result = {**_counts(result, done, failed), "next_part": part + 1}
            result["message"] = _message(result, noun)
            job.checkpoint(tx, (part + 1) * 100 // max(total_parts, 1), result)
        part += 1


def _counts(result: dict[str, Any], done: int, failed: list[dict[str, Any]]) -> dict[str, Any]:
    listed = list(result.get("failed") or [])
    room = LISTED_FAILURES - len(listed)
    return {
        **result,
        "done_count": int(result.get("done_count", 0)) + done,
        "failed_count": int(result.get("failed_count", 0)) + len(failed),
        "failed": listed + failed[: max(room, 0)],
    }


def _message(result: dict[str, Any], noun: str) -> str:
    text = f"{result['done_count']} {noun} imported, {result['failed_count']} failed"
    if result["failed_count"] > len(result["failed"]):
        text += f" (the first {LISTED_FAILURES} failures are listed)"
    return text


def _import_part(
    tx: Tx, request: dict[str, Any], staged: dict[str, Any]
) -> tuple[int, list[dict[str, Any]]]:
    campaign = None
    if request.get("campaign_id"):
        campaign = CampaignRepository(tx.conn, tx.project_id).get(request["campaign_id"])
        if campaign is None:
            raise NotFound("campaign", request["campaign_id"])
        CampaignRepository(tx.conn, tx.project_id).lock(campaign["id"])
    titles = request.get("header")
    header = read_header(titles, campaign=campaign is not None) if titles else None
    built: dict[str, tuple[int, dict[str, Any]]] = {}
    items: dict[str, dict[str, Any]] = {}
    failed: list[dict[str, Any]] = []
    names: dict[str, str | None] = {}
    rules: dict[str, list[str]] = {}
    for offset, raw in enumerate(staged["rows"]):
        number = staged["first_row"] + offset
        code = _code_of(raw, header)
        try:
            item = _item(tx, raw, header)
            row = _build(tx, item, campaign, names)
            rules[row["id"]] = _rule_ids(tx, item, names)
        except RowError as error:
            failed.append(_failure(number, code, error, header))
            continue
        if row["code"] in built:
            failed.append(
                _failure(number, code, RowError("code", "repeats an earlier row"), header)
            )
            continue
        built[row["code"]] = (number, row)
        items[row["code"]] = item
    updates = import_updates.Updates(items, {}) if header is not None and campaign is None else None
    failed.extend(_store(tx, built, campaign, header, updates))
    kept = {row["id"]: row["id"] for _, row in built.values()}
    kept.update(updates.done if updates else {})
    validation_rules.assign_imported(
        tx, [(kept[built_id], ids) for built_id, ids in rules.items() if built_id in kept and ids]
    )
    failed.sort(key=lambda f: int(f["row"]))
    return len(kept), failed


def _store(
    tx: Tx,
    built: dict[str, tuple[int, dict[str, Any]]],
    campaign: dict[str, Any] | None,
    header: Header | None,
    updates: import_updates.Updates | None = None,
) -> list[dict[str, Any]]:
    """Insert the built rows; codes already in the project are removed from ``built`` and
    either update their voucher (a standalone CSV import) or fail."""
    repo = VoucherRepository(tx.conn, tx.project_id)
    binned = trash_bin.binned_codes(tx, list(built))
    taken = repo.existing_codes(list(built)) | binned
    failed = []
    for code in sorted(taken):
        number, row = built.pop(code)
        error = import_updates.updated(tx, code, row, updates, binned)
        if error is not None:
            failed.append(_failure(number, code, error, header))
    # Sorted codes touch the unique index page by page instead of at random.
    inserted = repo.insert_rows([built[code][1] for code in sorted(built)])
    if inserted != len(built):  # a concurrent writer took some codes meanwhile
        for code, (number, row) in list(built.items()):
            stored = repo.get_by_code(code)
            if stored is None or stored["id"] != row["id"]:
                built.pop(code)
                error = RowError("code", f"Voucher with code {code} already exists")
                failed.append(_failure(number, code, error, header))
    if campaign is not None and built:
        CampaignRepository(tx.conn, tx.project_id).add_to_count(campaign["id"], len(built))
    return failed


def _item(tx: Tx, raw: Any, header: Header | None) -> dict[str, Any]:
    if header is not None:
        item = csv_item(header, raw)
        if item.get("metadata"):  # CSV text, typed as the voucher metadata schema says
            item["metadata"] = typed_text(tx, "voucher", item["metadata"])
        return item
    if not isinstance(raw, dict):
        raise RowError("item", "must be a JSON object")
    return raw


def _code_of(raw: Any, header: Header | None) -> str:
    if header is not None:
        index = header.fields.index("code")
        return str(raw[index]).strip() if len(raw) > index else ""
    return str(raw.get("code") or "") if isinstance(raw, dict) else ""


def _failure(number: int, code: str, error: RowError, header: Header | None) -> dict[str, Any]:
    field = header.title(error.field) if header is not None else error.field
    return {"row": number, "code": code, "field": field, "reason": error.reason}


def _checked(field: str, check: Any, *args: Any) -> Any:
    """``check(*args)``, its errors reported against ``field``."""
    try:
        return check(*args)
    except VoucherifyError as error:
        raise RowError(field, error.details) from None
    except (TypeError, AttributeError, ValueError):
        raise RowError(field, "has the wrong type") from None


def _build(
    tx: Tx, item: dict[str, Any], campaign: dict[str, Any] | None, names: dict[str, str | None]
) -> dict[str, Any]:
    """A voucher row from an import item (raises RowError)."""
    code = item.get("code")
    if not isinstance(code, str) or not code.strip() or len(code) > 300:
        raise RowError("code", "is required (1 to 300 characters)")
    if not isinstance(item.get("metadata") or {}, dict):
        raise RowError("metadata", "must be an object")
    if item.get("active") not in {None, True, False}:
        raise RowError("active", "must be true or false")
    fields = {k: v for k, v in item.items() if k not in OWN_FIELDS}
    try:
        enforce(tx, "voucher", item.get("metadata"))
        if campaign is None:
            row = _standalone(tx, item, fields)
        else:
            row = _in_campaign(tx, item, fields, campaign)
    except VoucherifyError as error:
        # The helpers' details start with the field: "start_date must be …".
        field = error.details.split(" ", 1)[0].split(".", 1)[0]
        raise RowError(field, error.details) from None
    except (TypeError, AttributeError, ValueError):
        raise RowError("item", "a field has the wrong type") from None
    row["code"] = code
    row["category_id"] = _category(tx, item, names)
    _redeemed(item, row)
    return row


def _standalone(tx: Tx, item: dict[str, Any], fields: dict[str, Any]) -> dict[str, Any]:
    kind = item.get("type")
    if kind not in VOUCHER_TYPES:
        raise RowError("type", f"must be one of: {', '.join(VOUCHER_TYPES)}")
    value = _checked(VALUE_FIELD[kind], check_value, kind, item)
    return vouchers.base_row(tx, kind, value, fields)


def _in_campaign(
    tx: Tx, item: dict[str, Any], fields: dict[str, Any], campaign: dict[str, Any]
) -> dict[str, Any]:
    kind = campaign["attrs"]["voucher"]["type"]
    if item.get("type") not in {None, kind}:
        raise RowError("type", f"the campaign issues {kind} vouchers")
    row = vouchers.campaign_row(tx, campaign, fields)
    if item.get("gift") is not None:
        if kind != "GIFT_VOUCHER":
            raise RowError("gift", "only a gift card campaign takes a gift amount")
        amount = _checked("gift", check_value, kind, item)["gift"]["amount"]
        row["gift_amount"] = row["gift_balance"] = amount
    if item.get("loyalty_card") is not None:
        if kind != "LOYALTY_CARD":
            raise RowError("loyalty_card", "only a loyalty campaign takes points")
        points = _checked("loyalty_card", check_value, kind, item)["loyalty_card"]["points"]
        row["loyalty_points"] = row["loyalty_balance"] = points
    return row


def _redeemed(item: dict[str, Any], row: dict[str, Any]) -> None:
    quantity = item.get("redeemed_quantity")
    if quantity is not None:
        if not isinstance(quantity, int) or quantity < 0:
            raise RowError("redeemed_quantity", "must be a whole number >= 0")
        row["redeemed_quantity"] = quantity
    amount = item.get("redeemed_amount")
    if amount is not None:
        if row["gift_amount"] is None:
            raise RowError("redeemed_amount", "only a gift card has a redeemed amount")
        if not isinstance(amount, int) or not 0 <= amount <= row["gift_amount"]:
            raise RowError("redeemed_amount", "must be between 0 and the gift amount")
        row["gift_balance"] = row["gift_amount"] - amount


def _rule_ids(tx: Tx, item: dict[str, Any], names: dict[str, str | None]) -> list[str]:
    """The item's ``validation_rules`` (``Validation Rule ID`` in a CSV), each one existing."""
    wanted = item.get("validation_rules") or []
    if not isinstance(wanted, list) or not all(isinstance(i, str) for i in wanted):
        raise RowError("validation_rule_id", "must be a list of validation rule ids")
    for rule_id in wanted:
        key = "rule:" + rule_id
        if key not in names:
            names[key] = rule_id if validation_rules.exists(tx, rule_id) else None
        if names[key] is None:
            raise RowError("validation_rule_id", f"Validation rule {rule_id} does not exist")
    return list(wanted)


def _category(tx: Tx, item: dict[str, Any], names: dict[str, str | None]) -> str | None:
    ident = item.get("category_id") or item.get("category")
    if not ident:
        return None
    if not isinstance(ident, str):
        raise RowError("category", "must be a category name or id")
    if ident not in names:
        found = categories.find(tx, ident)
        names[ident] = found.id if found else None
    if names[ident] is None:
        raise RowError("category", f"Category {ident} does not exist")
    return names[ident]
