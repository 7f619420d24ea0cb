"""v2 earning rules' effects (points per earning item, benefits granted) and the earning
reports' period limits."""

from __future__ import annotations

from datetime import date

import pytest

from openvoucher.kernel.errors import VoucherifyError
from openvoucher.loyalty.domain import v2_earning_rules as rules
from openvoucher.loyalty.domain import v2_reports

WALLET = "lcdef_aa"
PER_100 = {
    "type": "POINTS_PROPORTIONAL",
    "points_proportional": {
        "calculation_type": "POST_DISCOUNT_ORDER_AMOUNT",
        "card_definition_id": WALLET,
        "order": {"total_amount": {"every": 100, "value": 2}},
    },
}


def _rule(*earnings: list[dict[str, object]]) -> dict[str, object]:
    return rules.settings(
        {
            "trigger": {"event": "customer.order.paid"},
            "earnings": [{"id": f"lernei_{i}", "effects": e} for i, e in enumerate(earnings)],
        }
    )


def test_points_per_earning_item_and_benefits() -> None:
    """Each earning item's points are kept apart (summed per wallet by ``earned``); BENEFIT
    effects name their benefit and give no points."""
    fixed = {"type": "POINTS", "points": {"value": 7, "card_definition_id": WALLET}}
    gift = {"type": "BENEFIT", "benefit": {"id": "lben_1"}}
    attrs = _rule([fixed, gift], [PER_100])
    order = {"amount": 1_000, "total_amount": 950}
    assert rules.earned_items(attrs, order) == [("lernei_0", WALLET, 7), ("lernei_1", WALLET, 18)]
    assert rules.earned(attrs, order) == {WALLET: 25}
    assert rules.granted(attrs) == [("lernei_0", "lben_1")]
    assert rules.benefits(attrs) == {"lben_1"}
    assert rules.card_definitions(attrs) == {WALLET}


def test_benefit_effect_needs_only_an_id() -> None:
    """A BENEFIT effect without ``benefit.id`` or with other keys is 400."""
    for bad in ({}, {"id": ""}, {"id": "lben_1", "points": 3}):
        with pytest.raises(VoucherifyError):
            _rule([{"type": "BENEFIT", "benefit": bad}])


def test_proportional_benefit_points_round_down() -> None:
    """A proportional benefit (same shape as the effect) gives whole steps only."""
    assert rules.effect_points(PER_100, {"total_amount": 299}) == (WALLET, 4)
    assert rules.effect_points(PER_100, {"total_amount": 99}) == (WALLET, 0)


def test_report_limits_per_resolution() -> None:
    """90 days, 12 weeks, 12 months, 4 quarters at most; one more period is 400."""
    assert len(v2_reports.checked_periods(date(2031, 1, 1), date(2031, 3, 31), "day")) == 90
    with pytest.raises(VoucherifyError):
        v2_reports.checked_periods(date(2031, 1, 1), date(2031, 4, 1), "day")
    assert len(v2_reports.checked_periods(date(2031, 1, 1), date(2031, 12, 31), "month")) == 12
    with pytest.raises(VoucherifyError):
        v2_reports.checked_periods(date(2031, 1, 1), date(2032, 1, 1), "quarter")
    assert v2_reports.checked_periods(date(2031, 3, 12), date(2031, 3, 14), "week") == [
        date(2031, 3, 10)
    ]


def test_points_on_custom_event_metadata() -> None:
    """``CUSTOM_EVENT_METADATA_VALUE``: 3 points per 2 of the whole number; a missing,
    boolean, text, negative or infinite value gives none; segment rules give fixed points
    only."""
    per_stars = {
        "type": "POINTS_PROPORTIONAL",
        "points_proportional": {
            "calculation_type": "CUSTOM_EVENT_METADATA_VALUE",
            "card_definition_id": WALLET,
            "custom_event": {"metadata": {"every": 2, "value": 3, "property": "stars"}},
        },
    }
    trigger = {"event": "customer.custom_event", "custom_event": {"schema_id": "ms_1"}}
    attrs = rules.settings({"trigger": trigger, "earnings": [{"effects": [per_stars]}]})
    assert rules.trigger_ref(attrs) == "ms_1"

    def given(value: object) -> dict[str, int]:
        return rules.earned(attrs, {rules.METADATA_FACTS: {"stars": value}})

    assert [given(v) for v in (9, 4.5)] == [{WALLET: 12}, {WALLET: 6}]
    for nothing in (None, True, "9", -4, float("inf"), float("nan")):
        assert given(nothing) == {}
    segment = {"event": "customer.segment.entered", "segment": {"id": "seg_1"}}
    with pytest.raises(VoucherifyError) as refused:
        rules.settings({"trigger": segment, "earnings": [{"effects": [per_stars]}]})
    assert refused.value.key == "not_supported"
