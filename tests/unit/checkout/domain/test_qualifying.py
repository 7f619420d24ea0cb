"""Qualification scenarios, filters and sorting, pure (guides/checking-eligibility.mdx)."""

from __future__ import annotations

import pytest

from openvoucher.catalog.domain import validation_rules as vr
from openvoucher.checkout.domain import qualifying as q
from openvoucher.kernel.errors import InvalidPayload


def test_scenarios_and_sorting_names() -> None:
    """ALL is the default; unknown scenarios and sorting rules are 400s."""
    assert q.scenario_of(None) == q.SCENARIOS["ALL"]
    assert q.scenario_of("AUDIENCE_ONLY").judge == q.AUDIENCE
    assert q.sorting_of(None) == "DEFAULT"
    with pytest.raises(InvalidPayload):
        q.scenario_of("EVERYTHING")
    with pytest.raises(InvalidPayload):
        q.sorting_of("CHEAPEST")


def test_filters_with_junctions() -> None:
    """AND needs every field to pass, OR one; $has_value / $is_unknown test presence."""
    raw = {
        "code": {"conditions": {"$in": ["A", "B"]}},
        "campaign_id": {"conditions": {"$is_unknown": True}},
    }
    both = q.check_filters(raw)
    assert q.passes(both, {"code": "A", "campaign_id": None})
    assert not q.passes(both, {"code": "A", "campaign_id": "camp_1"})
    either = q.check_filters({**raw, "junction": "OR"})
    assert q.passes(either, {"code": "A", "campaign_id": "camp_1"})
    assert not q.passes(either, {"code": "C", "campaign_id": "camp_1"})


def test_customer_rules_only_keeps_customer_rules() -> None:
    """Order rules are dropped, customer rules kept and all required; none left is None."""
    rules = vr.check_rules(
        {
            "1": {"name": "order.amount", "conditions": {"$more_than": [5000]}},
            "2": {"name": "customer.metadata", "property": "vip", "conditions": {"$is": [True]}},
            "logic": "1 or 2",
        }
    )
    kept = q.customer_rules_only(vr.Assigned((vr.RuleSet("val_1", rules),)))
    assert kept is not None
    assert dict(kept.sets[0].rules) == {"2": rules["2"], "logic": "2"}
    only_order = vr.check_rules({"1": rules["1"]})
    assert q.customer_rules_only(vr.Assigned((vr.RuleSet("val_2", only_order),))) is None


def test_sorting_by_deal() -> None:
    """BEST_DEAL: biggest applied discount first; LEAST_DEAL: smallest; ties keep order."""
    entries = [
        {"id": i, "order": {"total_applied_discount_amount": d}} for i, d in enumerate([5, 9, 5])
    ]
    assert [e["id"] for e in q.sort_entries(entries, "BEST_DEAL")] == [1, 0, 2]
    assert [e["id"] for e in q.sort_entries(entries, "LEAST_DEAL")] == [0, 2, 1]
    assert q.sort_entries(entries, "DEFAULT") == entries
