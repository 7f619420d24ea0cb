"""Loyalty v2 tier structures mapped onto the v1 tier engine, and tier movements counted."""

from __future__ import annotations

import pytest

from openvoucher.kernel.errors import VoucherifyError
from openvoucher.loyalty.domain import tier_settings, v2_tier_rules


def _balance(expiration: dict[str, object] | None = None) -> dict[str, object]:
    return {
        "type": "POINT_BALANCE",
        "point_balance": {"card_definition_id": "lcdef_1"},
        "expiration": expiration or {"type": "NO_RETENTION"},
    }


def test_balance_structures_map_to_balance_tiers() -> None:
    """No retention drops with the balance; a fixed duration holds the tier (days or months)."""
    assert v2_tier_rules.v1_setting(_balance())["expiration_date"] == {"type": "BALANCE_DROP"}
    for unit, value, extend in (("DAY", 30, "P30D"), ("MONTH", 6, "P6M"), ("YEAR", 2, "P24M")):
        held = v2_tier_rules.check_duration(
            "POINT_BALANCE", {"fixed_duration": {"period": {"value": value, "unit": unit}}}
        )
        setting = v2_tier_rules.v1_setting(_balance(held))
        assert setting["expiration_date"] == {"type": "CUSTOM", "extend": extend}
        assert tier_settings.check(setting, "LOYALTY_PROGRAM") == setting


def test_points_earned_structures_map_to_period_tiers() -> None:
    """Three months tracked from the next period are quarters starting at NEXT_PERIOD."""
    attrs = {
        "type": "POINT_EARNED",
        "point_earned": {
            "card_definition_id": "lcdef_1",
            "period": {"value": 3, "unit": "MONTH"},
            "type": "NEXT_TRACKING_PERIOD",
        },
    }
    setting = v2_tier_rules.v1_setting(attrs)
    assert (setting["qualification_period"], setting["start_date"]) == (
        "QUARTER",
        {"type": "NEXT_PERIOD"},
    )
    assert tier_settings.check(setting, "LOYALTY_PROGRAM") == setting


@pytest.mark.parametrize(
    ("kind", "period"),
    [
        ("POINT_EARNED", {"value": 1, "unit": "MONTH"}),
        ("POINT_BALANCE", {"value": 4, "unit": "YEAR"}),
    ],
)
def test_durations_the_engine_cannot_hold_are_refused(kind: str, period: dict[str, object]) -> None:
    """A fixed duration on a points-earned structure or over 36 months is not_supported."""
    with pytest.raises(VoucherifyError) as refused:
        v2_tier_rules.check_duration(kind, {"fixed_duration": {"period": period}})
    assert refused.value.key == "not_supported"


def test_movements_are_counted_per_structure_and_tier() -> None:
    """Each movement counts once on its tier; the summary id joins the two ids."""
    rows = [
        {"tier_structure_id": "lts_a", "tier_id": "lt_1", "type": "JOINED"},
        {"tier_structure_id": "lts_a", "tier_id": "lt_2", "type": "UPGRADED"},
        {"tier_structure_id": "lts_a", "tier_id": "lt_1", "type": "LEFT"},
    ]
    found = v2_tier_rules.counted(rows)
    assert found[("lts_a", "lt_1")] == {
        "joins": 1,
        "upgrades": 0,
        "downgrades": 0,
        "lefts": 1,
        "prolongs": 0,
    }
    assert found[("lts_a", "lt_2")]["upgrades"] == 1
    assert v2_tier_rules.summary_id("lts_a", "lt_1") == "lptrs_a1"
