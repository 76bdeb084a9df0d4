# Generator for test/vectors/evaluation.json (not part of the repo). Expectations are written
# by hand below; bucket-dependent users are chosen with an independent murmur3 (PyPI mmh3).
import json, math, mmh3, pathlib

HERE = pathlib.Path(__file__).resolve().parent

def bucket(salt, value):
    return mmh3.hash((salt + ":" + value).encode("utf-8"), 0, signed=False) % 100000

def user_where(salt, test, start=0):
    i = start
    while not test(bucket(salt, f"user-{i}")): i += 1
    return f"user-{i}"

def split_pick(weights, b):
    total = sum(weights); cum = 0.0; th = []
    for w in weights:
        cum += w; th.append(math.floor(cum * 100000 / total))
    th[-1] = 100000
    return next(i for i, t in enumerate(th) if b < t)

def bool_flag(key, **kw):
    f = {"key": key, "type": "boolean", "variants": {"on": True, "off": False}, "defaultVariant": "on", "offVariant": "off",
         "enabled": True, "killSwitch": False, "prerequisites": [], "targets": {}, "rules": [], "splitSalt": key + "/split",
         "hasTargeting": False}
    f.update(kw); return f

def str_flag(key, **kw):
    base = {"type": "string", "variants": {"a": "A", "b": "B", "c": "C"}, "defaultVariant": "a", "offVariant": "c"}
    base.update(kw); return bool_flag(key, **base)

flags, cases = {}, []
def add(flag): flags[flag["key"]] = flag
def case(desc, flag, context, value, variant=None, reason=None, error=None, options=None, metadata=None):
    exp = {"value": value, "reason": reason or "ERROR"}
    if variant is not None: exp["variant"] = variant
    if error: exp["errorCode"] = error
    if metadata: exp["metadata"] = metadata
    c = {"description": desc, "flag": flag, "context": context, "expected": exp}
    if options: c["options"] = options
    cases.append(c)

# --- reasons ---------------------------------------------------------------------------------
add(bool_flag("static-bool"))
case("no targeting: defaultVariant, STATIC", "static-bool", {}, True, "on", "STATIC")
case("no context at all is allowed", "static-bool", None, True, "on", "STATIC")
add(str_flag("killed", killSwitch=True, targets={"user-1": "b"}))
case("kill switch beats targets: offVariant, DISABLED", "killed", {"targetingKey": "user-1"}, "C", "c", "DISABLED")
add(str_flag("disabled", enabled=False, targets={"user-1": "b"}))
case("disabled flag: offVariant, DISABLED", "disabled", {"targetingKey": "user-1"}, "C", "c", "DISABLED")
add(bool_flag("parent", defaultVariant="off", hasTargeting=True, targets={"vip": "on"}))
add(str_flag("child", prerequisites=[{"flag": "parent", "variants": ["on"]}]))
case("prerequisite met", "child", {"targetingKey": "vip"}, "A", "a", "STATIC")
case("prerequisite unmet: offVariant, PREREQUISITE_FAILED", "child", {"targetingKey": "someone"}, "C", "c", "PREREQUISITE_FAILED")
add(str_flag("orphan", prerequisites=[{"flag": "ghost", "variants": ["on"]}]))
case("missing prerequisite flag counts as unmet", "orphan", {}, "C", "c", "PREREQUISITE_FAILED")
add(str_flag("targeted", hasTargeting=True, targets={"user-1": "b", "__proto__": "c"}, metadata={"team": "shop"},
             rules=[{"name": "uk", "segments": [], "conditions": [{"attribute": "country", "operator": "equals", "values": ["UK"]}], "variant": "c"}]))
case("individual target: TARGETING_MATCH", "targeted", {"targetingKey": "user-1", "country": "UK"}, "B", "b", "TARGETING_MATCH", metadata={"team": "shop"})
case("target keyed __proto__ is a plain key", "targeted", {"targetingKey": "__proto__"}, "C", "c", "TARGETING_MATCH")
case("first matching rule: TARGETING_MATCH with rule metadata", "targeted", {"targetingKey": "user-2", "country": "UK"}, "C", "c", "TARGETING_MATCH", metadata={"team": "shop", "rule": "uk"})
case("targeting did not decide: defaultVariant, DEFAULT", "targeted", {"targetingKey": "user-2", "country": "FR"}, "A", "a", "DEFAULT")

add(str_flag("rule-split", hasTargeting=True, rules=[{"name": "beta", "segments": [], "conditions": [{"attribute": "beta", "operator": "equals", "values": ["true"]}],
                                                   "split": [{"variant": "a", "weight": 1}, {"variant": "b", "weight": 3}]}]))
for test, variant in [(lambda b: b < 25000, "a"), (lambda b: b >= 25000, "b")]:
    u = user_where("rule-split/split", test)
    case(f"rule split 1:3 serves {variant}: SPLIT", "rule-split", {"targetingKey": u, "beta": True}, variant.upper(), variant, "SPLIT", metadata={"rule": "beta"})
case("rule split without targetingKey: TARGETING_KEY_MISSING", "rule-split", {"beta": True}, "fallback", error="TARGETING_KEY_MISSING", options={"defaultValue": "fallback"})

add(str_flag("rollout-25", hasTargeting=True, rollout={"kind": "percentage", "strategy": "percentage", "percentage": 25, "bucketBy": "targetingKey", "salt": "rollout-25", "variant": "b"}))
case("inside a 25% rollout: rollout variant, SPLIT", "rollout-25", {"targetingKey": user_where("rollout-25", lambda b: b < 25000)}, "B", "b", "SPLIT")
case("outside a 25% rollout: offVariant, DEFAULT", "rollout-25", {"targetingKey": user_where("rollout-25", lambda b: b >= 25000)}, "C", "c", "DEFAULT")
case("rollout without targetingKey: TARGETING_KEY_MISSING", "rollout-25", {"country": "UK"}, "fallback", error="TARGETING_KEY_MISSING", options={"defaultValue": "fallback"})
add(str_flag("rollout-company", hasTargeting=True, rollout={"kind": "percentage", "strategy": "gradual", "percentage": 50, "bucketBy": "companyId", "salt": "custom-salt", "variant": "b", "step": 3}))
inside_co = user_where("custom-salt", lambda b: b < 50000); outside_user = user_where("custom-salt", lambda b: b >= 50000)
case("rollout buckets by bucketBy attribute and rollout salt", "rollout-company", {"targetingKey": outside_user, "companyId": inside_co}, "B", "b", "SPLIT")
case("integer bucketBy values hash as their decimal string", "rollout-company",
     {"targetingKey": outside_user, "companyId": int(next(str(i) for i in range(100000) if bucket("custom-salt", str(i)) < 50000))}, "B", "b", "SPLIT")
case("missing bucketBy attribute falls back to targetingKey", "rollout-company", {"targetingKey": outside_user}, "C", "c", "DEFAULT")
add(str_flag("rollout-full", hasTargeting=True, rollout={"kind": "percentage", "strategy": "percentage", "percentage": 100, "bucketBy": "targetingKey", "salt": "rollout-full"}))
case("100% rollout needs no key; no variant or split: defaultVariant, SPLIT", "rollout-full", {}, "A", "a", "SPLIT")
add(str_flag("rollout-zero", hasTargeting=True, rollout={"kind": "percentage", "strategy": "canary", "percentage": 0, "bucketBy": "targetingKey", "salt": "rollout-zero", "variant": "b"}))
case("0% rollout needs no key: offVariant, DEFAULT", "rollout-zero", {}, "C", "c", "DEFAULT")
add(str_flag("rollout-split", hasTargeting=True, rollout={"kind": "percentage", "strategy": "percentage", "percentage": 100, "bucketBy": "targetingKey", "salt": "rollout-split",
                                                          "split": [{"variant": "a", "weight": 50}, {"variant": "b", "weight": 50}]}))
u = user_where("rollout-split/split", lambda b: b >= 50000)
case("rollout split uses the flag's splitSalt", "rollout-split", {"targetingKey": u}, "B", "b", "SPLIT")

beta_segment = {"name": "beta", "key": "targetingKey", "included": ["user-1"], "excluded": [], "match": "all", "conditions": []}
add(str_flag("ring", hasTargeting=True, rollout={"kind": "audience", "strategy": "ring", "salt": "ring", "bucketBy": "targetingKey", "variant": "b",
                                                 "matchers": [{"segments": [beta_segment], "conditions": []}, {"segments": [], "conditions": [{"attribute": "team", "operator": "in", "values": ["qa", "sre"]}]}]}))
case("ring member via segment: TARGETING_MATCH", "ring", {"targetingKey": "user-1"}, "B", "b", "TARGETING_MATCH")
case("ring member via condition: TARGETING_MATCH", "ring", {"team": "sre"}, "B", "b", "TARGETING_MATCH")
case("outside every ring: offVariant, DEFAULT", "ring", {"targetingKey": "user-2"}, "C", "c", "DEFAULT")

add(str_flag("weighted", hasTargeting=True, split=[{"variant": "a", "weight": 50}, {"variant": "b", "weight": 30}, {"variant": "c", "weight": 20}]))
for lo, hi, v in [(0, 50000, "a"), (50000, 80000, "b"), (80000, 100000, "c")]:
    case(f"weighted variants 50/30/20 serve {v}: SPLIT", "weighted", {"targetingKey": user_where("weighted/split", lambda b: lo <= b < hi)}, v.upper(), v, "SPLIT")
case("non-ASCII targetingKey is hashed as UTF-8", "weighted", {"targetingKey": "用户😀"}, ["A", "B", "C"][split_pick([50, 30, 20], bucket("weighted/split", "用户😀"))],
     ["a", "b", "c"][split_pick([50, 30, 20], bucket("weighted/split", "用户😀"))], "SPLIT")

add(str_flag("experimented", hasTargeting=True, experiment={"name": "checkout-test", "traffic": 50, "control": "a", "salt": "exp-salt",
     "audience": {"segments": [], "conditions": [{"attribute": "country", "operator": "equals", "values": ["UK"]}]},
     "split": [{"variant": "a", "weight": 50}, {"variant": "b", "weight": 50}]}))
enrolled_b = next(f"user-{i}" for i in range(100000) if bucket("exp-salt/traffic", f"user-{i}") < 50000 and bucket("exp-salt", f"user-{i}") >= 50000)
not_enrolled = user_where("exp-salt/traffic", lambda b: b >= 50000)
case("enrolled in an experiment: its split, SPLIT, experiment metadata", "experimented", {"targetingKey": enrolled_b, "country": "UK"}, "B", "b", "SPLIT", metadata={"experiment": "checkout-test"})
case("outside the experiment's traffic share: falls through", "experimented", {"targetingKey": not_enrolled, "country": "UK"}, "A", "a", "DEFAULT")
case("outside the experiment's audience: falls through", "experimented", {"targetingKey": enrolled_b, "country": "FR"}, "A", "a", "DEFAULT")

seg_any = {"name": "vip", "key": "email", "included": ["boss@example.com"], "excluded": ["ex@example.com"], "match": "any",
           "conditions": [{"attribute": "plan", "operator": "equals", "values": ["premium"]}, {"attribute": "spend", "operator": "greaterThan", "values": [1000]}]}
add(bool_flag("segmented", defaultVariant="off", hasTargeting=True, rules=[{"name": "vip", "segments": [seg_any], "conditions": [], "variant": "on"}]))
case("segment included by its key attribute", "segmented", {"email": "boss@example.com"}, True, "on", "TARGETING_MATCH")
case("segment exclusion beats conditions", "segmented", {"email": "ex@example.com", "plan": "premium"}, False, "off", "DEFAULT")
case("segment match any: one condition is enough", "segmented", {"spend": 5000}, True, "on", "TARGETING_MATCH")
case("segment match any: no condition holds", "segmented", {"plan": "free", "spend": 10}, False, "off", "DEFAULT")

# --- errors ----------------------------------------------------------------------------------
case("unknown flag: FLAG_NOT_FOUND, caller's default", "nope", {}, "fallback", error="FLAG_NOT_FOUND", options={"defaultValue": "fallback"})
add(str_flag("json-flag", type="json", variants={"a": {"theme": "dark", "sizes": [1, 2]}, "b": [1, 2], "c": None}))
case("json flag answers to expectedType object", "json-flag", {}, {"theme": "dark", "sizes": [1, 2]}, "a", "STATIC", options={"expectedType": "object"})
case("caller expects another type: TYPE_MISMATCH", "json-flag", {}, "fallback", error="TYPE_MISMATCH", options={"defaultValue": "fallback", "expectedType": "string"})
case("boolean flag asked as number: TYPE_MISMATCH", "static-bool", {}, 0, error="TYPE_MISMATCH", options={"defaultValue": 0, "expectedType": "number"})
case("context is an array: INVALID_CONTEXT", "static-bool", [1, 2], False, error="INVALID_CONTEXT", options={"defaultValue": False})
case("context is a string: INVALID_CONTEXT", "static-bool", "user-1", False, error="INVALID_CONTEXT", options={"defaultValue": False})
case("targetingKey is not a string: INVALID_CONTEXT", "static-bool", {"targetingKey": 42}, False, error="INVALID_CONTEXT", options={"defaultValue": False})
broken = bool_flag("broken"); broken["defaultVariant"] = "maybe"
add(broken)
case("malformed flag in the snapshot: PARSE_ERROR", "broken", {}, False, error="PARSE_ERROR", options={"defaultValue": False})

# --- operators: one boolean flag per condition, "on" when it holds ------------------------------
OPS = [
  ("equals", {"values": ["UK", "US"]}, [({"a": "US"}, True), ({"a": "us"}, False), ({"a": ["FR", "UK"]}, True), ({}, False)]),
  ("equals", {"values": ["uk"], "caseInsensitive": True}, [({"a": "UK"}, True)]),
  ("equals", {"values": ["UK"], "negate": True}, [({"a": "UK"}, False), ({"a": "FR"}, True), ({}, True)]),
  ("equals", {"values": [42]}, [({"a": 42}, True), ({"a": "42"}, True), ({"a": "42.0"}, True), ({"a": 43}, False)]),
  ("equals", {"values": ["1.1"]}, [({"a": "1.10"}, False), ({"a": 1.1}, True)]),
  ("equals", {"values": ["true"]}, [({"a": True}, True), ({"a": False}, False)]),
  ("notEquals", {"values": ["UK", "US"]}, [({"a": "FR"}, True), ({"a": "UK"}, False), ({}, False)]),
  ("notEquals", {"values": ["uk"], "caseInsensitive": True}, [({"a": "UK"}, False)]),
  ("in", {"values": ["US", "UK", "CA"]}, [({"a": "CA"}, True), ({"a": "MX"}, False)]),
  ("notIn", {"values": ["US", "UK", "CA"]}, [({"a": "MX"}, True), ({"a": "CA"}, False), ({"a": ["MX", "CA"]}, False), ({"a": None}, False)]),
  ("notIn", {"values": ["US"], "negate": True}, [({"a": "US"}, True), ({}, True)]),
  ("contains", {"values": ["@example.com"]}, [({"a": "jo@example.com"}, True), ({"a": "jo@EXAMPLE.com"}, False), ({"a": 5}, False)]),
  ("contains", {"values": ["@EXAMPLE.COM"], "caseInsensitive": True}, [({"a": "jo@example.com"}, True)]),
  ("contains", {"values": ["beta"]}, [({"a": ["alpha", "beta"]}, True), ({"a": ["alphabeta"]}, False)]),
  ("notContains", {"values": ["test"]}, [({"a": "production"}, True), ({"a": "my-test"}, False), ({"a": ["test"]}, False)]),
  ("notContains", {"values": ["TEST"], "caseInsensitive": True}, [({"a": "my-test"}, False)]),
  ("startsWith", {"values": ["user-", "admin-"]}, [({"a": "admin-1"}, True), ({"a": "guest-1"}, False)]),
  ("startsWith", {"values": ["USER-"], "caseInsensitive": True}, [({"a": "user-1"}, True)]),
  ("endsWith", {"values": [".de"]}, [({"a": "shop.de"}, True), ({"a": "shop.DE"}, False)]),
  ("endsWith", {"values": [".de"], "negate": True}, [({"a": "shop.fr"}, True)]),
  ("regex", {"values": ["^user-[0-9]+$"]}, [({"a": "user-12"}, True), ({"a": "user-12a"}, False), ({"a": 12}, False)]),
  ("regex", {"values": ["^USER"], "caseInsensitive": True}, [({"a": "user-1"}, True)]),
  ("regex", {"values": ["(a+)+$"]}, [({"a": "a" * 5000 + "!"}, False)]),
  ("greaterThan", {"values": [18]}, [({"a": 21}, True), ({"a": 18}, False), ({"a": "18.5"}, True), ({"a": "old"}, False)]),
  ("greaterThanOrEqual", {"values": ["18"]}, [({"a": 18}, True), ({"a": 17.99}, False)]),
  ("lessThan", {"values": [10, 100]}, [({"a": 50}, True), ({"a": 100}, False)]),
  ("lessThanOrEqual", {"values": [10]}, [({"a": "1e1"}, True), ({"a": 11}, False)]),
  ("lessThanOrEqual", {"values": [10], "negate": True}, [({"a": 11}, True)]),
  ("exists", {}, [({"a": ""}, True), ({"a": 0}, True), ({"a": None}, False), ({}, False)]),
  ("exists", {"negate": True}, [({}, True), ({"a": "x"}, False)]),
  ("semverEquals", {"values": ["1.2.3"]}, [({"a": "v1.2.3"}, True), ({"a": "1.2.4"}, False), ({"a": "1.2"}, False)]),
  ("semverGreaterThan", {"values": ["1.9.0"]}, [({"a": "1.10.0"}, True), ({"a": "2.0.0-rc.1"}, True), ({"a": "1.9.0"}, False)]),
  ("semverLessThan", {"values": ["2.0.0"]}, [({"a": "2.0.0-rc.1"}, True), ({"a": "2.0.0"}, False), ({"a": "latest"}, False)]),
  ("before", {"values": ["2026-11-24T09:00:00Z"]}, [({"a": "2026-11-24T08:59:59Z"}, True), ({"a": "2026-11-24T10:00:00+01:00"}, False), ({"a": 1764000000000}, True), ({"a": "2026-11-23"}, True), ({"a": "Nov 23 2026"}, False)]),
  ("after", {"values": ["2026-11-24"]}, [({"a": "2026-11-24T00:00:01Z"}, True), ({"a": "2026-11-24T00:00:00Z"}, False), ({"a": 1796000000000}, True), ({"a": 1795000000000}, False)]),
]
for i, (op, extra, op_cases) in enumerate(OPS):
    key = f"op-{i:02d}-{op.lower()}"
    cond = {"attribute": "a", "operator": op}; cond.update(extra)
    add(bool_flag(key, defaultVariant="off", hasTargeting=True, rules=[{"name": "r", "segments": [], "conditions": [cond], "variant": "on"}]))
    for ctx, holds in op_cases:
        shown = json.dumps(ctx.get("a", "(missing)"), ensure_ascii=False)[:30]
        case(f"{op}{' negate' if extra.get('negate') else ''}{' caseInsensitive' if extra.get('caseInsensitive') else ''} {extra.get('values', [])} vs {shown}: {holds}",
             key, ctx, holds, "on" if holds else "off", "TARGETING_MATCH" if holds else "DEFAULT")
add(bool_flag("proto-attr", defaultVariant="off", hasTargeting=True, rules=[{"name": "r", "segments": [], "conditions": [{"attribute": "__proto__", "operator": "equals", "values": ["x"]}], "variant": "on"}]))
case("__proto__ is a plain attribute name (present)", "proto-attr", {"__proto__": "x"}, True, "on", "TARGETING_MATCH")
case("__proto__ is a plain attribute name (absent)", "proto-attr", {"constructor": "x"}, False, "off", "DEFAULT")

doc = {
  "description": "Vexil evaluation vectors: every evaluator and SDK evaluates each case against the snapshot and must get expected.value, expected.variant (absent on errors), expected.reason, expected.errorCode (when present) and, when given, expected.metadata. A null context means 'no context'. options.defaultValue is the caller's default; options.expectedType is the caller's type (json flags answer to 'object'). Bucketing is defined in bucketing.json.",
  "snapshot": {"schemaVersion": 1, "namespace": "vectors", "environment": "production", "hash": "0" * 64, "flags": flags},
  "cases": cases,
}
# Keep what gen-evaluation.ts generated (flags gen-*, cases marked "generated"): run it after this.
previous = json.loads((HERE.parent / "evaluation.json").read_text(encoding="utf-8"))
for key, flag in previous["snapshot"]["flags"].items():
    if key.startswith("gen-"): flags[key] = flag
cases += [c for c in previous["cases"] if c.get("generated")]
with open(HERE.parent / "evaluation.json", "w", encoding="utf-8") as f:
    json.dump(doc, f, ensure_ascii=False, indent=1); f.write("\n")
print(len(flags), "flags", len(cases), "cases")
