"""In-process evaluation benchmark, Python: Vexil's engine port (sdk-templates/python/engine)
against flagd's Python evaluator (openfeature-flagd-core), the Unleash Python SDK (UnleashClient,
offline from a bootstrapped cache) and GrowthBook's Python SDK, on the four standard cases of
bench/cases.ts over 1000 rotating users, all in one process, one after the other.

Usage: python bench.py CONFIG_DIR [--quick]   (CONFIG_DIR: written by bench/sdk.ts)
Prints one line "RESULT {json}" per system and case."""

from __future__ import annotations

import gc
import json
import statistics
import sys
import time
from collections.abc import Callable
from importlib.metadata import version
from pathlib import Path
from typing import Any

CASES = ("static", "rule", "rollout", "split")
Run = Callable[[Any], Any]


def measure(run: Run, contexts: list[Any], warmup_s: float, round_s: float, rounds: int) -> tuple[float, list[float]]:
    """Median ns per evaluation over rounds of ~round_s, after warmup_s of warm-up. Time is this
    process's CPU time, so other processes on a busy machine do not count against a system."""
    sink: list[Any] = [None] * 8
    count = len(contexts)

    def loop(iterations: int) -> int:
        start = time.process_time_ns()
        for i in range(iterations):
            sink[i & 7] = run(contexts[i % count])
        return time.process_time_ns() - start

    iterations = 1000
    while (elapsed := loop(iterations)) < round_s * 1e9 / 4:
        iterations *= 2
    iterations = max(1000, int(iterations * round_s * 1e9 / elapsed))
    end = time.process_time() + warmup_s
    while time.process_time() < end:
        loop(iterations)
    timings = []
    for _ in range(rounds):
        gc.collect()
        timings.append(loop(iterations) / iterations)
    return statistics.median(timings), timings


def sanity(case: str, answers: list[Any], non_matching: list[Any]) -> str:
    """Checks the answers over the 1000 users; returns "" when right, else what is wrong."""
    n = len(answers)
    if case == "static":
        return "" if all(a is True for a in answers) else "static flag not always on"
    if case == "rule":
        if not all(a is True for a in answers):
            return "matching users not all on"
        return "" if all(a is False for a in non_matching) else "non-matching users on"
    if case == "rollout":
        share = sum(1 for a in answers if a is True) / n
        return "" if 0.21 <= share <= 0.29 else f"rollout share {share:.3f}"
    shares = {v: sum(1 for a in answers if a == v) / n for v in ("a", "b", "c")}
    ok = abs(shares["a"] - 0.5) < 0.05 and abs(shares["b"] - 0.3) < 0.05 and abs(shares["c"] - 0.2) < 0.05
    return "" if ok else f"split shares {shares}"


def vexil_system(config: Path, users: list[dict[str, str]]) -> dict[str, Any]:
    sys.path.insert(0, str(Path(__file__).resolve().parents[3] / "sdk-templates" / "python" / "engine"))
    from vexil_engine import evaluate, load_snapshot_file

    snapshot = load_snapshot_file(config / "snapshot.json")
    keys = json.loads((config / "keys.json").read_text())

    def case(key: str) -> tuple[Run, Callable[[Any], Any]]:
        return (lambda ctx: evaluate(snapshot, key, ctx)), (lambda r: r.value)

    return {
        "name": "vexil (engine port)",
        "version": "this repository",
        "contexts": lambda us: [{"targetingKey": u["id"], "country": u["country"], "plan": u["plan"]} for u in us],
        "cases": {c: case(keys[c]) for c in CASES},
    }


def flagd_system(config: Path, users: list[dict[str, str]]) -> dict[str, Any]:
    from openfeature.contrib.tools.flagd.core import FlagdCore
    from openfeature.evaluation_context import EvaluationContext

    core = FlagdCore()
    core.set_flags((config / "flagd.json").read_text())
    keys = json.loads((config / "keys.json").read_text())
    boolean = lambda key: ((lambda ctx: core.resolve_boolean_value(key, False, ctx)), (lambda r: r.value))  # noqa: E731
    return {
        "name": "openfeature-flagd-core",
        "version": version("openfeature-flagd-core"),
        "contexts": lambda us: [EvaluationContext(u["id"], {"country": u["country"], "plan": u["plan"]}) for u in us],
        "cases": {
            "static": boolean(keys["static"]),
            "rule": boolean(keys["rule"]),
            "rollout": boolean(keys["rollout"]),
            "split": ((lambda ctx: core.resolve_string_value(keys["split"], "", ctx)), (lambda r: r.value)),
        },
    }


def unleash_system(config: Path, users: list[dict[str, str]]) -> dict[str, Any]:
    from UnleashClient import UnleashClient
    from UnleashClient.cache import FileCache

    cache = FileCache("vexil-bench", directory=str(config / "unleash-cache"))
    cache.bootstrap_from_dict({"version": 2, "features": json.loads((config / "unleash.json").read_text())})
    client = UnleashClient(
        url="http://127.0.0.1:9/unused",
        app_name="vexil-bench",
        disable_metrics=True,
        disable_registration=True,
        cache=cache,
    )
    client.initialize_client(fetch_toggles=False)
    keys = json.loads((config / "keys.json").read_text())
    enabled = lambda key: ((lambda ctx: client.is_enabled(key, ctx)), (lambda r: r))  # noqa: E731
    return {
        "name": "UnleashClient",
        "version": version("UnleashClient"),
        "contexts": lambda us: [{"userId": u["id"], "properties": {"country": u["country"], "plan": u["plan"]}} for u in us],
        "cases": {
            "static": enabled(keys["static"]),
            "rule": enabled(keys["rule"]),
            "rollout": enabled(keys["rollout"]),
            "split": ((lambda ctx: client.get_variant(keys["split"], ctx)), (lambda r: r["payload"]["value"])),
        },
        "close": client.destroy,
    }


def growthbook_system(config: Path, users: list[dict[str, str]]) -> dict[str, Any]:
    from growthbook import GrowthBook

    features = json.loads((config / "growthbook.json").read_text())
    keys = json.loads((config / "keys.json").read_text())
    # One instance per user, built before timing: the cheapest way to evaluate for many users.
    call = lambda key: ((lambda gb: gb.eval_feature(key)), (lambda r: r.value))  # noqa: E731
    return {
        "name": "growthbook",
        "version": version("growthbook"),
        "contexts": lambda us: [
            GrowthBook(attributes={"id": u["id"], "country": u["country"], "plan": u["plan"]}, features=features)
            for u in us
        ],
        "cases": {c: call(keys[c]) for c in CASES},
    }


SYSTEMS = {"vexil": vexil_system, "flagd": flagd_system, "unleash": unleash_system, "growthbook": growthbook_system}


def main() -> int:
    config = Path(sys.argv[1])
    quick = "--quick" in sys.argv
    warmup_s, round_s, rounds = (0.1, 0.05, 3) if quick else (0.5, 0.2, 7)
    users = json.loads((config / "users.json").read_text())
    non_matching = json.loads((config / "non-matching.json").read_text())
    for system_id, build in SYSTEMS.items():
        system = build(config, users)
        contexts = system["contexts"](users)
        others = system["contexts"](non_matching)
        for case in CASES:
            run, answer = system["cases"][case]
            problem = sanity(case, [answer(run(c)) for c in contexts], [answer(run(c)) for c in others])
            ns, timings = measure(run, contexts, warmup_s, round_s, rounds)
            result = {"language": "python", "system": system_id, "name": system["name"], "version": system["version"]}
            result |= {"case": case, "nsPerEval": ns, "rounds": timings, "sanity": problem or "ok"}
            print("RESULT " + json.dumps(result), flush=True)
        if "close" in system:
            system["close"]()
    return 0


if __name__ == "__main__":
    sys.exit(main())
