"""The evaluation order of core/evaluate/evaluate.ts, step for step: flag missing → FLAG_NOT_FOUND ·
type mismatch → TYPE_MISMATCH · bad context → INVALID_CONTEXT · killSwitch / disabled → offVariant
DISABLED · prerequisite unmet → PREREQUISITE_FAILED · target → TARGETING_MATCH · first matching
rule → TARGETING_MATCH or SPLIT · experiment → SPLIT · rollout → SPLIT / DEFAULT (ring, targeted:
TARGETING_MATCH) · weighted variants → SPLIT · defaultVariant → STATIC or DEFAULT.
It never raises: a malformed flag gives PARSE_ERROR, anything unexpected GENERAL."""

from __future__ import annotations

from collections.abc import Mapping

from .conditions import Context
from .flags import Flag, Rollout, Split, Variant
from .hashing import is_inside_rollout, pick_split
from .result import ErrorCode, EvaluationResult, Metadata, Reason, failure
from .segments import TARGETING_KEY
from .snapshot import Snapshot
from .values import key_string

MAX_PREREQUISITE_DEPTH = 16
_EXPECTED_TYPE = {"boolean": "boolean", "string": "string", "number": "number", "json": "object"}
_EMPTY: Context = {}


def evaluate(
    snapshot: Snapshot,
    key: str,
    context: object = None,
    default_value: object = None,
    expected_type: str | None = None,
) -> EvaluationResult:
    """Evaluates flag ``key`` for ``context`` (None: no context). On error the result has reason
    ERROR, an OpenFeature error code and ``default_value`` as its value."""
    try:
        if not isinstance(key, str):
            return failure(str(key), default_value, ErrorCode.FLAG_NOT_FOUND, "flag key must be a string")
        flag = snapshot.flags.get(key)
        if flag is None:
            return failure(key, default_value, ErrorCode.FLAG_NOT_FOUND, f'flag "{key}" not found')
        if isinstance(flag, str):
            return failure(key, default_value, ErrorCode.PARSE_ERROR, flag)
        if expected_type is not None and _EXPECTED_TYPE[flag.type] != expected_type:
            message = f'flag "{key}" is of type {_EXPECTED_TYPE[flag.type]}, not {expected_type}'
            return failure(key, default_value, ErrorCode.TYPE_MISMATCH, message)
        problem = context_problem(context)
        if problem is not None:
            return failure(key, default_value, ErrorCode.INVALID_CONTEXT, problem)
        ctx: Context = _EMPTY if context is None else context  # type: ignore[assignment]
        return _answer(snapshot, flag, ctx, default_value, 0)
    except Exception as error:  # noqa: BLE001 - evaluation never raises
        return failure(str(key), default_value, ErrorCode.GENERAL, f"evaluation failed: {error}")


def context_problem(context: object) -> str | None:
    """Why a context cannot be evaluated (INVALID_CONTEXT), or None when it is fine."""
    if context is None:
        return None
    if not isinstance(context, Mapping):
        return f"evaluation context must be an object, got {_describe(context)}"
    if TARGETING_KEY in context and not isinstance(context[TARGETING_KEY], str):
        return f"targetingKey must be a string, got {_describe(context[TARGETING_KEY])}"
    return None


def _describe(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, (list, tuple)):
        return "an array"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, (int, float)):
        return "number"
    return "string" if isinstance(value, str) else type(value).__name__


def _served(flag: Flag, variant: Variant, reason: str, metadata: Metadata | None) -> EvaluationResult:
    return EvaluationResult(flag.key, variant.value, variant.name, reason, metadata)


def _answer(snapshot: Snapshot, flag: Flag, context: Context, default: object, depth: int) -> EvaluationResult:
    fixed = flag.fixed
    if fixed is not None:
        return EvaluationResult(flag.key, fixed[0].value, fixed[0].name, fixed[1], flag.metadata)
    if flag.prerequisites and not _prerequisites_met(snapshot, flag, context, depth):
        return _served(flag, flag.off_variant, Reason.PREREQUISITE_FAILED, flag.metadata)
    if flag.targets:
        user = context.get(TARGETING_KEY)
        target = flag.targets.get(user) if isinstance(user, str) else None
        if target is not None:
            return _served(flag, target, Reason.TARGETING_MATCH, flag.metadata)
    for rule in flag.rules:
        if not rule.matcher.matches(context):
            continue
        if rule.split is not None:
            return _serve_split(flag, rule.split, context, default, rule.metadata)
        assert rule.variant is not None
        return _served(flag, rule.variant, Reason.TARGETING_MATCH, rule.metadata)
    if flag.experiment is not None:
        enrolled = _decide_experiment(flag, context)
        if enrolled is not None:
            return enrolled
    if flag.rollout is not None:
        return _decide_rollout(flag, flag.rollout, context, default)
    if flag.split is not None:
        return _serve_split(flag, flag.split, context, default, flag.metadata)
    reason = Reason.DEFAULT if flag.has_targeting else Reason.STATIC
    return _served(flag, flag.default_variant, reason, flag.metadata)


def _prerequisites_met(snapshot: Snapshot, flag: Flag, context: Context, depth: int) -> bool:
    if depth >= MAX_PREREQUISITE_DEPTH:
        return False
    for prerequisite in flag.prerequisites:
        required = snapshot.flags.get(prerequisite.flag)
        if required is None or isinstance(required, str):
            return False
        result = _answer(snapshot, required, context, None, depth + 1)
        if result.error_code is not None or result.variant is None:
            return False
        if result.variant not in prerequisite.variants:
            return False
    return True


def bucket_value(context: Context, bucket_by: str) -> str | None:
    """The flag's bucketing attribute (string or safe integer), else the targetingKey."""
    if bucket_by != TARGETING_KEY:
        value = key_string(context.get(bucket_by))
        if value is not None:
            return value
    key = context.get(TARGETING_KEY)
    return key if isinstance(key, str) else None


def _key_missing(flag: Flag, default: object) -> EvaluationResult:
    by = "targetingKey" if flag.bucket_by == TARGETING_KEY else f'"{flag.bucket_by}" or targetingKey'
    message = f'flag "{flag.key}" buckets users by {by}, and the context has none'
    return failure(flag.key, default, ErrorCode.TARGETING_KEY_MISSING, message)


def _serve_split(
    flag: Flag, split: Split, context: Context, default: object, metadata: Metadata | None
) -> EvaluationResult:
    value = bucket_value(context, flag.bucket_by)
    if value is None:
        return _key_missing(flag, default)
    variant = split.variants[pick_split(split.thresholds, split.salt.bucket(value))]
    return _served(flag, variant, Reason.SPLIT, metadata)


def _decide_experiment(flag: Flag, context: Context) -> EvaluationResult | None:
    experiment = flag.experiment
    assert experiment is not None
    if not experiment.audience.matches(context):
        return None
    value = bucket_value(context, flag.bucket_by)
    if value is None or not is_inside_rollout(experiment.enrollment_salt.bucket(value), experiment.traffic):
        return None
    split = experiment.split
    variant = split.variants[pick_split(split.thresholds, split.salt.bucket(value))]
    return _served(flag, variant, Reason.SPLIT, experiment.metadata)


def _inside(flag: Flag, rollout: Rollout, context: Context, default: object, reason: str) -> EvaluationResult:
    if rollout.variant is not None:
        return _served(flag, rollout.variant, reason, flag.metadata)
    split = rollout.split if rollout.split is not None else flag.split
    if split is not None:
        return _serve_split(flag, split, context, default, flag.metadata)
    return _served(flag, flag.default_variant, reason, flag.metadata)


def _decide_rollout(flag: Flag, rollout: Rollout, context: Context, default: object) -> EvaluationResult:
    if rollout.matchers is not None:
        if any(m.matches(context) for m in rollout.matchers):
            return _inside(flag, rollout, context, default, Reason.TARGETING_MATCH)
        return _served(flag, flag.off_variant, Reason.DEFAULT, flag.metadata)
    inside = False
    if rollout.percentage >= 100:
        inside = True
    elif rollout.percentage > 0:
        value = bucket_value(context, flag.bucket_by)
        if value is None:
            return _key_missing(flag, default)
        assert rollout.salt is not None
        inside = is_inside_rollout(rollout.salt.bucket(value), rollout.percentage)
    if not inside:
        return _served(flag, flag.off_variant, Reason.DEFAULT, flag.metadata)
    return _inside(flag, rollout, context, default, Reason.SPLIT)
