"""Builds a prepared flag from one compiled flag (core/evaluate/prepare-flag.ts), checking its
shape on the way: a malformed flag raises MalformedError, reported by evaluation as PARSE_ERROR."""

from __future__ import annotations

import math
from collections.abc import Mapping
from types import MappingProxyType

from .hashing import Salt, split_thresholds
from .result import Metadata, Reason
from .segments import TARGETING_KEY, Matcher, prepare_matcher
from .shape import MISSING, MalformedError, expect_array, expect_number, expect_object, expect_string, optional_array
from .values import as_double, is_number

FLAG_TYPES = ("boolean", "string", "number", "json")


class Variant:
    __slots__ = ("name", "value")

    def __init__(self, name: str, value: object) -> None:
        self.name = name
        self.value = value


class Split:
    __slots__ = ("salt", "thresholds", "variants")

    def __init__(self, variants: list[Variant], thresholds: list[int], salt: Salt) -> None:
        self.variants = variants
        self.thresholds = thresholds
        self.salt = salt


class Rule:
    __slots__ = ("matcher", "metadata", "split", "variant")

    def __init__(self, matcher: Matcher, variant: Variant | None, split: Split | None, metadata: Metadata | None):
        self.matcher = matcher
        self.variant = variant
        self.split = split
        self.metadata = metadata


class Rollout:
    """kind "percentage" (percentage, gradual, canary) or "audience" (ring, targeted)."""

    __slots__ = ("matchers", "percentage", "salt", "split", "variant")

    def __init__(
        self, target: tuple[float, Salt | None, list[Matcher] | None], variant: Variant | None, split: Split | None
    ) -> None:
        self.percentage, self.salt, self.matchers = target
        self.variant = variant
        self.split = split


class Experiment:
    __slots__ = ("audience", "enrollment_salt", "metadata", "split", "traffic")

    def __init__(self, traffic: float, audience: Matcher, split: Split, salt: str, metadata: Metadata) -> None:
        self.traffic = traffic
        self.audience = audience
        self.split = split
        self.enrollment_salt = Salt(salt + "/traffic")
        self.metadata = metadata


class Prerequisite:
    __slots__ = ("flag", "variants")

    def __init__(self, flag: str, variants: frozenset[object]) -> None:
        self.flag = flag
        self.variants = variants


class _Names:
    def __init__(self, variants: dict[str, Variant]) -> None:
        self.variants = variants

    def ref(self, name: object, where: str) -> Variant:
        variant = self.variants.get(name) if isinstance(name, str) else None
        if variant is None:
            raise MalformedError(f"{where} names variant {name!r}, which the flag does not declare")
        return variant

    def optional_ref(self, name: object, where: str) -> Variant | None:
        return None if name is MISSING else self.ref(name, where)


def _value_fits(flag_type: str, value: object) -> bool:
    if flag_type == "boolean":
        return isinstance(value, bool)
    if flag_type == "string":
        return isinstance(value, str)
    if flag_type == "number":
        return is_number(value) and math.isfinite(as_double(value))  # type: ignore[arg-type]
    return True


def _split(raw: object, salt: str, names: _Names, where: str) -> Split:
    entries = [expect_object(e, f"{where}[{i}]") for i, e in enumerate(optional_array(raw, where))]
    variants = [names.ref(e.get("variant", MISSING), f"{where}[{i}]") for i, e in enumerate(entries)]
    weights = [expect_number(e.get("weight", MISSING), f"{where}[{i}].weight") for i, e in enumerate(entries)]
    thresholds = split_thresholds(weights)
    if thresholds is None:
        raise MalformedError(f"{where} needs non-negative weights with a positive total")
    return Split(variants, thresholds, Salt(salt))


def _optional_split(raw: object, salt: str, names: _Names, where: str) -> Split | None:
    return None if raw is MISSING else _split(raw, salt, names, where)


def _with_entry(metadata: Metadata | None, key: str, value: str) -> Metadata:
    return MappingProxyType({**(metadata or {}), key: value})


class FlagParts:
    """What the parts of a flag share while being prepared."""

    def __init__(self, names: _Names, split_salt: str, metadata: Metadata | None) -> None:
        self.names = names
        self.split_salt = split_salt
        self.metadata = metadata


def _rule(raw: object, i: int, parts: FlagParts) -> Rule:
    where = f"rules[{i}]"
    rule = expect_object(raw, where)
    raw_name = rule.get("name", MISSING)
    name = "" if raw_name is MISSING else expect_string(raw_name, f"{where}.name")
    split = _optional_split(rule.get("split", MISSING), parts.split_salt, parts.names, f"{where}.split")
    variant = parts.names.optional_ref(rule.get("variant", MISSING), f"{where}.variant")
    if (split is None) == (variant is None):
        raise MalformedError(f"{where} must serve exactly one of variant or split")
    metadata = parts.metadata if name == "" else _with_entry(parts.metadata, "rule", name)
    return Rule(prepare_matcher(rule, where), variant, split, metadata)


def _experiment(raw: object, parts: FlagParts) -> Experiment | None:
    if raw is MISSING:
        return None
    experiment = expect_object(raw, "experiment")
    name = expect_string(experiment.get("name", MISSING), "experiment.name")
    salt = expect_string(experiment.get("salt", MISSING), "experiment.salt")
    traffic = expect_number(experiment.get("traffic", MISSING), "experiment.traffic")
    audience = prepare_matcher(experiment.get("audience", MISSING), "experiment.audience")
    split = _split(experiment.get("split", MISSING), salt, parts.names, "experiment.split")
    return Experiment(traffic, audience, split, salt, _with_entry(parts.metadata, "experiment", name))


def _rollout(raw: object, parts: FlagParts) -> tuple[Rollout | None, str | None]:
    if raw is MISSING:
        return None, None
    rollout = expect_object(raw, "rollout")
    raw_by = rollout.get("bucketBy", MISSING)
    bucket_by = None if raw_by is MISSING else expect_string(raw_by, "rollout.bucketBy")
    variant = parts.names.optional_ref(rollout.get("variant", MISSING), "rollout.variant")
    split = _optional_split(rollout.get("split", MISSING), parts.split_salt, parts.names, "rollout.split")
    kind = rollout.get("kind", MISSING)
    if kind == "percentage":
        percentage = expect_number(rollout.get("percentage", MISSING), "rollout.percentage")
        salt = Salt(expect_string(rollout.get("salt", MISSING), "rollout.salt"))
        return Rollout((percentage, salt, None), variant, split), bucket_by
    if kind == "audience":
        raw_matchers = expect_array(rollout.get("matchers", MISSING), "rollout.matchers")
        matchers = [prepare_matcher(m, f"rollout.matchers[{i}]") for i, m in enumerate(raw_matchers)]
        return Rollout((0.0, None, matchers), variant, split), bucket_by
    raise MalformedError('rollout.kind must be "percentage" or "audience"')


def _targets(raw: object, names: _Names) -> dict[str, Variant]:
    if raw is MISSING:
        return {}
    return {key: names.ref(variant, f"targets[{key!r}]") for key, variant in expect_object(raw, "targets").items()}


def _metadata(raw: object) -> Metadata | None:
    if raw is MISSING:
        return None
    metadata = expect_object(raw, "metadata")
    for value in metadata.values():
        if not isinstance(value, (str, int, float)):
            raise MalformedError("metadata values must be strings, numbers or booleans")
    return MappingProxyType(dict(metadata))  # type: ignore[arg-type]


def _prerequisite(raw: object, i: int) -> Prerequisite:
    prerequisite = expect_object(raw, f"prerequisites[{i}]")
    variants = optional_array(prerequisite.get("variants", MISSING), f"prerequisites[{i}].variants")
    flag = expect_string(prerequisite.get("flag", MISSING), f"prerequisites[{i}].flag")
    return Prerequisite(flag, frozenset(v for v in variants if isinstance(v, str)))


def _variants(raw: object, flag_type: str) -> dict[str, Variant]:
    declared: dict[str, Variant] = {}
    for name, value in expect_object(raw, "variants").items():
        if not _value_fits(flag_type, value):
            raise MalformedError(f'variant "{name}" has a value that is not of type {flag_type}')
        declared[name] = Variant(name, value)
    return declared


class Flag:
    """The runtime form of a compiled flag. ``fixed`` is set when the answer does not depend on
    the context (killed, disabled, or nothing to decide)."""

    def __init__(self, key: str, raw: Mapping[str, object]) -> None:
        flag_type = raw.get("type", MISSING)
        if not isinstance(flag_type, str) or flag_type not in FLAG_TYPES:
            raise MalformedError(f"type must be one of {', '.join(FLAG_TYPES)}")
        names = _Names(_variants(raw.get("variants", MISSING), flag_type))
        parts = FlagParts(
            names, expect_string(raw.get("splitSalt", MISSING), "splitSalt"), _metadata(raw.get("metadata", MISSING))
        )
        self.key = key
        self.type = flag_type
        self.rollout, bucket_by = _rollout(raw.get("rollout", MISSING), parts)
        self.default_variant = names.ref(raw.get("defaultVariant", MISSING), "defaultVariant")
        self.off_variant = names.ref(raw.get("offVariant", MISSING), "offVariant")
        self.enabled = raw.get("enabled", MISSING) is not False
        self.kill_switch = raw.get("killSwitch", MISSING) is True
        raw_prerequisites = optional_array(raw.get("prerequisites", MISSING), "prerequisites")
        self.prerequisites = [_prerequisite(p, i) for i, p in enumerate(raw_prerequisites)]
        self.targets = _targets(raw.get("targets", MISSING), names)
        self.rules = [_rule(r, i, parts) for i, r in enumerate(optional_array(raw.get("rules", MISSING), "rules"))]
        self.experiment = _experiment(raw.get("experiment", MISSING), parts)
        self.split = _optional_split(raw.get("split", MISSING), parts.split_salt, names, "split")
        self.bucket_by = bucket_by if bucket_by is not None else TARGETING_KEY
        self.has_targeting = raw.get("hasTargeting", MISSING) is True
        self.metadata = parts.metadata
        self.fixed = self._fixed_answer()

    def _fixed_answer(self) -> tuple[Variant, str] | None:
        if self.kill_switch or not self.enabled:
            return self.off_variant, Reason.DISABLED
        decides = self.prerequisites or self.targets or self.rules or self.experiment or self.rollout or self.split
        if decides:
            return None
        return self.default_variant, Reason.DEFAULT if self.has_targeting else Reason.STATIC
