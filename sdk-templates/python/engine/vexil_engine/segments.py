"""Segments and matchers: "all of these segments and all of these conditions", shared by rules,
ring/targeted rollouts and experiment audiences. Segment membership: the key attribute listed in
``excluded`` → not a member (exclusion wins); in ``included`` → member; otherwise its conditions
decide (match all|any); a segment without conditions has only its included users."""

from __future__ import annotations

from .conditions import Condition, Context, prepare_condition
from .shape import MISSING, MalformedError, expect_object, optional_array
from .values import key_string

TARGETING_KEY = "targetingKey"


class Segment:
    __slots__ = ("conditions", "excluded", "included", "key", "match_any")

    def __init__(
        self, key: str, lists: tuple[frozenset[str], frozenset[str]], match_any: bool, conditions: list[Condition]
    ) -> None:
        self.key = key
        self.included, self.excluded = lists
        self.match_any = match_any
        self.conditions = conditions

    def has(self, context: Context) -> bool:
        key = key_string(context.get(self.key))
        if key is not None:
            if key in self.excluded:
                return False
            if key in self.included:
                return True
        if not self.conditions:
            return False
        if self.match_any:
            return any(c.test(context) for c in self.conditions)
        return all(c.test(context) for c in self.conditions)


class Matcher:
    __slots__ = ("conditions", "segments")

    def __init__(self, segments: list[Segment], conditions: list[Condition]) -> None:
        self.segments = segments
        self.conditions = conditions

    def matches(self, context: Context) -> bool:
        for segment in self.segments:
            if not segment.has(context):
                return False
        return all(condition.test(context) for condition in self.conditions)


def _string_set(raw: object, where: str) -> frozenset[str]:
    values = optional_array(raw, where)
    for value in values:
        if not isinstance(value, str):
            raise MalformedError(f"{where} must hold strings")
    return frozenset(values)  # type: ignore[arg-type]


def prepare_conditions(raw: object, where: str) -> list[Condition]:
    return [prepare_condition(c, f"{where}[{i}]") for i, c in enumerate(optional_array(raw, where))]


def prepare_segment(raw: object, where: str) -> Segment:
    segment = expect_object(raw, where)
    key = segment.get("key", MISSING)
    key = TARGETING_KEY if key is MISSING else key
    if not isinstance(key, str):
        raise MalformedError(f"{where}.key must be a string")
    match = segment.get("match", MISSING)
    if match is not MISSING and match not in ("all", "any"):
        raise MalformedError(f'{where}.match must be "all" or "any"')
    lists = (
        _string_set(segment.get("included", MISSING), f"{where}.included"),
        _string_set(segment.get("excluded", MISSING), f"{where}.excluded"),
    )
    conditions = prepare_conditions(segment.get("conditions", MISSING), f"{where}.conditions")
    return Segment(key, lists, match == "any", conditions)


def prepare_matcher(raw: object, where: str) -> Matcher:
    matcher = {} if raw is MISSING else expect_object(raw, where)
    segments = optional_array(matcher.get("segments", MISSING), f"{where}.segments")
    return Matcher(
        [prepare_segment(s, f"{where}.segments[{i}]") for i, s in enumerate(segments)],
        prepare_conditions(matcher.get("conditions", MISSING), f"{where}.conditions"),
    )
