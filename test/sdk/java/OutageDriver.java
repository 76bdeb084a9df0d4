// Drives a local-mode provider through an evaluator outage for test/sdk/java.test.ts: one command
// per stdin line, one JSON answer per stdout line. "start URL TOKEN" sets the provider up, "eval"
// evaluates new-checkout for user-1, "wait EVENT" waits up to 5 s for an OpenFeature provider
// event (PROVIDER_STALE, PROVIDER_READY, …) and says how long it took.
package shop;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.openfeature.sdk.FlagEvaluationDetails;
import dev.openfeature.sdk.ImmutableContext;
import dev.openfeature.sdk.OpenFeatureAPI;
import dev.openfeature.sdk.ProviderEvent;
import dev.vexil.provider.VexilOptions;
import dev.vexil.provider.VexilProvider;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

public final class OutageDriver {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final LinkedBlockingQueue<String> EVENTS = new LinkedBlockingQueue<>();

  private OutageDriver() {}

  public static void main(String[] args) throws IOException, InterruptedException {
    OpenFeatureAPI api = OpenFeatureAPI.getInstance();
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    for (String line = in.readLine(); line != null; line = in.readLine()) {
      String[] words = line.trim().split(" ");
      Map<String, Object> answer = new LinkedHashMap<>();
      switch (words[0]) {
        case "start" -> {
          for (ProviderEvent event : ProviderEvent.values()) {
            api.getClient("outage").on(event, details -> EVENTS.add(event.name()));
          }
          VexilOptions options = VexilOptions.builder(words[1]).token(words[2]).local().build();
          try {
            api.setProviderAndWait("outage", new VexilProvider(options));
            answer.put("started", true);
          } catch (RuntimeException e) {
            answer.put("started", false);
            answer.put("error", String.valueOf(e.getMessage()));
          }
        }
        case "eval" -> {
          FlagEvaluationDetails<Boolean> d =
              api.getClient("outage").getBooleanDetails("new-checkout", false, new ImmutableContext("user-1"));
          answer.put("value", d.getValue());
          answer.put("reason", d.getReason());
          answer.put("errorCode", d.getErrorCode() == null ? null : d.getErrorCode().name());
        }
        case "wait" -> {
          long started = System.nanoTime();
          String seen;
          do {
            seen = EVENTS.poll(5, TimeUnit.SECONDS);
          } while (seen != null && !seen.equals(words[1]));
          answer.put("seen", seen != null);
          answer.put("ms", (System.nanoTime() - started) / 1_000_000);
        }
        default -> answer.put("error", "unknown command " + words[0]);
      }
      System.out.println(JSON.writeValueAsString(answer));
    }
    api.shutdown();
  }
}
