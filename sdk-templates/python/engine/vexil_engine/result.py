"""The closed vocabulary of evaluation outcomes (OpenFeature reasons and error codes) and the
result every evaluation returns."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Final

Metadata = Mapping[str, str | int | float | bool]


class Reason:
    STATIC: Final = "STATIC"
    DEFAULT: Final = "DEFAULT"
    TARGETING_MATCH: Final = "TARGETING_MATCH"
    SPLIT: Final = "SPLIT"
    DISABLED: Final = "DISABLED"
    PREREQUISITE_FAILED: Final = "PREREQUISITE_FAILED"
    CACHED: Final = "CACHED"
    UNKNOWN: Final = "UNKNOWN"
    STALE: Final = "STALE"
    ERROR: Final = "ERROR"


class ErrorCode:
    PROVIDER_NOT_READY: Final = "PROVIDER_NOT_READY"
    FLAG_NOT_FOUND: Final = "FLAG_NOT_FOUND"
    PARSE_ERROR: Final = "PARSE_ERROR"
    TYPE_MISMATCH: Final = "TYPE_MISMATCH"
    TARGETING_KEY_MISSING: Final = "TARGETING_KEY_MISSING"
    INVALID_CONTEXT: Final = "INVALID_CONTEXT"
    PROVIDER_FATAL: Final = "PROVIDER_FATAL"
    GENERAL: Final = "GENERAL"


class EvaluationResult:
    """``value`` is the served value, or the caller's default on error."""

    __slots__ = ("error_code", "error_message", "key", "metadata", "reason", "value", "variant")

    def __init__(
        self,
        key: str,
        value: object,
        variant: str | None,
        reason: str,
        metadata: Metadata | None = None,
        error: tuple[str, str] | None = None,
    ) -> None:
        self.key = key
        self.value = value
        self.variant = variant
        self.reason = reason
        self.metadata = metadata
        self.error_code: str | None = error[0] if error else None
        self.error_message: str | None = error[1] if error else None

    def __repr__(self) -> str:
        return (
            f"EvaluationResult(key={self.key!r}, value={self.value!r}, variant={self.variant!r}, "
            f"reason={self.reason!r}, error_code={self.error_code!r}, metadata={self.metadata!r})"
        )


def failure(key: str, default: object, code: str, message: str) -> EvaluationResult:
    return EvaluationResult(key, default, None, Reason.ERROR, None, (code, message))
