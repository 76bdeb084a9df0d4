"""Shape checks for snapshot content: a malformed flag becomes a PARSE_ERROR naming the bad
field. A key that is absent (MISSING) differs from one that is null, as in the TypeScript engine."""

from __future__ import annotations

import math
from collections.abc import Mapping


class MalformedError(Exception):
    """A snapshot entry that cannot be evaluated; the message names the field."""


class _Missing:
    __slots__ = ()

    def __repr__(self) -> str:
        return "MISSING"


MISSING: object = _Missing()


def expect_object(value: object, where: str) -> Mapping[str, object]:
    if not isinstance(value, Mapping):
        raise MalformedError(f"{where} must be an object")
    return value


def expect_array(value: object, where: str) -> list[object]:
    if not isinstance(value, list):
        raise MalformedError(f"{where} must be an array")
    return value


def optional_array(value: object, where: str) -> list[object]:
    return [] if value is MISSING else expect_array(value, where)


def expect_string(value: object, where: str) -> str:
    if not isinstance(value, str):
        raise MalformedError(f"{where} must be a string")
    return value


def expect_number(value: object, where: str) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise MalformedError(f"{where} must be a finite number")
    try:
        number = float(value)
    except OverflowError:
        number = math.inf
    if not math.isfinite(number):
        raise MalformedError(f"{where} must be a finite number")
    return number
