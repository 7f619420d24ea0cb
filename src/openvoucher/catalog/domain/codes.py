"""Voucher code generation from a ``code_config`` (pattern, charset, prefix, postfix, length).

Every code of a config is a number in a mixed-radix space: each ``#`` of the pattern is a
digit in the charset, each ``?`` a digit in the letters, every other character is fixed.
Drawing random numbers below the space size (``secrets``) and spelling them out gives
uniform, unguessable codes; a space too small for the request is refused up front.
"""

from __future__ import annotations

import secrets
import string
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from random import SystemRandom
from typing import Any

from openvoucher.kernel.errors import VoucherifyError

ALPHANUMERIC = string.digits + string.ascii_lowercase + string.ascii_uppercase
LETTERS = string.ascii_lowercase + string.ascii_uppercase
DEFAULT_LENGTH = 8
MAX_CODE_LENGTH = 300
DENSE_SPACE = 1 << 20
"""Spaces up to this size remember every drawn number, so they can be used up exactly."""


class InvalidCodeConfig(VoucherifyError):
    """The code config is malformed or cannot yield enough distinct codes (400)."""

    key = "invalid_code_config"

    def __init__(self, details: str) -> None:
        super().__init__("Invalid code config", details)


@dataclass(frozen=True)
class CodeConfig:
    """A normalised code config: ``pattern`` is always set (``#`` × length by default)."""

    pattern: str
    charset: str = ALPHANUMERIC
    prefix: str = ""
    postfix: str = ""

    @property
    def length(self) -> int:
        """Number of random characters (placeholders) in a code."""
        return sum(1 for char in self.pattern if char in "#?")

    @property
    def space(self) -> int:
        """How many distinct codes the config can produce."""
        size = 1
        for char in self.pattern:
            if char == "#":
                size *= len(self.charset)
            elif char == "?":
                size *= len(LETTERS)
        return size

    def render(self) -> dict[str, Any]:
        """The ``code_config`` object as Voucherify shows it."""
        return {
            "length": self.length,
            "charset": self.charset,
            "prefix": self.prefix,
            "postfix": self.postfix,
            "pattern": self.pattern,
        }

    def spell(self, number: int) -> str:
        """The code for ``number`` (0 ≤ number < space)."""
        chars: list[str] = []
        for char in reversed(self.pattern):
            if char == "#":
                number, digit = divmod(number, len(self.charset))
                chars.append(self.charset[digit])
            elif char == "?":
                number, digit = divmod(number, len(LETTERS))
                chars.append(LETTERS[digit])
            else:
                chars.append(char)
        return self.prefix + "".join(reversed(chars)) + self.postfix

    def matches(self, code: str) -> bool:
        """Whether ``code`` could have been produced by this config."""
        size = len(self.prefix) + len(self.pattern) + len(self.postfix)
        if len(code) != size or not code.startswith(self.prefix):
            return False
        if not code.endswith(self.postfix):
            return False
        body = code[len(self.prefix) : len(self.prefix) + len(self.pattern)]
        return all(_fits(p, c, self.charset) for p, c in zip(self.pattern, body, strict=True))


def _fits(placeholder: str, char: str, charset: str) -> bool:
    if placeholder == "#":
        return char in charset
    if placeholder == "?":
        return char in LETTERS
    return placeholder == char


def parse_code_config(raw: Mapping[str, Any] | None) -> CodeConfig:
    """Validate and normalise a ``code_config`` request object."""
    raw = raw or {}
    charset = _dedupe(raw.get("charset") or ALPHANUMERIC)
    prefix = raw.get("prefix") or ""
    postfix = raw.get("postfix") or ""
    pattern = raw.get("pattern")
    if not pattern:
        length = raw.get("length")
        length = DEFAULT_LENGTH if length is None else length
        if isinstance(length, float) and length.is_integer():
            length = int(length)
        if not isinstance(length, int) or isinstance(length, bool) or length < 1:
            raise InvalidCodeConfig("'length' must be a positive integer")
        pattern = "#" * length
    config = CodeConfig(pattern=pattern, charset=charset, prefix=prefix, postfix=postfix)
    if config.length == 0:
        raise InvalidCodeConfig("'pattern' must contain at least one '#' or '?' placeholder")
    if len(prefix) + len(pattern) + len(postfix) > MAX_CODE_LENGTH:
        raise InvalidCodeConfig(f"Generated codes would be longer than {MAX_CODE_LENGTH} chars")
    return config


def _dedupe(charset: str) -> str:
    """The charset with repeated characters removed (a repeat would skew the odds)."""
    return "".join(dict.fromkeys(charset))


def ensure_room(config: CodeConfig, count: int, taken: int = 0) -> None:
    """Refuse a request for ``count`` new codes when fewer than that are still free."""
    free = config.space - taken
    if count > free:
        raise InvalidCodeConfig(
            f"The code config can produce {config.space} distinct codes"
            f" ({max(free, 0)} still unused); {count} were requested."
            " Use a longer pattern or a bigger charset."
        )


def _alphabet(placeholder: str, charset: str) -> str:
    if placeholder == "#":
        return charset
    if placeholder == "?":
        return LETTERS
    return placeholder


def _random_column(alphabet: str, count: int) -> str:
    """``count`` characters drawn uniformly from ``alphabet`` (at most 256 characters)."""
    if len(alphabet) == 1:
        return alphabet * count
    size = len(alphabet)
    usable = 256 - 256 % size
    table = bytes(b % size for b in range(256))
    rejected = bytes(range(usable, 256))
    chosen = b""
    while len(chosen) < count:
        chosen += secrets.token_bytes(count - len(chosen) + 16).translate(table, rejected)
    indices = chosen[:count].decode("latin-1")
    return indices.translate(dict(enumerate(alphabet)))


class CodeSampler:
    """Draws batches of distinct random codes of one config.

    Small spaces remember every number handed out, so repeated draws never repeat and
    ``draw`` returns fewer codes (finally none) once the space is used up. Large spaces keep
    nothing between batches: a repeat across batches is astronomically rare and is caught by
    the database's unique constraint, which the caller tops up for.
    """

    def __init__(self, config: CodeConfig, randbelow: Callable[[int], int] | None = None) -> None:
        self.config = config
        self._randbelow = randbelow or secrets.randbelow
        self._dense = config.space <= DENSE_SPACE
        self._seen: set[int] = set()
        self._fast = randbelow is None and len(config.charset) <= 256

    def draw(self, count: int) -> list[str]:
        """Up to ``count`` codes, distinct from each other (and, in small spaces, from all
        earlier draws)."""
        if not self._dense and self._fast:
            return self._sparse_codes(count)
        numbers = self._dense_numbers(count) if self._dense else self._sparse_numbers(count)
        spell = self.config.spell
        return [spell(number) for number in numbers]

    def _sparse_codes(self, count: int) -> list[str]:
        """Distinct codes drawn column by column from bulk random bytes (fast path)."""
        config = self.config
        codes: set[str] = set()
        while len(codes) < count:
            missing = count - len(codes)
            columns = [
                _random_column(_alphabet(char, config.charset), missing) for char in config.pattern
            ]
            codes.update(
                config.prefix + "".join(chars) + config.postfix
                for chars in zip(*columns, strict=True)
            )
        return list(codes)[:count]

    def _sparse_numbers(self, count: int) -> Iterable[int]:
        space = self.config.space
        numbers: set[int] = set()
        while len(numbers) < count:
            numbers.add(self._randbelow(space))
        return numbers

    def _dense_numbers(self, count: int) -> list[int]:
        space = self.config.space
        unseen = space - len(self._seen)
        if unseen <= 4 * count:
            pool = [n for n in range(space) if n not in self._seen]
            picked = SystemRandom().sample(pool, min(count, len(pool)))
        else:
            fresh: set[int] = set()
            while len(fresh) < count:
                number = self._randbelow(space)
                if number not in self._seen:
                    fresh.add(number)
            picked = list(fresh)
        self._seen.update(picked)
        return picked
