"""The malloc arena cap ``openvoucher serve`` applies (docs/adr/0069-soak-memory.md)."""

from __future__ import annotations

import pytest

from openvoucher.adapters.memory import DEFAULT_ARENAS, arenas_wanted, limit_arenas


@pytest.mark.parametrize(
    ("environ", "wanted"),
    [
        ({}, DEFAULT_ARENAS),
        ({"OPENVOUCHER_MALLOC_ARENAS": "4"}, 4),
        ({"OPENVOUCHER_MALLOC_ARENAS": "0"}, 0),
        ({"OPENVOUCHER_MALLOC_ARENAS": " "}, DEFAULT_ARENAS),
        ({"MALLOC_ARENA_MAX": "3", "OPENVOUCHER_MALLOC_ARENAS": "0"}, 3),
    ],
)
def test_the_cap_asked_for(environ: dict[str, str], wanted: int) -> None:
    """The default is two arenas; OPENVOUCHER_MALLOC_ARENAS changes it, MALLOC_ARENA_MAX wins."""
    assert arenas_wanted(environ) == wanted


def test_a_cap_that_is_not_a_number_is_an_error() -> None:
    """A malformed OPENVOUCHER_MALLOC_ARENAS names the variable."""
    with pytest.raises(ValueError, match="OPENVOUCHER_MALLOC_ARENAS"):
        arenas_wanted({"OPENVOUCHER_MALLOC_ARENAS": "many"})


def test_no_cap_leaves_the_environment_alone() -> None:
    """With the cap off nothing is applied and worker processes get no MALLOC_ARENA_MAX."""
    environ = {"OPENVOUCHER_MALLOC_ARENAS": "0"}
    assert limit_arenas(environ) == 0
    assert "MALLOC_ARENA_MAX" not in environ


def test_the_cap_is_applied_and_passed_to_workers() -> None:
    """On glibc the cap is applied to this process and exported for worker processes."""
    environ: dict[str, str] = {}
    assert limit_arenas(environ) == DEFAULT_ARENAS
    assert environ["MALLOC_ARENA_MAX"] == str(DEFAULT_ARENAS)
