package dev.vexil.provider;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vexil.engine.EvaluationResult;
import dev.vexil.engine.LocalEvaluator;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;

/**
 * Local mode: the Vexil engine evaluates in process on the snapshot in force. The engine's
 * LocalEvaluator loads GET /v1/snapshot (ETag), follows /v1/stream and swaps snapshots atomically,
 * keeps the last good one while the evaluator is unreachable, can start offline from a snapshot
 * file, and batches exposures of experiment flags to POST /v1/events. Its state changes become
 * OpenFeature events: changed → PROVIDER_CONFIGURATION_CHANGED, stale → PROVIDER_STALE, error →
 * PROVIDER_ERROR, ready again → PROVIDER_READY.
 */
final class LocalFlags implements AutoCloseable {
  private final LocalEvaluator evaluator;
  private volatile boolean started;

  LocalFlags(VexilOptions options, VexilProvider provider) {
    this.evaluator = new LocalEvaluator(new LocalEvaluator.Options(options.url(), options.token(), options.apiKey(),
        options.snapshotFile(), options.timeout(), Duration.ofSeconds(1), options.exposureInterval()));
    evaluator.on((event, message) -> {
      if (!started) return; // before initialize() returns, its own outcome says it
      switch (event) {
        case "changed" -> provider.emitChanged("the evaluator's snapshot changed: " + message);
        case "stale" -> provider.emitStale(message);
        case "error" -> provider.emitError(message);
        case "ready" -> provider.emitReady(message);
        default -> { }
      }
    });
  }

  /** Loads the first snapshot; throws when there is none to serve. */
  void start() {
    evaluator.start();
    LocalEvaluator.State state = evaluator.state();
    if (state != LocalEvaluator.State.READY && state != LocalEvaluator.State.STALE) {
      evaluator.close();
      throw new IllegalStateException("no snapshot to evaluate: the evaluator did not answer and no snapshot file loaded");
    }
    started = true;
  }

  /** The engine's result in the shape of an OFREP item. */
  JsonNode item(String key, Map<String, Object> context, Kind kind) {
    EvaluationResult result = evaluator.evaluate(key, context, null, kind.flagType);
    ObjectNode item = Json.MAPPER.createObjectNode();
    if (result.errorCode() != null) {
      item.put("errorCode", result.errorCode());
      item.put("errorDetails", result.errorMessage());
      return item;
    }
    item.set("value", Json.MAPPER.valueToTree(result.value()));
    if (result.variant() != null) item.put("variant", result.variant());
    if (result.reason() != null) item.put("reason", result.reason());
    if (result.metadata() != null) item.set("metadata", Json.MAPPER.valueToTree(result.metadata()));
    return item;
  }

  void flush() {
    if (evaluator.exposures() == null) return;
    try {
      evaluator.exposures().flush();
    } catch (IOException e) {
      // kept for the next try
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    evaluator.close();
  }
}
