# Independent generator for test/vectors/statistics.json: experiment statistics computed with
# scipy and statsmodels from the definitions in docs/experiments.md (not from Vexil's code).
# Where a library has the test (Holm: statsmodels multipletests; SRM: scipy.stats.chisquare;
# normal tails: scipy.stats.norm) it is used; the chance to beat the control uses the exact
# closed-form sum over log-Beta functions (Vexil integrates numerically: a different method).
#
# Run (Python 3.11+, from the repository root):
#   V=${VEXIL_CACHE_DIR:-$HOME/.cache/vexil}/statistics-vectors-scipy-1.17.1
#   python3 -m venv $V && $V/bin/pip install scipy==1.17.1 statsmodels==0.14.5 numpy==2.4.6
#   $V/bin/python test/vectors/generators/gen_statistics.py
import json
import math
import os

import numpy as np
from scipy import optimize, special, stats
from statsmodels.stats.multitest import multipletests

ALPHA = 0.05
POWER = 0.8
TUNING = 5000  # N*: total users at which the confidence sequence is tightest
SRM_THRESHOLD = 0.001
DEFAULT_MDE = 0.05
Z = stats.norm.ppf(1 - ALPHA / 2)


def rho(alpha=ALPHA, tuning=TUNING):
    l = -2 * math.log(alpha)
    return math.sqrt((l + math.log(l + 1)) / tuning)


RHO = rho()


def moments(kind, agg):
    n, x = agg["exposures"], agg["conversions"]
    if kind == "conversion":
        p = x / n if n > 0 else 0.0
        return {"n": n, "x": x, "rate": p, "var": p * (1 - p)}
    if n == 0:
        return {"n": 0, "x": x, "rate": 0.0, "var": 0.0}
    # sample variance of per-user totals (ddof = 1) from the two sums
    var = 0.0 if n < 2 else max(0.0, (agg["sumOfSquares"] - agg["sum"] ** 2 / n) / (n - 1))
    return {"n": n, "x": x, "rate": agg["sum"] / n, "var": var}


def chance_conversion(c, v):
    # P(p_v > p_c) = sum_{i < a_v} B(a_c + i, b_c + b_v) / ((b_v + i) B(1 + i, b_v) B(a_c, b_c))
    a_v, b_v, a_c, b_c = 1 + v["x"], 1 + v["n"] - v["x"], 1 + c["x"], 1 + c["n"] - c["x"]
    i = np.arange(a_v, dtype=np.float64)
    terms = np.exp(
        special.betaln(a_c + i, b_c + b_v) - np.log(b_v + i) - special.betaln(1 + i, b_v) - special.betaln(a_c, b_c)
    )
    return min(1.0, max(0.0, math.fsum(terms.tolist())))


def chance_numeric(c, v):
    diff = v["rate"] - c["rate"]
    sd = math.sqrt(v["var"] / v["n"] + c["var"] / c["n"])
    if sd == 0:
        return 1.0 if diff > 0 else 0.0 if diff < 0 else 0.5
    return float(stats.norm.cdf(diff / sd))


def compare(kind, goal, c, v, name):
    row = {"variant": name, "exposures": v["n"], "conversions": v["x"], "rate": v["rate"]}
    if c["n"] < 2 or v["n"] < 2:
        return row
    beats = chance_conversion(c, v) if kind == "conversion" else chance_numeric(c, v)
    row["chanceToBeatControl"] = beats if goal == "increase" else 1 - beats
    rc, rv = c["rate"], v["rate"]
    if rc == 0:
        return row
    lift = (rv - rc) / rc
    se = math.sqrt(v["var"] / (v["n"] * rc**2) + rv**2 * c["var"] / (c["n"] * rc**4))
    n = c["n"] + v["n"]
    row["lift"] = lift
    row["liftInterval"] = [lift - Z * se, lift + Z * se]
    if se == 0:
        row["pValue"] = 1.0 if lift == 0 else 0.0
        row["sequentialInterval"] = [lift, lift]
        row["sequentialPValue"] = row["pValue"]
        return row
    row["pValue"] = float(2 * stats.norm.sf(abs(lift / se)))
    t = n * RHO**2
    half = se * math.sqrt(2 * (t + 1) / t * math.log(math.sqrt(t + 1) / ALPHA))
    row["sequentialInterval"] = [lift - half, lift + half]
    # always-valid p-value: the alpha at which the sequence's half-width equals |lift|
    log_p = 0.5 * math.log(t + 1) - t * (lift / se) ** 2 / (2 * (t + 1))
    row["sequentialPValue"] = math.exp(min(0.0, log_p))
    return row


def srm(variants, exposures):
    obs = [(max(0, v["weight"]), exposures.get(v["variant"], 0)) for v in variants]
    if any(w == 0 and o > 0 for w, o in obs):
        return {"pValue": 0.0, "detected": True}
    weighted = [(w, o) for w, o in obs if w > 0]
    total = sum(o for _, o in obs)
    if total == 0 or len(weighted) < 2:
        return {"pValue": 1.0, "detected": False}
    tw = sum(w for w, _ in weighted)
    p = float(stats.chisquare([o for _, o in weighted], [total * w / tw for w, _ in weighted]).pvalue)
    return {"pValue": p, "detected": p < SRM_THRESHOLD}


def users_needed(kind, goal, c, shares_c, shares_t, mde, sequential):
    rc = c["rate"]
    if rc == 0 or c["n"] < 2 or shares_c <= 0:
        return None
    alpha = ALPHA / max(1, len(shares_t))
    zb = stats.norm.ppf(POWER)
    best = 0
    for w in shares_t:
        rv = rc * (1 + mde if goal == "increase" else 1 - mde)
        p = min(1.0, max(0.0, rv))
        var_v = p * (1 - p) if kind == "conversion" else c["var"]
        k2 = (var_v / w + (rv / rc) ** 2 * c["var"] / shares_c) / rc**2
        if k2 <= 0:
            return None
        if not sequential:
            za = stats.norm.ppf(1 - alpha / 2)
            need = max(1, math.ceil(k2 * (za + zb) ** 2 / mde**2))
        else:
            def gap(total):
                t = (shares_c + w) * total * RHO**2
                factor = math.sqrt(2 * (t + 1) / t * math.log(math.sqrt(t + 1) / alpha))
                return math.sqrt(k2 / total) * (factor + zb) - mde

            need = 1 if gap(1) <= 0 else math.ceil(optimize.brentq(gap, 1, 1e13, xtol=1e-9, rtol=1e-14))
        best = max(best, need)
    return best if best > 0 else None


def analyze(spec, aggregates, options):
    phase = options.get("phase", "Running")
    mde = options.get("minimumDetectableEffect", DEFAULT_MDE)
    weights = {v["variant"]: v["weight"] for v in spec["variants"]}
    order = [spec["control"]] + [v["variant"] for v in spec["variants"] if v["variant"] != spec["control"]]
    results, moms = {}, {}
    for metric in spec["metrics"]:
        kind, goal = metric["type"], metric["goal"]
        rows_in = aggregates["metrics"].get(metric["name"], [])
        zero = {"exposures": 0, "conversions": 0, "sum": 0, "sumOfSquares": 0}
        m = [moments(kind, next((r for r in rows_in if r["variant"] == name), zero)) for name in order]
        c = m[0]
        rows = [{"variant": order[0], "exposures": c["n"], "conversions": c["x"], "rate": c["rate"]}]
        treatments = [compare(kind, goal, c, m[i], order[i]) for i in range(1, len(order))]
        key = "pValue" if phase == "Concluded" else "sequentialPValue"
        family = [t for t in treatments if key in t]
        if family:
            adjusted = multipletests([t[key] for t in family], alpha=ALPHA, method="holm")[1]
            for t, a in zip(family, adjusted):
                t["adjustedPValue"] = float(a)
                t["significant"] = bool(a < ALPHA)
        results[metric["name"]] = rows + treatments
        moms[metric["name"]] = m
    sr = srm(spec["variants"], aggregates["exposuresByVariant"])
    primary = spec["metrics"][0]
    rows = results[primary["name"]]
    weighted = [r for i, r in enumerate(rows) if i == 0 or weights[r["variant"]] > 0]
    total_w = sum(max(0, w) for w in weights.values())
    share_c = weights[order[0]] / total_w
    shares_t = [weights[n] / total_w for n in order[1:] if weights[n] > 0]
    needed = users_needed(
        primary["type"], primary["goal"], moms[primary["name"]][0], share_c, shares_t, mde, phase != "Concluded"
    )
    rec = recommend(phase, sr, primary, weighted, spec["minimumSamples"], needed)
    out = {"phase": phase, "results": results, "sampleRatioMismatch": sr, "recommendation": rec}
    lead = leader(primary["name"], weighted[1:])
    if lead:
        out["leadingVariant"] = lead
    return out


def recommend(phase, sr, metric, rows, minimum, needed):
    if phase == "Pending":
        return {"action": "NotEnoughData"}
    if sr["detected"]:
        return {"action": "SampleRatioMismatch"}
    if min(r["conversions"] for r in rows) < minimum or any(r["exposures"] < 2 for r in rows):
        return {"action": "NotEnoughData"}
    control, treatments = rows[0], rows[1:]
    better = lambda r: r["rate"] > control["rate"] if metric["goal"] == "increase" else r["rate"] < control["rate"]
    sig = [t for t in treatments if t.get("significant")]
    winners = [t for t in sig if better(t)]
    if winners:
        best = max(winners, key=lambda t: t.get("chanceToBeatControl", 0))  # first on ties
        return {"action": "ShipVariant", "variant": best["variant"]}
    if treatments and len(sig) == len(treatments):
        return {"action": "KeepControl", "variant": control["variant"]}
    total = sum(r["exposures"] for r in rows)
    remaining = None if needed is None else max(0, needed - total)
    if phase == "Concluded":
        return {"action": "NoDifference"}
    if remaining == 0:
        return {"action": "NoDifference", "usersNeeded": 0}
    return {"action": "KeepRunning", **({} if remaining is None else {"usersNeeded": remaining})}


def leader(metric, treatments):
    best = None
    for t in treatments:
        if "chanceToBeatControl" in t and (best is None or t["chanceToBeatControl"] > best["chanceToBeatControl"]):
            best = t
    if best is None:
        return None
    out = {"variant": best["variant"], "metric": metric, "chanceToBeatControl": best["chanceToBeatControl"]}
    if "lift" in best:
        out["lift"] = best["lift"]
    return out


# ---------------------------------------------------------------- cases


def conv(variant, n, x):
    return {"variant": variant, "exposures": n, "conversions": x, "sum": x, "sumOfSquares": x}


def num_from_values(variant, n, values):
    return {
        "variant": variant,
        "exposures": n,
        "conversions": len(values),
        "sum": float(sum(values)),
        "sumOfSquares": float(sum(v * v for v in values)),
    }


def num(variant, n, users_with_values, mean, sd):
    """Numeric aggregate with given mean and sd of the values of users who have one."""
    s = users_with_values * mean
    ss = (users_with_values - 1) * sd * sd + users_with_values * mean * mean
    return {"variant": variant, "exposures": n, "conversions": users_with_values, "sum": s, "sumOfSquares": ss}


def metric(name, kind="conversion", goal="increase"):
    return {"name": name, "event": name, "type": kind, "goal": goal}


def make_spec(variants, metrics, control=None, minimum=150):
    return {
        "flag": "checkout",
        "environment": "production",
        "variants": [{"variant": n, "weight": w} for n, w in variants],
        "control": control or variants[0][0],
        "traffic": 100,
        "metrics": metrics,
        "minimumSamples": minimum,
    }


def case(name, spec, metric_rows, options=None, exposures=None):
    primary = spec["metrics"][0]["name"]
    if exposures is None:
        exposures = {r["variant"]: r["exposures"] for r in metric_rows[primary]}
    aggregates = {"exposuresByVariant": exposures, "metrics": metric_rows}
    options = options or {}
    return {"name": name, "spec": spec, "aggregates": aggregates, "options": options,
            "expected": analyze(spec, aggregates, options)}


AB = [("control", 50), ("treatment", 50)]
buy = metric("purchase")

cases = [
    case("conversion, 2 variants, clear winner while running", make_spec(AB, [buy]),
         {"purchase": [conv("control", 20000, 2000), conv("treatment", 20100, 2400)]}),
    case("conversion, 2 variants, promising but not yet significant", make_spec(AB, [buy]),
         {"purchase": [conv("control", 10000, 1000), conv("treatment", 10050, 1150)]}),
    case("conversion, 2 variants, same data once concluded (fixed-horizon decides)", make_spec(AB, [buy]),
         {"purchase": [conv("control", 10000, 1000), conv("treatment", 10050, 1150)]}, {"phase": "Concluded"}),
    case("conversion, no difference after enough users", make_spec(AB, [buy]),
         {"purchase": [conv("control", 400000, 40000), conv("treatment", 400500, 40070)]}),
    case("conversion, no difference with a 10% minimum detectable effect", make_spec(AB, [buy]),
         {"purchase": [conv("control", 30000, 3000), conv("treatment", 30020, 3010)]},
         {"minimumDetectableEffect": 0.1}),
    case("conversion, concluded underpowered", make_spec(AB, [buy]),
         {"purchase": [conv("control", 3000, 300), conv("treatment", 3000, 310)]}, {"phase": "Concluded"}),
    case("conversion, treatment significantly worse: keep control", make_spec(AB, [buy]),
         {"purchase": [conv("control", 20000, 2400), conv("treatment", 20000, 1900)]}),
    case("conversion, decrease goal (churn): lower rate wins", make_spec(AB, [metric("churn", goal="decrease")]),
         {"churn": [conv("control", 20000, 2400), conv("treatment", 20000, 1900)]}),
    case("conversion, decrease goal, higher rate loses", make_spec(AB, [metric("churn", goal="decrease")]),
         {"churn": [conv("control", 8000, 400), conv("treatment", 8000, 430)]}),
    case("numeric, 2 variants, revenue per user", make_spec(AB, [metric("revenue", "numeric")], minimum=100),
         {"revenue": [num("control", 10000, 1000, 50.0, 30.0), num("treatment", 10000, 1100, 52.0, 31.0)]}),
    case("numeric, 2 variants, strong effect", make_spec(AB, [metric("revenue", "numeric")], minimum=100),
         {"revenue": [num("control", 50000, 5000, 40.0, 20.0), num("treatment", 50000, 6500, 41.0, 20.0)]}),
    case("numeric, decrease goal (latency)", make_spec(AB, [metric("latency", "numeric", "decrease")], minimum=10),
         {"latency": [num("control", 5000, 5000, 200.0, 80.0), num("treatment", 5000, 5000, 185.0, 75.0)]}),
    case("numeric from explicit per-user values", make_spec(AB, [metric("items", "numeric")], minimum=2),
         {"items": [num_from_values("control", 6, [1, 2, 2, 5]), num_from_values("treatment", 7, [3, 1, 4, 1, 5])]}),
    case("three variants, Holm picks the real winner",
         make_spec([("control", 1), ("a", 1), ("b", 1)], [buy]),
         {"purchase": [conv("control", 30000, 3000), conv("a", 30050, 3090), conv("b", 29980, 3600)]}),
    case("three variants, neither treatment significant after Holm",
         make_spec([("control", 1), ("a", 1), ("b", 1)], [buy]),
         {"purchase": [conv("control", 9000, 900), conv("a", 9010, 960), conv("b", 8990, 980)]}),
    case("four variants with unequal weights and two metrics",
         make_spec([("control", 40), ("a", 20), ("b", 20), ("c", 20)], [buy, metric("revenue", "numeric")]),
         {"purchase": [conv("control", 40000, 4000), conv("a", 20100, 2150), conv("b", 19950, 1990),
                       conv("c", 20000, 2300)],
          "revenue": [num("control", 40000, 4000, 30.0, 12.0), num("a", 20100, 2150, 31.0, 12.5),
                      num("b", 19950, 1990, 29.0, 11.0), num("c", 20000, 2300, 30.5, 12.0)]}),
    case("control not listed first in the spec", make_spec([("a", 50), ("base", 50)], [buy], control="base"),
         {"purchase": [conv("a", 12000, 1300), conv("base", 12000, 1200)]}),
    case("sample ratio mismatch detected", make_spec(AB, [buy]),
         {"purchase": [conv("control", 10000, 1000), conv("treatment", 10600, 1300)]}),
    case("sample ratio mismatch not detected with 80/20 weights",
         make_spec([("control", 80), ("treatment", 20)], [buy]),
         {"purchase": [conv("control", 40080, 4000), conv("treatment", 9920, 1050)]}),
    case("sample ratio mismatch detected with 80/20 weights",
         make_spec([("control", 80), ("treatment", 20)], [buy]),
         {"purchase": [conv("control", 40000, 4000), conv("treatment", 10600, 1050)]}),
    case("exposures to a zero-weight variant", make_spec([("control", 1), ("treatment", 1), ("off", 0)], [buy]),
         {"purchase": [conv("control", 1000, 100), conv("treatment", 1000, 110), conv("off", 3, 0)]}),
    case("below minimumSamples", make_spec(AB, [buy]),
         {"purchase": [conv("control", 1000, 149), conv("treatment", 1000, 170)]}),
    case("pending", make_spec(AB, [buy]), {"purchase": []}, {"phase": "Pending"}, {}),
    case("degenerate: no exposures at all", make_spec(AB, [buy]), {}, {}, {}),
    case("degenerate: control rate 0", make_spec(AB, [buy], minimum=0),
         {"purchase": [conv("control", 500, 0), conv("treatment", 500, 4)]}),
    case("degenerate: one user per variant", make_spec(AB, [buy], minimum=0),
         {"purchase": [conv("control", 1, 1), conv("treatment", 1, 0)]}),
    case("degenerate: everybody converts", make_spec(AB, [buy], minimum=0),
         {"purchase": [conv("control", 300, 300), conv("treatment", 310, 310)]}),
    case("degenerate: identical numeric values", make_spec(AB, [metric("seats", "numeric")], minimum=0),
         {"seats": [num_from_values("control", 3, [2, 2, 2]), num_from_values("treatment", 3, [3, 3, 3])]}),
    case("degenerate: identical values in both variants", make_spec(AB, [metric("seats", "numeric")], minimum=0),
         {"seats": [num_from_values("control", 4, [2, 2, 2, 2]), num_from_values("treatment", 4, [2, 2, 2, 2])]}),
    case("degenerate: treatment without exposures", make_spec(AB, [buy], minimum=0),
         {"purchase": [conv("control", 100, 10)]}),
    case("large: a million users over three variants",
         make_spec([("control", 1), ("a", 1), ("b", 1)], [buy]),
         {"purchase": [conv("control", 333400, 33340), conv("a", 333300, 33700), conv("b", 333300, 33390)]}),
    case("large: low conversion rates", make_spec(AB, [buy], minimum=50),
         {"purchase": [conv("control", 500000, 600), conv("treatment", 500000, 720)]}),
]

doc = {
    "description": "Experiment statistics (docs/experiments.md), computed independently with scipy "
    "and statsmodels by test/vectors/generators/gen_statistics.py. Compare numbers to 1e-6 (relative above 1); recommendation messages are not compared.",
    "constants": {"alpha": ALPHA, "power": POWER, "sequentialTuningUsers": TUNING, "srmThreshold": SRM_THRESHOLD,
                  "defaultMinimumDetectableEffect": DEFAULT_MDE},
    "cases": cases,
}
out = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "statistics.json")
with open(out, "w", encoding="utf-8") as f:
    json.dump(doc, f, indent=1, allow_nan=False)
    f.write("\n")
print(f"wrote {len(cases)} cases to {os.path.normpath(out)}")
