"""Period tiers (build/loyalty-tiers.mdx, "Points collected in a period"): periods in the
project's time zone, grants, expiries and extensions."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from openvoucher.kernel.errors import VoucherifyError
from openvoucher.loyalty.domain import tier_periods as periods
from openvoucher.loyalty.domain import tier_rounding, tier_settings

UTC_ZONE = ZoneInfo("UTC")
SILVER = {"id": "silver", "points_from": 100, "points_to": 499}
GOLD = {"id": "gold", "points_from": 500, "points_to": None}


def _rules(period: str, expiration: str = "END_OF_PERIOD", **extra: Any) -> periods.PeriodRules:
    setting = tier_settings.check(
        {
            "qualification_type": "POINTS_IN_PERIOD",
            "qualification_period": period,
            "expiration_date": {"type": expiration, **extra},
        },
        "LOYALTY_PROGRAM",
    )
    assert setting is not None
    return periods.rules_of(setting, UTC_ZONE)


def _at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


@pytest.mark.parametrize(
    ("period", "start", "end"),
    [
        ("MONTH", "2035-03-01", "2035-04-01"),
        ("QUARTER", "2035-01-01", "2035-04-01"),
        ("HALF_YEAR", "2035-01-01", "2035-07-01"),
        ("YEAR", "2035-01-01", "2036-01-01"),
    ],
)
def test_calendar_periods(period: str, start: str, end: str) -> None:
    """10 March falls in March, Q1, H1 and the year 2035; each ends where the next begins."""
    rules = _rules(period)
    begin = periods.period_start(_at("2035-03-10T09:00:00"), rules)
    assert (begin, periods.shifted(begin, rules, 1)) == (_at(start), _at(end))


def test_periods_follow_the_project_time_zone() -> None:
    """23:30 UTC on 31 March is already April in Warsaw: the April period starts at 22:00 UTC."""
    setting = tier_settings.check(
        {"qualification_type": "POINTS_IN_PERIOD", "qualification_period": "MONTH"},
        "LOYALTY_PROGRAM",
    )
    assert setting is not None
    rules = periods.rules_of(setting, ZoneInfo("Europe/Warsaw"))
    begin = periods.period_start(_at("2035-03-31T23:30:00"), rules)
    assert begin == _at("2035-03-31T22:00:00")
    assert periods.expiry(begin, rules) == _at("2035-04-30T22:00:00")


def test_docs_examples_of_expiration() -> None:
    """Monthly, granted 10 March: valid to 31 March (END_OF_PERIOD), to 30 April
    (END_OF_NEXT_PERIOD), to 7 April with a 7-day extension."""
    march = _at("2035-03-01T00:00:00")
    assert periods.expiry(march, _rules("MONTH")) == _at("2035-04-01T00:00:00")
    assert periods.expiry(march, _rules("MONTH", "END_OF_NEXT_PERIOD")) == _at("2035-05-01")
    assert periods.expiry(march, _rules("MONTH", extend="P7D")) == _at("2035-04-08T00:00:00")
    assert periods.expiry(march, _rules("MONTH", extend="P1M7D")) == _at("2035-05-08")


def test_grant_keeps_the_highest_tier_a_valid_period_gives() -> None:
    """Gold from Q1 (valid to the end of Q2) outranks Silver collected in Q2; once Q1's grant
    ends, Q2's Silver holds until the end of Q3."""
    rules = _rules("QUARTER", "END_OF_NEXT_PERIOD")
    earned = {_at("2035-01-01T00:00:00"): 600, _at("2035-04-01T00:00:00"): 150}

    def collected(begin: datetime, end: datetime) -> int:
        return earned.get(begin, 0)

    may = periods.grant(_at("2035-05-05T00:00:00"), rules, [SILVER, GOLD], collected)
    july = periods.grant(_at("2035-07-01T00:00:00"), rules, [SILVER, GOLD], collected)
    october = periods.grant(_at("2035-10-01T00:00:00"), rules, [SILVER, GOLD], collected)
    assert may == periods.Grant(GOLD, _at("2035-07-01T00:00:00"))
    assert july == periods.Grant(SILVER, _at("2035-10-01T00:00:00"))
    assert october is None


def test_next_instant_is_the_next_expiry() -> None:
    """With a 7-day extension monthly grants expire on the 8th at 00:00."""
    rules = _rules("MONTH", extend="P7D")
    assert periods.next_instant(_at("2035-03-10T00:00:00"), rules) == _at("2035-04-08")
    assert periods.next_instant(_at("2035-04-03T00:00:00"), rules) == _at("2035-04-08")
    assert periods.next_instant(_at("2035-04-08T00:00:00"), rules) == _at("2035-05-08")


def test_next_period_start_postpones_grants_by_a_period() -> None:
    """Docs: monthly, NEXT_PERIOD start, points reached on 10 March: nothing in March, the
    tier from 1 April to 30 April (END_OF_PERIOD); the next instant after 10 March is 1 April."""
    setting = tier_settings.check(
        {
            "qualification_type": "POINTS_IN_PERIOD",
            "qualification_period": "MONTH",
            "start_date": {"type": "NEXT_PERIOD"},
        },
        "LOYALTY_PROGRAM",
    )
    assert setting is not None
    rules = periods.rules_of(setting, UTC_ZONE)

    def collected(begin: datetime, end: datetime) -> int:
        return 150 if begin == _at("2035-03-01T00:00:00") else 0

    tiers = [SILVER, GOLD]
    assert periods.grant(_at("2035-03-10T09:00:00"), rules, tiers, collected) is None
    april = periods.grant(_at("2035-04-01T00:00:00"), rules, tiers, collected)
    assert april == periods.Grant(SILVER, _at("2035-05-01T00:00:00"))
    march = _at("2035-03-10T09:00:00")
    assert periods.upcoming(march, rules, tiers, collected) == _at("2035-04-01")
    assert periods.next_instant(march, rules) == _at("2035-04-01T00:00:00")


@pytest.mark.parametrize(
    ("since", "months", "rounding", "ends"),
    [
        ("2035-02-10T10:00:00", 3, None, "2035-05-10T10:00:00"),
        ("2035-02-10T10:00:00", 3, {"type": "MONTH"}, "2035-06-01T00:00:00"),
        ("2035-02-10T10:00:00", 3, {"type": "QUARTER"}, "2035-07-01T00:00:00"),
        ("2035-02-10T10:00:00", 3, {"type": "HALF_YEAR"}, "2035-07-01T00:00:00"),
        ("2035-02-10T10:00:00", 3, {"type": "YEAR"}, "2036-01-01T00:00:00"),
        ("2035-07-01T00:00:00", 3, {"type": "MONTH"}, "2035-10-01T00:00:00"),
        ("2035-11-30T08:00:00", 3, None, "2036-02-29T08:00:00"),
    ],
)
def test_custom_expiry_counts_months_and_rounds_up(
    since: str, months: int, rounding: dict[str, Any] | None, ends: str
) -> None:
    """Docs, CUSTOM balance expiry: months from reaching the tier, rounded up to the end of the
    month / quarter / half-year / year (an end on a boundary stays; short months clip)."""
    found = periods.custom_expiry(_at(since), months, 0, tier_rounding.of(rounding), UTC_ZONE)
    assert found == _at(ends)


@pytest.mark.parametrize(
    ("since", "months", "rounding", "ends"),
    [
        # END of a particular month (value 0 = January … 11 = December): the next such month.
        ("2035-02-10T10:00:00", 3, {"type": "CUSTOM", "value": 5}, "2035-07-01T00:00:00"),
        ("2035-02-10T10:00:00", 3, {"type": "CUSTOM", "value": 4}, "2035-06-01T00:00:00"),
        ("2035-02-10T10:00:00", 3, {"type": "CUSTOM", "value": 2}, "2036-04-01T00:00:00"),
        ("2035-02-10T10:00:00", 3, {"type": "CUSTOM", "value": 11}, "2036-01-01T00:00:00"),
        # START: the start of that period, never at or before reaching the tier.
        ("2035-02-10T10:00:00", 3, {"type": "MONTH", "strategy": "START"}, "2035-05-01T00:00:00"),
        ("2035-02-10T10:00:00", 3, {"type": "QUARTER", "strategy": "START"}, "2035-04-01"),
        (
            "2035-02-10T10:00:00",
            3,
            {"type": "CUSTOM", "strategy": "START", "value": 5},
            "2035-06-01",
        ),
        ("2035-02-10T10:00:00", 1, {"type": "YEAR", "strategy": "START"}, "2035-03-10T10:00:00"),
        (
            "2035-02-10T10:00:00",
            3,
            {"type": "CUSTOM", "strategy": "START", "value": 4},
            "2035-05-01",
        ),
    ],
)
def test_custom_expiry_rounds_to_a_particular_month_or_the_period_start(
    since: str, months: int, rounding: dict[str, Any], ends: str
) -> None:
    """Spec, rounding "Specific Month" (CUSTOM, unit MONTH, value 0-11) and strategy START."""
    found = periods.custom_expiry(_at(since), months, 0, tier_rounding.of(rounding), UTC_ZONE)
    assert found == _at(ends)


def test_period_tiers_take_rounding_on_their_expiry() -> None:
    """Monthly period tiers with a 7-day extension rounded to the quarter's end (END) or the
    month's start (START): the rounding applies to the extended expiry."""
    quarter = {"type": "QUARTER", "strategy": "END"}
    rules = _rules("MONTH", extend="P7D", rounding=quarter)
    assert periods.expiry(_at("2035-03-01"), rules) == _at("2035-07-01")
    assert periods.expiry(_at("2035-04-01"), rules) == _at("2035-07-01")
    assert periods.expiry(_at("2035-02-01"), rules) == _at("2035-04-01")
    assert periods.next_instant(_at("2035-03-20"), rules) == _at("2035-04-01")
    assert periods.next_instant(_at("2035-04-02"), rules) == _at("2035-07-01")
    start = _rules("MONTH", extend="P7D", rounding={"type": "MONTH", "strategy": "START"})
    assert periods.expiry(_at("2035-03-01"), start) == _at("2035-04-01")


@pytest.mark.parametrize(
    ("setting", "key", "field"),
    [
        ({"qualification_type": "POINTS_IN_PERIOD"}, "invalid_payload", "qualification_period"),
        (
            {"qualification_type": "POINTS_IN_PERIOD", "qualification_period": "WEEK"},
            "invalid_payload",
            "qualification_period",
        ),
        (
            {
                "expiration_date": {
                    "type": "CUSTOM",
                    "extend": "P3M",
                    "rounding": {"type": "CUSTOM"},
                }
            },
            "invalid_payload",
            "expiration_date.rounding.value",
        ),
        (
            {"expiration_date": {"type": "BALANCE_DROP", "rounding": {"type": "MONTH"}}},
            "not_supported",
            "expiration_date.rounding",
        ),
        (
            {
                "expiration_date": {
                    "type": "CUSTOM",
                    "extend": "P3M",
                    "rounding": {"type": "YEAR", "strategy": "MIDDLE"},
                }
            },
            "invalid_payload",
            "expiration_date.rounding.strategy",
        ),
        (
            {
                "expiration_date": {
                    "type": "CUSTOM",
                    "extend": "P3M",
                    "rounding": {"type": "YEAR", "value": 3},
                }
            },
            "invalid_payload",
            "expiration_date.rounding.unit and value",
        ),
        (
            {"qualification_type": "BALANCE", "start_date": {"type": "NEXT_PERIOD"}},
            "not_supported",
            "start_date.type NEXT_PERIOD",
        ),
        (
            {
                "qualification_type": "POINTS_IN_PERIOD",
                "qualification_period": "MONTH",
                "expiration_date": {"type": "CUSTOM"},
            },
            "not_supported",
            "expiration_date.type CUSTOM",
        ),
        (
            {
                "qualification_type": "POINTS_IN_PERIOD",
                "qualification_period": "MONTH",
                "expiration_date": {"type": "END_OF_PERIOD", "extend": "P1Y"},
            },
            "invalid_payload",
            "expiration_date.extend",
        ),
        ({"expiration_date": {"type": "END_OF_PERIOD"}}, "not_supported", "END_OF_PERIOD"),
    ],
)
def test_settings_not_applied_are_refused(setting: dict[str, Any], key: str, field: str) -> None:
    """Missing or unknown periods, NEXT_PERIOD start of balance tiers, CUSTOM rounding and
    CUSTOM expiry of period tiers, rounding of period tiers, a bad extension, and
    period options on balance tiers are refused naming the field."""
    with pytest.raises(VoucherifyError) as raised:
        tier_settings.check(setting, "LOYALTY_PROGRAM")
    assert raised.value.key == key
    assert field in raised.value.details
