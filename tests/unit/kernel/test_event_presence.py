"""Unset optional fields are left out of event objects, per kind of object."""

from __future__ import annotations

from openvoucher.kernel import event_presence
from openvoucher.kernel.event_presence import without_unset


def test_unset_fields_of_known_objects_are_left_out() -> None:
    """A voucher's null gift and referrer go; its set fields and unknown kinds' nulls stay."""
    data = {
        "voucher": {"object": "voucher", "code": "A", "gift": None, "referrer_id": None},
        "holder": None,
        "other": {"object": "something", "gift": None},
    }
    assert without_unset(data) == {
        "voucher": {"object": "voucher", "code": "A"},
        "holder": None,
        "other": {"object": "something", "gift": None},
    }


def test_nested_plain_objects_and_lists() -> None:
    """Nested plain objects follow their parent's shape; lists are walked; input unchanged."""
    tier = {"object": "loyalty_tier", "points": {"from": 1, "to": None}, "name": None}
    customer = {"object": "customer", "email": None, "assets": {"cockpit_url": None}}
    data = {"tiers": [tier], "customer": customer}
    assert without_unset(data) == {
        "tiers": [{"object": "loyalty_tier", "points": {"from": 1}, "name": None}],
        "customer": {"object": "customer", "assets": {}},
    }
    assert tier["points"] == {"from": 1, "to": None}


def test_pruned_plain_tells_what_orjson_alone_can_encode() -> None:
    """Plain data is reported plain; NaN, infinities, tuples and other types are not."""
    from openvoucher.kernel.event_presence import pruned_plain

    data = {"voucher": {"object": "voucher", "gift": None, "n": 1.5, "tags": ["a", 1, True]}}
    assert pruned_plain(data) == (
        {"voucher": {"object": "voucher", "n": 1.5, "tags": ["a", 1, True]}},
        True,
    )
    for odd in (float("nan"), float("inf"), (1, 2), object()):
        pruned, plain = pruned_plain({"x": [odd]})
        assert pruned == {"x": [odd]}
        assert not plain


def test_root_plain_objects_lose_their_unset_keys() -> None:
    """The event data's own plain objects (no ``object``) drop unset keys by EVENT_DATA; other
    values are passed on as the same objects (the packer prunes and shares those)."""
    voucher = {"object": "voucher", "gift": None}
    data = {
        "event": {"id": "evcus_1", "group_id": None},
        "event_schema": {"id": None, "name": "visited"},
        "pending_points": {"updated_at": None, "details": {"event": {"group_id": None}}},
        "voucher": voucher,
    }
    pruned = event_presence.root_objects_pruned(data)
    assert pruned["event"] == {"id": "evcus_1"}
    assert pruned["event_schema"] == {"name": "visited"}
    assert pruned["pending_points"] == {"details": {"event": {}}}
    assert pruned["voucher"] is voucher
    assert data["event"]["group_id"] is None
