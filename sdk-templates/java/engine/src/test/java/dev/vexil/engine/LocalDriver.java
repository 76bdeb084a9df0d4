package dev.vexil.engine;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Drives LocalEvaluator for test/sdk/engines/local.test.ts, one command per stdin line, one JSON
 * answer per stdout line (the protocol of test/sdk/engines/drivers/local_driver.py). Usage: URL TOKEN,
 * or --file SNAPSHOT.
 */
public final class LocalDriver {
  private static final ObjectMapper JSON = new ObjectMapper();

  private LocalDriver() {}

  private static void answer(Object value) throws Exception {
    System.out.println(JSON.writeValueAsString(value));
    System.out.flush();
  }

  private static Map<String, Object> result(EvaluationResult r) {
    Map<String, Object> out = new HashMap<>();
    out.put("value", r.value());
    out.put("variant", r.variant());
    out.put("reason", r.reason());
    out.put("errorCode", r.errorCode());
    return out;
  }

  @SuppressWarnings("unchecked")
  public static void main(String[] args) throws Exception {
    LocalEvaluator.Options options = args[0].equals("--file")
        ? LocalEvaluator.Options.offline(Path.of(args[1]))
        : new LocalEvaluator.Options(args[0], args[1], null, null, Duration.ofSeconds(5), Duration.ofMillis(200),
            Duration.ofMillis(200));
    List<String> events = java.util.Collections.synchronizedList(new ArrayList<>());
    LocalEvaluator local = new LocalEvaluator(options);
    local.on((event, message) -> events.add(event));
    local.start();
    BufferedReader input = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    Map<String, Object> user = Map.of("targetingKey", "u");
    for (String line; (line = input.readLine()) != null; ) {
      String[] parts = line.trim().split(" ", 2);
      switch (parts[0]) {
        case "evaluate" -> {
          Map<String, Object> a = JSON.readValue(parts[1], Map.class);
          answer(result(local.evaluate((String) a.get("key"), a.get("context"), a.get("default"), (String) a.get("type"))));
        }
        case "wait" -> {
          String[] w = parts[1].split(" ");
          long start = System.nanoTime();
          double limit = Double.parseDouble(w[2]) * 1e9;
          while (!local.evaluate(w[0], user, null, null).reason().equals(w[1]) && System.nanoTime() - start < limit) {
            Thread.sleep(5);
          }
          boolean ok = local.evaluate(w[0], user, null, null).reason().equals(w[1]);
          answer(Map.of("ok", ok, "ms", (System.nanoTime() - start) / 1_000_000));
        }
        case "wait-state" -> {
          String[] w = parts[1].split(" ");
          long deadline = System.nanoTime() + (long) (Double.parseDouble(w[1]) * 1e9);
          while (!local.state().name().equals(w[0]) && System.nanoTime() < deadline) Thread.sleep(10);
          synchronized (events) {
            answer(Map.of("ok", local.state().name().equals(w[0]), "state", local.state().name(), "events", List.copyOf(events)));
          }
        }
        case "close" -> {
          local.close();
          ExposureBatcher exposures = local.exposures();
          answer(Map.of("sent", exposures == null ? 0 : exposures.sent(), "dropped", exposures == null ? 0 : exposures.dropped()));
          System.exit(0);
        }
        default -> answer(Map.of("error", "unknown command " + parts[0]));
      }
    }
    System.exit(0);
  }
}
