package dev.vexil.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.junit.jupiter.api.Test;

/**
 * Conformance: every case of test/vectors/evaluation.json and every vector of
 * test/vectors/bucketing.json, printing the pass counts (system property vexil.vectors names the
 * directory).
 */
class ConformanceTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static Path vectors(String name) {
    return Path.of(System.getProperty("vexil.vectors", "../../../test/vectors"), name);
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> read(String name) throws IOException {
    return JSON.readValue(vectors(name).toFile(), Map.class);
  }

  /** JSON equality: numbers by value (1 equals 1.0), everything else structurally. */
  static boolean same(Object a, Object b) {
    if (a instanceof Number x && b instanceof Number y) return x.doubleValue() == y.doubleValue();
    if (a instanceof Map<?, ?> x && b instanceof Map<?, ?> y) {
      if (!x.keySet().equals(y.keySet())) return false;
      for (Object k : x.keySet()) if (!same(x.get(k), y.get(k))) return false;
      return true;
    }
    if (a instanceof List<?> x && b instanceof List<?> y) {
      if (x.size() != y.size()) return false;
      for (int i = 0; i < x.size(); i++) if (!same(x.get(i), y.get(i))) return false;
      return true;
    }
    return Objects.equals(a, b);
  }

  @Test
  @SuppressWarnings("unchecked")
  void everyEvaluationVectorAgreesWithTheTypeScriptEngine() throws Exception {
    Map<String, Object> file = read("evaluation.json");
    Snapshot snapshot = Snapshot.of(file.get("snapshot"));
    List<Map<String, Object>> cases = (List<Map<String, Object>>) file.get("cases");
    List<String> failures = new ArrayList<>();
    for (Map<String, Object> c : cases) {
      Map<String, Object> options = (Map<String, Object>) c.getOrDefault("options", Map.of());
      EvaluationResult r = Engine.evaluate(snapshot, (String) c.get("flag"), c.get("context"),
          options.get("defaultValue"), (String) options.get("expectedType"));
      Map<String, Object> expected = (Map<String, Object>) c.get("expected");
      Map<String, Object> got = new HashMap<>();
      got.put("value", r.value());
      got.put("variant", r.variant());
      got.put("reason", r.reason());
      got.put("errorCode", r.errorCode());
      Map<String, Object> want = new HashMap<>();
      for (String k : List.of("value", "variant", "reason", "errorCode")) want.put(k, expected.get(k));
      boolean ok = same(got, want);
      if (ok && expected.containsKey("metadata")) ok = same(r.metadata(), expected.get("metadata"));
      if (!ok) failures.add(c.get("description") + ": expected " + want + ", got " + got + " metadata " + r.metadata());
    }
    failures.forEach(f -> System.out.println("FAIL " + f));
    System.out.println("java engine: evaluation " + (cases.size() - failures.size()) + "/" + cases.size() + " passed");
    assertEquals(List.of(), failures);
  }

  @Test
  @SuppressWarnings("unchecked")
  void everyBucketingVectorAgreesWithTheIndependentPythonHashes() throws Exception {
    Map<String, Object> file = read("bucketing.json");
    List<String> failures = new ArrayList<>();
    int total = 0;
    for (Map<String, Object> v : (List<Map<String, Object>>) file.get("vectors")) {
      total++;
      String salt = (String) v.get("salt"), value = (String) v.get("value");
      if (Hashing.murmur3(salt + ":" + value) != ((Number) v.get("hash")).longValue()
          || Hashing.bucket(salt, value) != ((Number) v.get("bucket")).intValue()) {
        failures.add("hash " + salt + ":" + value);
      }
    }
    for (Map<String, Object> s : (List<Map<String, Object>>) file.get("splits")) {
      total++;
      List<Map<String, Object>> split = (List<Map<String, Object>>) s.get("split");
      double[] weights = split.stream().mapToDouble(w -> ((Number) w.get("weight")).doubleValue()).toArray();
      int[] thresholds = Hashing.splitThresholds(weights);
      int b = Hashing.bucket((String) s.get("salt"), (String) s.get("value"));
      if (thresholds == null || b != ((Number) s.get("bucket")).intValue()
          || !split.get(Hashing.pickSplit(thresholds, b)).get("variant").equals(s.get("variant"))) {
        failures.add("split " + s.get("salt") + " " + s.get("value"));
      }
    }
    for (Map<String, Object> r : (List<Map<String, Object>>) file.get("rollouts")) {
      total++;
      int b = Hashing.bucket((String) r.get("salt"), (String) r.get("value"));
      boolean inside = Hashing.isInsideRollout(b, ((Number) r.get("percentage")).doubleValue());
      if (b != ((Number) r.get("bucket")).intValue() || inside != (Boolean) r.get("inside")) {
        failures.add("rollout " + r.get("salt") + " " + r.get("value") + " at " + r.get("percentage"));
      }
    }
    failures.forEach(f -> System.out.println("FAIL " + f));
    System.out.println("java engine: bucketing " + (total - failures.size()) + "/" + total + " passed");
    assertEquals(List.of(), failures);
  }
}
