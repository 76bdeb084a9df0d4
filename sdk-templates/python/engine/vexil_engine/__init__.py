"""Vexil's in-process evaluation engine: evaluates a compiled snapshot exactly as the TypeScript
engine does (test/vectors/*.json prove it), never raising."""

from .evaluate import MAX_PREREQUISITE_DEPTH, evaluate
from .exposures import ExposureBatcher
from .hashing import bucket, murmur3
from .local import LocalEvaluator
from .result import ErrorCode, EvaluationResult, Reason
from .snapshot import Snapshot, SnapshotError, SnapshotHolder, load_snapshot, load_snapshot_file

__all__ = [
    "MAX_PREREQUISITE_DEPTH",
    "ErrorCode",
    "EvaluationResult",
    "ExposureBatcher",
    "LocalEvaluator",
    "Reason",
    "Snapshot",
    "SnapshotError",
    "SnapshotHolder",
    "bucket",
    "evaluate",
    "load_snapshot",
    "load_snapshot_file",
    "murmur3",
]
