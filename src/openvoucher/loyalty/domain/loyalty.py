"""Loyalty arithmetic: point expiration dates, bucket consumption, earning and tiers.

Pure: the caller passes dates and rows. Points are integers; dates are calendar dates of the
project's time zone (``zone``; UTC when None). A bucket's expiration date is the last day its
points can be spent: they are deducted at local midnight after it (build/loyalty-points.mdx:
"every day at midnight in the timezone set in Project settings").
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from fractions import Fraction
from typing import Any

from openvoucher.kernel import project_time
from openvoucher.kernel.errors import VoucherifyError
from openvoucher.kernel.formula_env import check
from openvoucher.kernel.formulas import whole

POINTS_ACCRUAL = "POINTS_ACCRUAL"
POINTS_REDEMPTION = "POINTS_REDEMPTION"
POINTS_REFUND = "POINTS_REFUND"
POINTS_ADDITION = "POINTS_ADDITION"
POINTS_REMOVAL = "POINTS_REMOVAL"
POINTS_EXPIRATION = "POINTS_EXPIRATION"
POINTS_TRANSFER_IN = "POINTS_TRANSFER_IN"
POINTS_TRANSFER_OUT = "POINTS_TRANSFER_OUT"
PENDING_POINTS_ACTIVATION = "PENDING_POINTS_ACTIVATION"

SIGNS = {
    POINTS_ACCRUAL: 1,
    POINTS_REFUND: 1,
    POINTS_ADDITION: 1,
    POINTS_TRANSFER_IN: 1,
    PENDING_POINTS_ACTIVATION: 1,
    POINTS_REDEMPTION: -1,
    POINTS_REMOVAL: -1,
    POINTS_EXPIRATION: -1,
    POINTS_TRANSFER_OUT: -1,
}
"""Each transaction type and the sign of its effect on the card's balance."""

ROUNDING_MONTHS = {"END_OF_QUARTER": 3, "END_OF_HALF_YEAR": 6, "END_OF_YEAR": 12}


def _invalid(details: str) -> VoucherifyError:
    return VoucherifyError("Invalid payload", details, key="invalid_payload")


def add_months(day: date, months: int) -> date:
    """``day`` moved by ``months``; a day the target month lacks becomes its last day."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(day.day, last))


def end_of_month(year: int, month: int) -> date:
    """The last day of ``month`` in ``year``."""
    return date(year, month, calendar.monthrange(year, month)[1])


def _round_up(day: date, rounding: str | None, value: int | None) -> date:
    if rounding is None:
        return day
    if rounding == "END_OF_MONTH":
        return end_of_month(day.year, day.month)
    if rounding in ROUNDING_MONTHS:
        step = ROUNDING_MONTHS[rounding]
        month = -(-day.month // step) * step
        return end_of_month(day.year, month)
    if rounding == "PARTICULAR_MONTH":
        if value is None or not 1 <= value <= 12:
            raise _invalid("expiration_rules.rounding_value must be a month, 1 to 12")
        year = day.year if value >= day.month else day.year + 1
        return end_of_month(year, value)
    raise _invalid(f"Unknown expiration_rules.rounding_type {rounding}")


def _fixed_day(day: date, month: int | None, day_of_month: int | None) -> date:
    if month is None or day_of_month is None or not 1 <= month <= 12:
        raise _invalid("FIXED_DAY_OF_YEAR needs fixed_month (1-12) and fixed_day (1-31)")
    for year in (day.year, day.year + 1):
        last = calendar.monthrange(year, month)[1]
        candidate = date(year, month, min(day_of_month, last))
        if candidate >= day:
            return candidate
    raise AssertionError("unreachable: next year's date is always later")


def expiration_date(earned: date, rules: dict[str, Any] | None) -> date | None:
    """The last day points earned on ``earned`` can be spent under ``expiration_rules``
    (None: they never expire)."""
    if not rules or not rules.get("period_type"):
        return None
    kind = rules["period_type"]
    if kind == "MONTH":
        months = rules.get("period_value")
        if months is None or months < 0:
            raise _invalid("expiration_rules.period_value must be a number of months >= 0")
        shifted = add_months(earned, int(months))
        return _round_up(shifted, rules.get("rounding_type"), rules.get("rounding_value"))
    if kind == "FIXED_DAY_OF_YEAR":
        return _fixed_day(earned, rules.get("fixed_month"), rules.get("fixed_day"))
    raise _invalid(f"Unknown expiration_rules.period_type {kind}")


def check_expiration_rules(rules: dict[str, Any] | None) -> dict[str, Any] | None:
    """The rules as stored (nulls dropped), after checking they give a date."""
    if not rules:
        return None
    cleaned = {k: v for k, v in rules.items() if v is not None}
    expiration_date(date(2024, 1, 31), cleaned)
    return cleaned


def deduction_moment(last_day: date, zone: str | None = None) -> datetime:
    """When points whose last day is ``last_day`` are deducted: the project's midnight after."""
    return project_time.to_utc(last_day + timedelta(days=1), zone)


def last_day(moment: datetime, zone: str | None = None) -> date:
    """The inverse of :func:`deduction_moment`."""
    return project_time.local_date(moment, zone) - timedelta(days=1)


@dataclass(frozen=True)
class Bucket:
    """Unspent points of one addition and when they expire (None: never)."""

    id: str
    points: int
    expires_at: datetime | None
    seq: int = 0


def spending_order(buckets: list[Bucket]) -> list[Bucket]:
    """Soonest-expiring first; never-expiring last; older before newer."""
    return sorted(
        buckets,
        key=lambda b: (
            b.expires_at is None,
            b.expires_at or datetime.min.replace(tzinfo=UTC),
            b.seq,
        ),
    )


def consume(buckets: list[Bucket], untracked: int, points: int) -> list[tuple[str, int]]:
    """Which buckets ``points`` come from, as ``(bucket id, points taken)``, soonest-expiring
    first; ``untracked`` points (held without a bucket, never expiring) go last and are
    reported under the id ``""``. More than is held raises ``insufficient points``."""
    held = sum(b.points for b in buckets) + untracked
    if points > held:
        raise VoucherifyError(
            "Insufficient points",
            f"Cannot take {points} points: the card holds {held}",
            key="not_enough_points",
        )
    taken: list[tuple[str, int]] = []
    left = points
    for bucket in spending_order(buckets):
        if left == 0:
            break
        part = min(bucket.points, left)
        if part:
            taken.append((bucket.id, part))
            left -= part
    if left:
        taken.append(("", left))
    return taken


def next_expiration(buckets: list[Bucket], zone: str | None = None) -> tuple[date, int] | None:
    """The next expiration date and the points due then (all buckets sharing that day)."""
    dated = [b for b in buckets if b.expires_at is not None and b.points > 0]
    if not dated:
        return None
    days = [last_day(b.expires_at, zone) for b in dated if b.expires_at is not None]
    soonest = min(days)
    due = sum(b.points for b, day in zip(dated, days, strict=True) if day == soonest)
    return soonest, due


def proportional(value: int, every: int, points: int) -> int:
    """``points`` for each whole ``every`` in ``value`` (rounded down; never negative)."""
    if every <= 0 or value <= 0:
        return 0
    return (value // every) * points


def map_points(points: int, mapping: dict[str, Any] | None) -> int:
    """Points after a tier's mapping: ``MULTIPLY`` (exact, rounded down) or ``CUSTOM`` points."""
    if not mapping:
        return points
    if mapping.get("type") == "CUSTOM":
        return int(mapping.get("points") or 0)
    multiplier = mapping.get("multiplier")
    if multiplier is None:
        return points
    return int(Fraction(str(multiplier)) * points)


def tier_for(balance: int, tiers: list[dict[str, Any]]) -> dict[str, Any] | None:
    """The tier whose points range holds ``balance`` (ranges are inclusive; ``to`` None is
    open-ended); the highest such tier when ranges overlap."""
    fitting = [
        t
        for t in tiers
        if t["points_from"] <= balance and (t["points_to"] is None or balance <= t["points_to"])
    ]
    if not fitting:
        return None
    return max(fitting, key=lambda t: t["points_from"])


ORDER_CALCULATIONS = {
    "ORDER_AMOUNT": ("order", "amount"),
    "ORDER_TOTAL_AMOUNT": ("order", "total_amount"),
    "ORDER_METADATA": ("order", "metadata"),
    "ORDER_ITEMS_QUANTITY": ("order_items", "quantity"),
    "ORDER_ITEMS_AMOUNT": ("order_items", "amount"),
    "ORDER_ITEMS_SUBTOTAL_AMOUNT": ("order_items", "subtotal_amount"),
    "CUSTOM_EVENT_METADATA": ("custom_event", "metadata"),
    "CUSTOMER_METADATA": ("customer", "metadata"),
}
"""Each proportional calculation and where its ``every``/``points`` live in ``loyalty``."""


def _number(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return 0
    return int(value)


def _item_matches(item: dict[str, Any], spec: dict[str, Any]) -> bool:
    targets = list(spec.get("applicable_to") or [])
    if spec.get("id"):
        targets.append({"object": spec.get("object") or "product", "id": spec["id"]})
    if not targets:
        return True
    for target in targets:
        key = "sku_id" if target.get("object") == "sku" else "product_id"
        nested = (item.get("sku") if key == "sku_id" else item.get("product")) or {}
        if target.get("id") in {item.get(key), nested.get("id"), nested.get("source_id")}:
            return True
    return False


def measure(calculation: str, spec: dict[str, Any], facts: dict[str, Any]) -> int:
    """The value a proportional rule counts in: an order's amount, item quantities, a
    metadata number. ``facts`` holds ``order`` (rendered), ``event_metadata`` and/or
    ``customer_metadata``."""
    order = facts.get("order") or {}
    if calculation in {"ORDER_AMOUNT", "ORDER_TOTAL_AMOUNT"}:
        return _number(order.get(ORDER_CALCULATIONS[calculation][1]))
    if calculation == "ORDER_METADATA":
        return _number((order.get("metadata") or {}).get(spec.get("property")))
    if calculation == "CUSTOM_EVENT_METADATA":
        return _number((facts.get("event_metadata") or {}).get(spec.get("property")))
    if calculation == "CUSTOMER_METADATA":
        return _number((facts.get("customer_metadata") or {}).get(spec.get("property")))
    field = ORDER_CALCULATIONS[calculation][1]
    items = [i for i in order.get("items") or [] if _item_matches(i, spec)]
    return sum(_number(item.get(field)) for item in items)


def _points(spec: dict[str, Any], facts: dict[str, Any], mapping: dict[str, Any] | None) -> int:
    """``spec``'s points: its ``points_formula`` computed with ``facts["env"]`` (the operands),
    ``points`` being the fallback; then the tier's ``mapping``."""
    fallback = int(spec.get("points") or 0)
    env = facts.get("env")
    if not spec.get("points_formula") or env is None:
        return map_points(fallback, mapping)
    return map_points(whole(str(spec["points_formula"]), env, fallback), mapping)


def earned_points(
    loyalty: dict[str, Any], facts: dict[str, Any], mapping: dict[str, Any] | None = None
) -> int:
    """Points a rule's ``loyalty`` definition gives for ``facts`` (FIXED or PROPORTIONAL; a
    ``points_formula`` computes the points, or the points per ``every``). A tier's ``mapping``
    applies to the rule's points value: a FIXED rule's points, a PROPORTIONAL rule's points per
    ``every`` (as the tier's earning-rules listing shows them; ADR 0067)."""
    if loyalty.get("type") == "FIXED":
        return _points(loyalty, facts, mapping)
    calculation = loyalty.get("calculation_type") or ""
    if calculation not in ORDER_CALCULATIONS:
        return 0
    group, field = ORDER_CALCULATIONS[calculation]
    spec = (loyalty.get(group) or {}).get(field) or {}
    return proportional(
        measure(calculation, spec, facts),
        int(spec.get("every") or 0),
        _points(spec, facts, mapping),
    )


def has_points_formula(loyalty: dict[str, Any]) -> bool:
    """Whether a rule computes its points with a formula."""
    if loyalty.get("points_formula"):
        return True
    group_field = ORDER_CALCULATIONS.get(str(loyalty.get("calculation_type") or ""))
    if group_field is None:
        return False
    spec = (loyalty.get(group_field[0]) or {}).get(group_field[1]) or {}
    return bool(spec.get("points_formula"))


def check_loyalty(loyalty: dict[str, Any] | None, event: str) -> dict[str, Any]:
    """A rule's ``loyalty`` definition, checked: FIXED with points >= 0, or PROPORTIONAL with a
    calculation fitting the event and ``every`` >= 1, ``points`` >= 0."""
    if not loyalty:
        raise _invalid("loyalty is required")
    cleaned = {k: v for k, v in loyalty.items() if v is not None}
    kind = cleaned.get("type")
    if kind == "FIXED":
        _check_amount(cleaned, "loyalty")
        return cleaned
    if kind != "PROPORTIONAL":
        raise _invalid("loyalty.type must be FIXED or PROPORTIONAL")
    calculation = cleaned.get("calculation_type")
    allowed = _calculations_for(event)
    if calculation not in allowed:
        raise _invalid(f"loyalty.calculation_type must be one of: {', '.join(sorted(allowed))}")
    group, field = ORDER_CALCULATIONS[str(calculation)]
    spec = (cleaned.get(group) or {}).get(field)
    if not isinstance(spec, dict):
        raise _invalid(f"loyalty.{group}.{field} is required for {calculation}")
    where = f"loyalty.{group}.{field}"
    _check_amount(spec, where)
    every = spec.get("every")
    if isinstance(every, bool) or not isinstance(every, int) or every < 1:
        raise _invalid(f"{where}.every must be a positive integer")
    if calculation.endswith("METADATA") and not spec.get("property"):
        raise _invalid(f"{where}.property is required for {calculation}")
    if any(t.get("object") == "products_collection" for t in spec.get("applicable_to") or []):
        raise _invalid("products_collection targets are not supported; name products or SKUs")
    return cleaned


def _calculations_for(event: str) -> set[str]:
    """Proportional calculations an event's rule may use: the customer's metadata always (the
    spec's examples use it with every event), the order's with ``order.paid``, the custom
    event's metadata with custom events."""
    if event == "order.paid":
        return {k for k in ORDER_CALCULATIONS if k != "CUSTOM_EVENT_METADATA"}
    if event.startswith("customer.loyalty.tier.") or event == "customer.segment.entered":
        return {"CUSTOMER_METADATA"}
    return {"CUSTOM_EVENT_METADATA", "CUSTOMER_METADATA"}


def _check_amount(spec: dict[str, Any], where: str) -> None:
    if spec.get("points_formula") is not None:
        check(spec["points_formula"], f"{where}.points_formula", earning=True)
    points = spec.get("points")
    if isinstance(points, bool) or not isinstance(points, int) or points < 0:
        raise _invalid(f"{where}.points must be a non-negative integer")
