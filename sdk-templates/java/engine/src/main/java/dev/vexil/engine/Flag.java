package dev.vexil.engine;

import static dev.vexil.engine.Shape.expectArray;
import static dev.vexil.engine.Shape.expectNumber;
import static dev.vexil.engine.Shape.expectObject;
import static dev.vexil.engine.Shape.expectString;
import static dev.vexil.engine.Shape.optionalArray;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The runtime form of a compiled flag (core/evaluate/prepare-flag.ts), its shape checked on the way:
 * a malformed flag throws Shape.Malformed naming the field, reported by evaluation as PARSE_ERROR.
 */
final class Flag {
  record Variant(String name, Object value) {}

  record Split(List<Variant> variants, int[] thresholds, Hashing.Salt salt) {}

  record Rule(Matcher matcher, Variant variant, Split split, Map<String, Object> metadata) {}

  /** percentage, gradual, canary: matchers null; ring, targeted: matchers set. */
  record Rollout(double percentage, Hashing.Salt salt, List<Matcher> matchers, Variant variant, Split split) {}

  record Experiment(double traffic, Matcher audience, Split split, Hashing.Salt enrollmentSalt, Map<String, Object> metadata) {}

  record Prerequisite(String flag, Set<String> variants) {}

  private static final Set<String> TYPES = Set.of("boolean", "string", "number", "json");

  final String key;
  final String type;
  final Variant defaultVariant;
  final Variant offVariant;
  final List<Prerequisite> prerequisites;
  final Map<String, Variant> targets;
  final List<Rule> rules = new ArrayList<>();
  final Rollout rollout;
  final Experiment experiment;
  final Split split;
  final String bucketBy;
  final boolean hasTargeting;
  final Map<String, Object> metadata;
  /** set when the answer does not depend on the context (killed, disabled, nothing to decide) */
  final Variant fixedVariant;
  final String fixedReason;

  private final Map<String, Variant> variants = new HashMap<>();
  private final String splitSalt;

  Flag(String key, Map<String, Object> raw) {
    this.key = key;
    if (!(raw.get("type") instanceof String t) || !TYPES.contains(t)) {
      throw new Shape.Malformed("type must be one of boolean, string, number, json");
    }
    this.type = t;
    for (Map.Entry<String, Object> e : expectObject(raw.get("variants"), "variants").entrySet()) {
      if (!fits(e.getValue())) {
        throw new Shape.Malformed("variant \"" + e.getKey() + "\" has a value that is not of type " + type);
      }
      variants.put(e.getKey(), new Variant(e.getKey(), e.getValue()));
    }
    this.splitSalt = expectString(raw.get("splitSalt"), "splitSalt");
    this.metadata = metadata(raw);
    Object[] rolloutParts = rollout(raw);
    this.rollout = (Rollout) rolloutParts[0];
    this.bucketBy = (String) rolloutParts[1];
    this.defaultVariant = ref(raw.get("defaultVariant"), "defaultVariant");
    this.offVariant = ref(raw.get("offVariant"), "offVariant");
    boolean enabled = !Boolean.FALSE.equals(raw.get("enabled"));
    boolean killSwitch = Boolean.TRUE.equals(raw.get("killSwitch"));
    this.prerequisites = prerequisites(raw);
    this.targets = targets(raw);
    List<Object> rawRules = optionalArray(raw, "rules", "rules");
    for (int i = 0; i < rawRules.size(); i++) rules.add(rule(rawRules.get(i), i));
    this.experiment = experiment(raw);
    this.split = raw.containsKey("split") ? split(raw.get("split"), splitSalt, "split") : null;
    this.hasTargeting = Boolean.TRUE.equals(raw.get("hasTargeting"));
    boolean decides = !prerequisites.isEmpty() || !targets.isEmpty() || !rules.isEmpty() || experiment != null
        || rollout != null || split != null;
    if (killSwitch || !enabled) {
      fixedVariant = offVariant;
      fixedReason = EvaluationResult.DISABLED;
    } else if (!decides) {
      fixedVariant = defaultVariant;
      fixedReason = hasTargeting ? EvaluationResult.DEFAULT : EvaluationResult.STATIC;
    } else {
      fixedVariant = null;
      fixedReason = null;
    }
  }

  private boolean fits(Object value) {
    return switch (type) {
      case "boolean" -> value instanceof Boolean;
      case "string" -> value instanceof String;
      case "number" -> {
        Double n = Values.number(value);
        yield n != null && Double.isFinite(n);
      }
      default -> true;
    };
  }

  private Variant ref(Object name, String where) {
    Variant v = name instanceof String s ? variants.get(s) : null;
    if (v == null) throw new Shape.Malformed(where + " names variant " + name + ", which the flag does not declare");
    return v;
  }

  private Variant optionalRef(Map<String, Object> o, String key, String where) {
    return o.containsKey(key) ? ref(o.get(key), where) : null;
  }

  private Split split(Object raw, String salt, String where) {
    List<Object> entries = expectArray(raw, where);
    List<Variant> splitVariants = new ArrayList<>();
    double[] weights = new double[entries.size()];
    for (int i = 0; i < entries.size(); i++) {
      Map<String, Object> entry = expectObject(entries.get(i), where + "[" + i + "]");
      splitVariants.add(ref(entry.get("variant"), where + "[" + i + "]"));
      weights[i] = expectNumber(entry.get("weight"), where + "[" + i + "].weight");
    }
    int[] thresholds = Hashing.splitThresholds(weights);
    if (thresholds == null) throw new Shape.Malformed(where + " needs non-negative weights with a positive total");
    return new Split(List.copyOf(splitVariants), thresholds, new Hashing.Salt(salt));
  }

  private static Map<String, Object> withEntry(Map<String, Object> metadata, String key, String value) {
    Map<String, Object> out = new LinkedHashMap<>(metadata == null ? Map.of() : metadata);
    out.put(key, value);
    return Collections.unmodifiableMap(out);
  }

  private static Map<String, Object> metadata(Map<String, Object> raw) {
    if (!raw.containsKey("metadata")) return null;
    Map<String, Object> m = expectObject(raw.get("metadata"), "metadata");
    for (Object v : m.values()) {
      if (!(v instanceof String) && !(v instanceof Boolean) && Values.number(v) == null) {
        throw new Shape.Malformed("metadata values must be strings, numbers or booleans");
      }
    }
    return Collections.unmodifiableMap(new LinkedHashMap<>(m));
  }

  private Object[] rollout(Map<String, Object> raw) {
    if (!raw.containsKey("rollout")) return new Object[] {null, Matcher.TARGETING_KEY};
    Map<String, Object> r = expectObject(raw.get("rollout"), "rollout");
    String by = r.containsKey("bucketBy") ? expectString(r.get("bucketBy"), "rollout.bucketBy") : Matcher.TARGETING_KEY;
    Variant variant = optionalRef(r, "variant", "rollout.variant");
    Split rolloutSplit = r.containsKey("split") ? split(r.get("split"), splitSalt, "rollout.split") : null;
    Object kind = r.get("kind");
    if ("percentage".equals(kind)) {
      double percentage = expectNumber(r.get("percentage"), "rollout.percentage");
      Hashing.Salt salt = new Hashing.Salt(expectString(r.get("salt"), "rollout.salt"));
      return new Object[] {new Rollout(percentage, salt, null, variant, rolloutSplit), by};
    }
    if ("audience".equals(kind)) {
      List<Matcher> matchers = new ArrayList<>();
      List<Object> rawMatchers = expectArray(r.get("matchers"), "rollout.matchers");
      for (int i = 0; i < rawMatchers.size(); i++) {
        matchers.add(Matcher.prepare(rawMatchers.get(i), true, "rollout.matchers[" + i + "]"));
      }
      return new Object[] {new Rollout(0, null, matchers, variant, rolloutSplit), by};
    }
    throw new Shape.Malformed("rollout.kind must be \"percentage\" or \"audience\"");
  }

  private List<Prerequisite> prerequisites(Map<String, Object> raw) {
    List<Prerequisite> out = new ArrayList<>();
    List<Object> list = optionalArray(raw, "prerequisites", "prerequisites");
    for (int i = 0; i < list.size(); i++) {
      String where = "prerequisites[" + i + "]";
      Map<String, Object> p = expectObject(list.get(i), where);
      Set<String> allowed = new HashSet<>();
      for (Object v : optionalArray(p, "variants", where + ".variants")) if (v instanceof String s) allowed.add(s);
      out.add(new Prerequisite(expectString(p.get("flag"), where + ".flag"), allowed));
    }
    return out;
  }

  private Map<String, Variant> targets(Map<String, Object> raw) {
    Map<String, Variant> out = new HashMap<>();
    if (!raw.containsKey("targets")) return out;
    for (Map.Entry<String, Object> e : expectObject(raw.get("targets"), "targets").entrySet()) {
      out.put(e.getKey(), ref(e.getValue(), "targets[\"" + e.getKey() + "\"]"));
    }
    return out;
  }

  private Rule rule(Object raw, int i) {
    String where = "rules[" + i + "]";
    Map<String, Object> r = expectObject(raw, where);
    String name = r.containsKey("name") ? expectString(r.get("name"), where + ".name") : "";
    Split ruleSplit = r.containsKey("split") ? split(r.get("split"), splitSalt, where + ".split") : null;
    Variant variant = optionalRef(r, "variant", where + ".variant");
    if ((ruleSplit == null) == (variant == null)) {
      throw new Shape.Malformed(where + " must serve exactly one of variant or split");
    }
    Map<String, Object> ruleMetadata = name.isEmpty() ? metadata : withEntry(metadata, "rule", name);
    return new Rule(Matcher.prepare(r, true, where), variant, ruleSplit, ruleMetadata);
  }

  private Experiment experiment(Map<String, Object> raw) {
    if (!raw.containsKey("experiment")) return null;
    Map<String, Object> e = expectObject(raw.get("experiment"), "experiment");
    String name = expectString(e.get("name"), "experiment.name");
    String salt = expectString(e.get("salt"), "experiment.salt");
    double traffic = expectNumber(e.get("traffic"), "experiment.traffic");
    Matcher audience = Matcher.prepare(e.get("audience"), e.containsKey("audience"), "experiment.audience");
    Split experimentSplit = split(e.containsKey("split") ? e.get("split") : List.of(), salt, "experiment.split");
    return new Experiment(traffic, audience, experimentSplit, new Hashing.Salt(salt + "/traffic"),
        withEntry(metadata, "experiment", name));
  }
}
