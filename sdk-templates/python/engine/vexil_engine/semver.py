"""Semantic versions read as node-semver reads them in strict mode (the TypeScript engine's
library): an optional leading "v", no leading zeros, at most 256 characters, surrounding
whitespace ignored; build metadata does not take part in comparisons."""

from __future__ import annotations

import re

MAX_LENGTH = 256
_MAX_SAFE_INTEGER = 9007199254740991
_NUMERIC_ID = r"0|[1-9][0-9]*"
_PRERELEASE_ID = rf"(?:[0-9]*[a-zA-Z-][a-zA-Z0-9-]*|{_NUMERIC_ID})"
_FULL = re.compile(
    rf"v?({_NUMERIC_ID})\.({_NUMERIC_ID})\.({_NUMERIC_ID})"
    rf"(?:-({_PRERELEASE_ID}(?:\.{_PRERELEASE_ID})*))?"
    r"(?:\+([a-zA-Z0-9-]+(?:\.[a-zA-Z0-9-]+)*))?"
)
# What String.prototype.trim removes: ECMAScript WhiteSpace and LineTerminator.
_JS_WHITESPACE = (
    "\t\n\v\f\r \u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a"
    "\u2028\u2029\u202f\u205f\u3000\ufeff"
)
_ALL_DIGITS = re.compile(r"[0-9]+")

Identifier = int | str


class SemVer:
    __slots__ = ("main", "prerelease")

    def __init__(self, main: tuple[int, int, int], prerelease: tuple[Identifier, ...]) -> None:
        self.main = main
        self.prerelease = prerelease

    def compare(self, other: SemVer) -> int:
        if self.main != other.main:
            return -1 if self.main < other.main else 1
        return _compare_prerelease(self.prerelease, other.prerelease)


def _identifier(text: str) -> Identifier:
    if _ALL_DIGITS.fullmatch(text):
        number = int(text)
        if number < _MAX_SAFE_INTEGER:
            return number
    return text


def _compare_identifiers(a: Identifier, b: Identifier) -> int:
    a_numeric = isinstance(a, int) or _ALL_DIGITS.fullmatch(a) is not None
    b_numeric = isinstance(b, int) or _ALL_DIGITS.fullmatch(b) is not None
    if a_numeric and b_numeric:
        x, y = int(a), int(b)
        return 0 if x == y else -1 if x < y else 1
    if a_numeric:
        return -1
    if b_numeric:
        return 1
    assert isinstance(a, str) and isinstance(b, str)
    # JavaScript compares strings by UTF-16 code units; identifiers here are ASCII.
    return 0 if a == b else -1 if a < b else 1


def _compare_prerelease(a: tuple[Identifier, ...], b: tuple[Identifier, ...]) -> int:
    if a and not b:
        return -1
    if b and not a:
        return 1
    for x, y in zip(a, b, strict=False):
        if x != y:
            return _compare_identifiers(x, y)
    return (len(a) > len(b)) - (len(a) < len(b))


_cache: dict[str, SemVer | None] = {}
_CACHE_LIMIT = 1024


def _parse(value: str) -> SemVer | None:
    if len(value.encode("utf-16-le", "surrogatepass")) // 2 > MAX_LENGTH:
        return None
    match = _FULL.fullmatch(value.strip(_JS_WHITESPACE))
    if match is None:
        return None
    main = (int(match.group(1)), int(match.group(2)), int(match.group(3)))
    if any(part > _MAX_SAFE_INTEGER for part in main):
        return None
    prerelease = match.group(4)
    ids = tuple(_identifier(p) for p in prerelease.split(".")) if prerelease else ()
    return SemVer(main, ids)


def to_semver(value: object) -> SemVer | None:
    """A semantic version, or None when the value is not one."""
    if not isinstance(value, str):
        return None
    if value in _cache:
        return _cache[value]
    parsed = _parse(value)
    if len(_cache) >= _CACHE_LIMIT:
        _cache.clear()
    _cache[value] = parsed
    return parsed
