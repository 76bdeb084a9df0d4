"""Conformance runner: evaluates every case of test/vectors/evaluation.json and checks every
vector of test/vectors/bucketing.json against this engine; prints the pass counts and exits
non-zero on any disagreement.  Usage: python conformance.py [VECTORS_DIR]"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from vexil_engine import Snapshot, bucket, evaluate
from vexil_engine.hashing import is_inside_rollout, murmur3, pick_split, split_thresholds, utf8

DEFAULT_DIR = Path(__file__).resolve().parents[3] / "test" / "vectors"


def _same(a: object, b: object) -> bool:
    # JSON equality: 1 == 1.0, but True is not 1.
    if isinstance(a, bool) or isinstance(b, bool):
        return a is b
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(_same(a[k], b[k]) for k in a)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b, strict=True))
    return (a == b and type(a) is type(b)) or (isinstance(a, (int, float)) and isinstance(b, (int, float)) and a == b)


def run_evaluation(path: Path) -> tuple[int, list[str]]:
    document = json.loads(path.read_text(encoding="utf-8"))
    snapshot = Snapshot(document["snapshot"])
    failures: list[str] = []
    for case in document["cases"]:
        options = case.get("options", {})
        result = evaluate(
            snapshot, case["flag"], case["context"], options.get("defaultValue"), options.get("expectedType")
        )
        expected = case["expected"]
        got = {
            "value": result.value,
            "variant": result.variant,
            "reason": result.reason,
            "errorCode": result.error_code,
        }
        want = {k: expected.get(k) for k in ("value", "variant", "reason", "errorCode")}
        ok = _same(got, want)
        if ok and "metadata" in expected:
            ok = _same(dict(result.metadata or {}), expected["metadata"])
        if not ok:
            failures.append(f"{case['description']}: expected {want}, got {got} (metadata {result.metadata})")
    return len(document["cases"]), failures


def run_bucketing(path: Path) -> tuple[int, list[str]]:
    document = json.loads(path.read_text(encoding="utf-8"))
    failures: list[str] = []
    for v in document["vectors"]:
        if murmur3(utf8(v["salt"] + ":" + v["value"])) != v["hash"] or bucket(v["salt"], v["value"]) != v["bucket"]:
            failures.append(f"hash of {v['salt']!r}:{v['value'][:40]!r}")
    for s in document["splits"]:
        thresholds = split_thresholds([float(w["weight"]) for w in s["split"]])
        b = bucket(s["salt"], s["value"])
        if thresholds is None or b != s["bucket"] or s["split"][pick_split(thresholds, b)]["variant"] != s["variant"]:
            failures.append(f"split {s['salt']!r} {s['value'][:40]!r}")
    for r in document["rollouts"]:
        b = bucket(r["salt"], r["value"])
        if b != r["bucket"] or is_inside_rollout(b, r["percentage"]) != r["inside"]:
            failures.append(f"rollout {r['salt']!r} {r['value'][:40]!r} at {r['percentage']}")
    return len(document["vectors"]) + len(document["splits"]) + len(document["rollouts"]), failures


def main() -> int:
    directory = Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_DIR
    evaluation_total, evaluation_failures = run_evaluation(directory / "evaluation.json")
    bucketing_total, bucketing_failures = run_bucketing(directory / "bucketing.json")
    for failure in evaluation_failures + bucketing_failures:
        print(f"FAIL {failure}")
    print(f"python engine: evaluation {evaluation_total - len(evaluation_failures)}/{evaluation_total} passed")
    print(f"python engine: bucketing {bucketing_total - len(bucketing_failures)}/{bucketing_total} passed")
    failed = len(evaluation_failures) + len(bucketing_failures)
    print(f"{evaluation_total + bucketing_total - failed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
