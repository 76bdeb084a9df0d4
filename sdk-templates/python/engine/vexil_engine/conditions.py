"""Condition operators (the table in core/evaluate/operators.ts). A condition is prepared once
per snapshot (values parsed, regexes compiled, sets built) and then tested per evaluation.

A missing or null attribute makes every operator false (notX included); ``negate`` inverts the
final answer. Array attributes match when ANY element matches (contains: has the element).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from typing import Protocol, cast

import re2  # type: ignore[import-untyped]  # google-re2 ships no type information

from .semver import SemVer, to_semver
from .shape import MISSING, MalformedError, expect_array, expect_object
from .values import as_double, is_number, js_string, to_epoch_millis, to_number

Context = Mapping[str, object]


class Pattern(Protocol):
    """What the engine uses of a compiled google-re2 pattern."""

    def search(self, text: str) -> object | None: ...


ValueTest = Callable[["Condition", object], bool]

OPERATORS = (
    "equals", "notEquals", "contains", "notContains", "in", "notIn", "greaterThan", "lessThan",
    "regex", "greaterThanOrEqual", "lessThanOrEqual", "startsWith", "endsWith", "exists",
    "semverEquals", "semverGreaterThan", "semverLessThan", "before", "after",
)  # fmt: skip


class Condition:
    __slots__ = (
        "attribute",
        "case_insensitive",
        "dates",
        "exists",
        "holds",
        "holds_for_element",
        "invert",
        "negate",
        "number_set",
        "numbers",
        "regexes",
        "semvers",
        "string_set",
        "strings",
        "written_numbers",
    )  # fmt: skip

    def __init__(
        self, attribute: str, operator: str, values: list[str | int | float], flags: tuple[bool, bool]
    ) -> None:
        negate, case_insensitive = flags
        holds, invert = _TESTS[operator]
        self.attribute = attribute
        self.holds: ValueTest = holds
        self.holds_for_element: ValueTest = _equals_any if operator in ("contains", "notContains") else holds
        self.invert = invert
        self.negate = negate
        self.exists = operator == "exists"
        self.case_insensitive = case_insensitive
        self.strings = [js_string(v).lower() if case_insensitive else js_string(v) for v in values]
        self.string_set = frozenset(self.strings)
        self.numbers = [n for n in (to_number(v) for v in values) if not math.isnan(n)]
        self.number_set = frozenset(self.numbers)
        self.written_numbers = frozenset(as_double(v) for v in values if not isinstance(v, str))
        semvers = [to_semver(js_string(v)) for v in values] if operator.startswith("semver") else []
        self.semvers: list[SemVer] = [v for v in semvers if v is not None]
        dates = [to_epoch_millis(v) for v in values] if operator in ("before", "after") else []
        self.dates = [d for d in dates if not math.isnan(d)]
        regexes = [_compile(js_string(v), case_insensitive) for v in values] if operator == "regex" else []
        self.regexes = [r for r in regexes if r is not None]

    def test(self, context: Context) -> bool:
        value = context.get(self.attribute)
        if value is None:
            return self.negate
        if self.exists:
            return not self.negate
        if isinstance(value, (list, tuple)):
            element_test = self.holds_for_element
            matched = any(e is not None and element_test(self, e) for e in value)
        else:
            matched = self.holds(self, value)
        return (matched != self.invert) != self.negate


def _compile(pattern: str, case_insensitive: bool) -> Pattern | None:
    options = re2.Options()
    options.case_sensitive = not case_insensitive
    options.log_errors = False
    try:
        return cast(Pattern, re2.compile(pattern, options))
    except re2.error:
        return None


def _text(c: Condition, value: str) -> str:
    return value.lower() if c.case_insensitive else value


def _equals_any(c: Condition, value: object) -> bool:
    if isinstance(value, str):
        if _text(c, value) in c.string_set:
            return True
        return bool(c.written_numbers) and to_number(value) in c.written_numbers
    if isinstance(value, bool):
        return ("true" if value else "false") in c.string_set
    if is_number(value):
        return as_double(value) in c.number_set  # type: ignore[arg-type]
    return False


def _contains_any(c: Condition, value: object) -> bool:
    if not isinstance(value, str):
        return False
    subject = _text(c, value)
    return any(s in subject for s in c.strings)


def _starts_with_any(c: Condition, value: object) -> bool:
    if not isinstance(value, str):
        return False
    subject = _text(c, value)
    return any(subject.startswith(s) for s in c.strings)


def _ends_with_any(c: Condition, value: object) -> bool:
    if not isinstance(value, str):
        return False
    subject = _text(c, value)
    return any(subject.endswith(s) for s in c.strings)


def _regex_any(c: Condition, value: object) -> bool:
    if not isinstance(value, str):
        return False
    return any(r.search(value) is not None for r in c.regexes)


def _numeric(compare: Callable[[float, float], bool]) -> ValueTest:
    def test(c: Condition, value: object) -> bool:
        n = to_number(value)
        return not math.isnan(n) and any(compare(n, v) for v in c.numbers)

    return test


def _semver(compare: Callable[[int], bool]) -> ValueTest:
    def test(c: Condition, value: object) -> bool:
        version = to_semver(value)
        return version is not None and any(compare(version.compare(v)) for v in c.semvers)

    return test


def _date(compare: Callable[[float, float], bool]) -> ValueTest:
    def test(c: Condition, value: object) -> bool:
        t = to_epoch_millis(value)
        return not math.isnan(t) and any(compare(t, v) for v in c.dates)

    return test


def _never(_c: Condition, _value: object) -> bool:
    return False


_TESTS: dict[str, tuple[ValueTest, bool]] = {
    "equals": (_equals_any, False),
    "in": (_equals_any, False),
    "notEquals": (_equals_any, True),
    "notIn": (_equals_any, True),
    "contains": (_contains_any, False),
    "notContains": (_contains_any, True),
    "startsWith": (_starts_with_any, False),
    "endsWith": (_ends_with_any, False),
    "regex": (_regex_any, False),
    "greaterThan": (_numeric(lambda a, b: a > b), False),
    "greaterThanOrEqual": (_numeric(lambda a, b: a >= b), False),
    "lessThan": (_numeric(lambda a, b: a < b), False),
    "lessThanOrEqual": (_numeric(lambda a, b: a <= b), False),
    "semverEquals": (_semver(lambda order: order == 0), False),
    "semverGreaterThan": (_semver(lambda order: order > 0), False),
    "semverLessThan": (_semver(lambda order: order < 0), False),
    "before": (_date(lambda a, b: a < b), False),
    "after": (_date(lambda a, b: a > b), False),
    "exists": (_never, False),
}


def prepare_condition(raw: object, where: str) -> Condition:
    """Prepares one condition; raises MalformedError naming ``where`` when its shape is wrong."""
    condition = expect_object(raw, where)
    attribute = condition.get("attribute", MISSING)
    if not isinstance(attribute, str):
        raise MalformedError(f"{where}.attribute must be a string")
    operator = condition.get("operator", MISSING)
    if not isinstance(operator, str) or operator not in _TESTS:
        raise MalformedError(f'unknown operator "{js_string_of(operator)}"')
    values: list[str | int | float] = []
    raw_values = condition.get("values", MISSING)
    if raw_values is not MISSING:
        for value in expect_array(raw_values, f"{where}.values"):
            if not isinstance(value, str) and not is_number(value):
                raise MalformedError(f"{where}.values must hold strings and numbers")
            values.append(value)  # type: ignore[arg-type]
    flags = (condition.get("negate") is True, condition.get("caseInsensitive") is True)
    return Condition(attribute, operator, values, flags)


def js_string_of(value: object) -> str:
    return "undefined" if value is MISSING else str(value)
