"""Pure rules of card definitions' earning and spending limits."""

from __future__ import annotations

from datetime import date

from openvoucher.loyalty.domain.v2_card_limits import (
    Usage,
    earnable,
    limits,
    period_start,
    spendable,
)


def _period(unit: str, most: int) -> dict[str, object]:
    current = {"type": "CURRENT_PERIOD", "current_period": {"unit": unit}}
    return {"type": "TIME_BASED", "period": current, "points": {"max": most}}


def test_period_starts_are_calendar_periods() -> None:
    """Day, ISO week (Monday), month, quarter and year of Thursday 14 August 2031."""
    today = date(2031, 8, 14)
    assert [period_start(u, today) for u in ("DAY", "WEEK", "MONTH", "QUARTER", "YEAR")] == [
        today,
        date(2031, 8, 11),
        date(2031, 8, 1),
        date(2031, 7, 1),
        date(2031, 1, 1),
    ]


def test_earnable_caps_globally_and_refuses_per_transaction() -> None:
    """A period limit caps to what is left, a balance limit to the room under it, and a
    transaction limit refuses an earning above it in full."""
    raw = {
        "global": {"type": "LIMITED", "limits": [_period("WEEK", 100)]},
        "transactions": {"type": "LIMITED", "limits": [{"type": "POINTS", "max": 50}]},
    }
    setting = limits(raw, "earning_limits")
    assert earnable(setting, 40, Usage(in_period=70)) == 30
    assert earnable(setting, 40, Usage(in_period=100)) == 0
    assert earnable(setting, 51, Usage()) == 0
    balance = limits(
        {"global": {"type": "LIMITED", "limits": [{"type": "BALANCE_BASED", "max": 80}]}},
        "earning_limits",
    )
    assert earnable(balance, 50, Usage(balance=60)) == 20
    assert earnable(limits(None, "earning_limits"), 999, Usage()) == 999


def test_spendable_is_the_stricter_capacity() -> None:
    """The lifetime limit and the transaction limit: the smaller of what is left; no limit is
    None."""
    raw = {
        "global": {"type": "LIMITED", "limits": [{"type": "SPENDING_BASED", "max": 500}]},
        "transactions": {"type": "LIMITED", "limits": [{"type": "POINTS", "max": 200}]},
    }
    setting = limits(raw, "spending_limits")
    assert spendable(setting, Usage(lifetime=100)) == 200
    assert spendable(setting, Usage(lifetime=450)) == 50
    assert spendable(setting, Usage(lifetime=600)) == 0
    assert spendable(limits({}, "spending_limits"), Usage(lifetime=10**9)) is None
