package dev.vexil.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vexil.engine.Engine;
import dev.vexil.engine.Snapshot;
import io.getunleash.DefaultUnleash;
import io.getunleash.Unleash;
import io.getunleash.UnleashContext;
import io.getunleash.util.UnleashConfig;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.IntFunction;

/**
 * In-process evaluation benchmark, Java: Vexil's engine port against Unleash's Java SDK on the four
 * standard cases of bench/cases.ts over 1000 rotating users, in one JVM. Prints one line "RESULT
 * {json}" per system and case. Time is the benchmark thread's CPU time, so other processes on a busy
 * machine do not count against a system (nor do the JIT and GC threads, for either system). Usage: java dev.vexil.bench.Bench CONFIG_DIR [--quick]
 */
public final class Bench {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final List<String> CASES = List.of("static", "rule", "rollout", "split");
  private static final Object[] SINK = new Object[8];

  record Case(IntFunction<Object> run, Function<Object, Object> answer, IntFunction<Object> other) {}

  record SystemUnderTest(String id, String name, String version, Map<String, Case> cases) {}

  private Bench() {}

  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

  /** The benchmark thread's CPU time (ns precision; the process's is counted in 10 ms ticks). */
  private static long cpuNanos() {
    return THREADS.getCurrentThreadCpuTime();
  }

  private static long loop(IntFunction<Object> run, int users, int iterations) {
    long start = cpuNanos();
    for (int i = 0; i < iterations; i++) SINK[i & 7] = run.apply(i % users);
    return cpuNanos() - start;
  }

  static double[] measure(IntFunction<Object> run, int users, double warmupS, double roundS, int rounds) {
    int iterations = 1000;
    long elapsed;
    while ((elapsed = loop(run, users, iterations)) < roundS * 1e9 / 4) iterations *= 2;
    iterations = (int) Math.max(1000, iterations * roundS * 1e9 / elapsed);
    long end = cpuNanos() + (long) (warmupS * 1e9);
    while (cpuNanos() < end) loop(run, users, iterations);
    double[] timings = new double[rounds];
    for (int r = 0; r < rounds; r++) {
      System.gc();
      timings[r] = (double) loop(run, users, iterations) / iterations;
    }
    return timings;
  }

  @SuppressWarnings("unchecked")
  private static <T> T read(Path dir, String name) throws Exception {
    return (T) JSON.readValue(dir.resolve(name).toFile(), Object.class);
  }

  private static SystemUnderTest vexil(Path dir, Map<String, String> keys, List<Map<String, String>> users,
      List<Map<String, String>> others) throws Exception {
    Snapshot snapshot = Snapshot.load(dir.resolve("snapshot.json"));
    Function<List<Map<String, String>>, List<Map<String, Object>>> contexts = us -> us.stream()
        .map(u -> Map.<String, Object>of("targetingKey", u.get("id"), "country", u.get("country"), "plan", u.get("plan")))
        .toList();
    List<Map<String, Object>> all = contexts.apply(users), other = contexts.apply(others);
    Map<String, Case> cases = new LinkedHashMap<>();
    for (String c : CASES) {
      String key = keys.get(c);
      cases.put(c, new Case(
          i -> Engine.evaluate(snapshot, key, all.get(i), null, null),
          r -> ((dev.vexil.engine.EvaluationResult) r).value(),
          i -> Engine.evaluate(snapshot, key, other.get(i), null, null).value()));
    }
    return new SystemUnderTest("vexil", "vexil (engine port)", "this repository", cases);
  }

  private static SystemUnderTest unleash(Path dir, Map<String, String> keys, List<Map<String, String>> users,
      List<Map<String, String>> others) throws Exception {
    String features = "{\"version\":2,\"features\":" + Files.readString(dir.resolve("unleash.json")) + "}";
    UnleashConfig config = UnleashConfig.builder()
        .appName("vexil-bench")
        .unleashAPI("http://127.0.0.1:9/api/")
        .toggleBootstrapProvider(() -> Optional.of(features))
        .backupFile(dir.resolve("unleash-backup.json").toString())
        .disablePolling()
        .disableMetrics()
        .synchronousFetchOnInitialisation(false)
        .build();
    Unleash client = new DefaultUnleash(config);
    Function<List<Map<String, String>>, List<UnleashContext>> contexts = us -> us.stream()
        .map(u -> UnleashContext.builder().userId(u.get("id"))
            .addProperty("country", u.get("country")).addProperty("plan", u.get("plan")).build())
        .toList();
    List<UnleashContext> all = contexts.apply(users), other = contexts.apply(others);
    Map<String, Case> cases = new LinkedHashMap<>();
    for (String c : CASES) {
      String key = keys.get(c);
      if (c.equals("split")) {
        Function<Object, Object> payload = r -> ((io.getunleash.variant.Variant) r).getPayload().map(p -> p.getValue()).orElse(null);
        cases.put(c, new Case(i -> client.getVariant(key, all.get(i)), payload, i -> payload.apply(client.getVariant(key, other.get(i)))));
      } else {
        cases.put(c, new Case(i -> client.isEnabled(key, all.get(i)), r -> r, i -> client.isEnabled(key, other.get(i))));
      }
    }
    String version = Optional.ofNullable(Unleash.class.getPackage().getImplementationVersion()).orElse("11.1.1");
    return new SystemUnderTest("unleash", "unleash-client-java", version, cases);
  }

  static String sanity(String c, List<Object> answers, List<Object> others) {
    Function<Object, Double> share = want -> answers.stream().filter(want::equals).count() / (double) answers.size();
    return switch (c) {
      case "static" -> share.apply(true) == 1 ? "ok" : "static flag not always on";
      case "rule" -> share.apply(true) != 1 ? "matching users not all on"
          : others.stream().allMatch(Boolean.FALSE::equals) ? "ok" : "non-matching users on";
      case "rollout" -> Math.abs(share.apply(true) - 0.25) <= 0.04 ? "ok" : "rollout share " + share.apply(true);
      default -> Math.abs(share.apply("a") - 0.5) < 0.05 && Math.abs(share.apply("b") - 0.3) < 0.05
          && Math.abs(share.apply("c") - 0.2) < 0.05 ? "ok" : "split shares " + share.apply("a") + "/" + share.apply("b");
    };
  }

  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args[0]);
    boolean quick = args.length > 1 && args[1].equals("--quick");
    double warmupS = quick ? 0.3 : 2, roundS = quick ? 0.05 : 0.2;
    int rounds = quick ? 3 : 7;
    Map<String, String> keys = read(dir, "keys.json");
    List<Map<String, String>> users = read(dir, "users.json"), others = read(dir, "non-matching.json");
    for (SystemUnderTest s : List.of(vexil(dir, keys, users, others), unleash(dir, keys, users, others))) {
      for (String c : CASES) {
        Case bc = s.cases().get(c);
        List<Object> answers = new ArrayList<>(), otherAnswers = new ArrayList<>();
        for (int i = 0; i < users.size(); i++) answers.add(bc.answer().apply(bc.run().apply(i)));
        for (int i = 0; i < others.size(); i++) otherAnswers.add(bc.other().apply(i));
        double[] timings = measure(bc.run(), users.size(), warmupS, roundS, rounds);
        double[] sorted = timings.clone();
        Arrays.sort(sorted);
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("language", "java");
        result.put("system", s.id());
        result.put("name", s.name());
        result.put("version", s.version());
        result.put("case", c);
        result.put("nsPerEval", sorted[sorted.length / 2]);
        result.put("rounds", timings);
        result.put("sanity", sanity(c, answers, otherAnswers));
        System.out.println("RESULT " + JSON.writeValueAsString(result));
      }
    }
    System.exit(0);
  }
}
