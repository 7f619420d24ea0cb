"""Code generation: patterns, charsets, spaces and exhaustion."""

from __future__ import annotations

import pytest

from openvoucher.catalog.domain.codes import (
    ALPHANUMERIC,
    CodeConfig,
    CodeSampler,
    InvalidCodeConfig,
    ensure_room,
    parse_code_config,
)


def test_default_config_is_eight_alphanumeric_chars() -> None:
    """Without settings a code is 8 characters from the alphanumeric charset."""
    config = parse_code_config(None)
    assert config.render() == {
        "length": 8,
        "charset": ALPHANUMERIC,
        "prefix": "",
        "postfix": "",
        "pattern": "########",
    }
    (code,) = CodeSampler(config).draw(1)
    assert len(code) == 8
    assert set(code) <= set(ALPHANUMERIC)


def test_pattern_prefix_postfix_and_letters() -> None:
    """``#`` takes charset chars, ``?`` letters, other characters stay; prefix/postfix wrap."""
    config = parse_code_config(
        {"pattern": "##-??", "charset": "0123456789", "prefix": "PRE-", "postfix": "-X"}
    )
    assert config.length == 4
    assert config.space == 10 * 10 * 52 * 52
    for code in CodeSampler(config).draw(200):
        assert code.startswith("PRE-")
        assert code.endswith("-X")
        body = code[4:-2]
        assert body[:2].isdigit()
        assert body[2] == "-"
        assert body[3:].isalpha()
        assert config.matches(code)
    assert not config.matches("PRE-1A-ab-X")


def test_spell_is_a_bijection_on_small_space() -> None:
    """Every number below the space spells a different code."""
    config = CodeConfig(pattern="#?", charset="ab")
    codes = {config.spell(n) for n in range(config.space)}
    assert len(codes) == config.space == 104


def test_dense_sampler_uses_the_whole_space_then_stops() -> None:
    """A small space yields each code once, then nothing (never loops)."""
    config = parse_code_config({"pattern": "##", "charset": "0123456789"})
    sampler = CodeSampler(config)
    first = sampler.draw(60)
    rest = sampler.draw(60)
    assert len(first) == 60
    assert len(rest) == 40
    assert len(set(first) | set(rest)) == 100
    assert sampler.draw(1) == []


def test_draw_is_distinct_within_a_batch() -> None:
    """A batch never repeats a code, even with a repeating random source."""
    values = iter([5, 5, 5, 7, 7, 9, *list(range(100, 200))])
    config = parse_code_config({"length": 6, "charset": "0123456789"})
    sampler = CodeSampler(config, randbelow=lambda _n: next(values))
    assert len(set(sampler.draw(3))) == 3


def test_too_small_space_is_refused_up_front() -> None:
    """Asking for more codes than the space (minus taken ones) holds is invalid_code_config."""
    config = parse_code_config({"pattern": "#", "charset": "0123456789"})
    ensure_room(config, 10)
    with pytest.raises(InvalidCodeConfig) as raised:
        ensure_room(config, 11)
    assert raised.value.key == "invalid_code_config"
    assert raised.value.status == 400
    with pytest.raises(InvalidCodeConfig):
        ensure_room(config, 5, taken=6)


@pytest.mark.parametrize(
    "raw",
    [{"length": 0}, {"pattern": "ABC"}, {"length": 2.5}, {"prefix": "x" * 299, "length": 2}],
)
def test_malformed_configs_are_invalid(raw: dict[str, object]) -> None:
    """Zero length, patterns without placeholders and over-long codes are refused."""
    with pytest.raises(InvalidCodeConfig):
        parse_code_config(raw)


def test_repeated_charset_characters_do_not_skew_the_odds() -> None:
    """A charset's duplicate characters are dropped."""
    assert parse_code_config({"charset": "aab", "length": 3}).charset == "ab"


def test_large_space_fast_path_follows_the_config() -> None:
    """Big spaces draw codes column by column; they still follow pattern and charset."""
    config = parse_code_config({"pattern": "??-####-##", "prefix": "P", "charset": "XYZ12"})
    codes = CodeSampler(config).draw(2000)
    assert len(set(codes)) == 2000
    assert all(config.matches(code) for code in codes)
    assert {code[6] for code in codes} == set("XYZ12")
