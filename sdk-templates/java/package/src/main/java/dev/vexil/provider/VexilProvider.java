package dev.vexil.provider;

import com.fasterxml.jackson.databind.JsonNode;
import dev.openfeature.sdk.EvaluationContext;
import dev.openfeature.sdk.EventProvider;
import dev.openfeature.sdk.ImmutableTrackingEventDetails;
import dev.openfeature.sdk.Metadata;
import dev.openfeature.sdk.MutableTrackingEventDetails;
import dev.openfeature.sdk.ProviderEvaluation;
import dev.openfeature.sdk.ProviderEventDetails;
import dev.openfeature.sdk.TrackingEventDetails;
import dev.openfeature.sdk.Value;
import java.io.IOException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * An OpenFeature provider for the Vexil evaluator. Remote mode evaluates over OFREP (bulk with an
 * ETag per context, or single requests) and follows /v1/stream to emit
 * PROVIDER_CONFIGURATION_CHANGED; local mode evaluates in process on the evaluator's snapshot (see
 * {@link LocalFlags}). track() sends conversions and values to POST /v1/events in batches.
 * Evaluation never throws: a failure answers the caller's default with an error code.
 */
public final class VexilProvider extends EventProvider {
  private final VexilOptions options;
  private final Transport transport;
  private final RemoteFlags remote;
  private final ChangeWatcher watcher;
  private final LocalFlags local;
  private final EventBatcher tracking;
  // OpenFeatureAPI.shutdown() closes providers on a daemon thread: a program that ends right after
  // it would lose the queued events, so they are also sent when the JVM exits
  private final Thread sendOnExit = new Thread(this::flush, "vexil-send-on-exit");

  public VexilProvider(VexilOptions options) {
    this.options = options;
    this.transport = options.url() == null ? null : new Transport(options);
    this.tracking = transport == null ? null : new EventBatcher(transport, options);
    if (options.mode() == VexilOptions.Mode.LOCAL) {
      this.remote = null;
      this.watcher = null;
      this.local = new LocalFlags(options, this);
    } else {
      this.remote = new RemoteFlags(transport, options.cacheSize());
      this.watcher = new ChangeWatcher(transport, options, this::changed);
      this.local = null;
    }
  }

  /** Remote mode against the evaluator at url with a bearer token (null for none). */
  public VexilProvider(String url, String token) {
    this(VexilOptions.builder(url).token(token).build());
  }

  public VexilOptions options() {
    return options;
  }

  @Override
  public Metadata getMetadata() {
    return () -> "vexil";
  }

  /** Remote: checks that the evaluator answers, then follows its changes. Local: loads the first snapshot. */
  @Override
  public void initialize(EvaluationContext evaluationContext) throws Exception {
    if (tracking != null && !sendOnExit.isAlive()) {
      try {
        Runtime.getRuntime().addShutdownHook(sendOnExit);
      } catch (IllegalArgumentException e) {
        // initialized before: the hook is in place
      }
    }
    if (local != null) {
      local.start();
      return;
    }
    Transport.Answer answer;
    try {
      answer = transport.post("/ofrep/v1/evaluate/flags", Map.of("context", Map.of()), Map.of());
    } catch (IOException e) {
      throw new IllegalStateException(Failure.of(e).message(), e);
    }
    if (answer.status() != 200) {
      throw new IllegalStateException("the evaluator answered: " + Failure.of(answer).message());
    }
    watcher.start();
  }

  @Override
  public void shutdown() {
    if (watcher != null) watcher.close();
    if (local != null) local.close();
    if (tracking != null) tracking.close();
    // removed only once the events are sent: should the JVM exit meanwhile, the hook waits for them
    try {
      if (tracking != null) Runtime.getRuntime().removeShutdownHook(sendOnExit);
    } catch (IllegalStateException e) {
      // the JVM is exiting: the hook sends what is still queued
    }
  }

  private void changed() {
    remote.invalidate();
    emitProviderConfigurationChanged(ProviderEventDetails.builder().message("the evaluator's flags changed").build());
  }

  @Override
  public ProviderEvaluation<Boolean> getBooleanEvaluation(String key, Boolean defaultValue, EvaluationContext ctx) {
    return resolve(key, Kind.BOOLEAN, defaultValue, ctx);
  }

  @Override
  public ProviderEvaluation<String> getStringEvaluation(String key, String defaultValue, EvaluationContext ctx) {
    return resolve(key, Kind.STRING, defaultValue, ctx);
  }

  @Override
  public ProviderEvaluation<Integer> getIntegerEvaluation(String key, Integer defaultValue, EvaluationContext ctx) {
    return resolve(key, Kind.INTEGER, defaultValue, ctx);
  }

  @Override
  public ProviderEvaluation<Double> getDoubleEvaluation(String key, Double defaultValue, EvaluationContext ctx) {
    return resolve(key, Kind.DOUBLE, defaultValue, ctx);
  }

  @Override
  public ProviderEvaluation<Value> getObjectEvaluation(String key, Value defaultValue, EvaluationContext ctx) {
    return resolve(key, Kind.OBJECT, defaultValue, ctx);
  }

  private <T> ProviderEvaluation<T> resolve(String key, Kind kind, T defaultValue, EvaluationContext ctx) {
    try {
      Map<String, Object> context = Json.context(ctx);
      JsonNode item = local != null ? local.item(key, context, kind) : remote.item(key, context);
      return Resolutions.resolve(key, item, kind, defaultValue);
    } catch (IOException | RuntimeException e) {
      return Resolutions.failed(defaultValue, Failure.of(e));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Resolutions.failed(defaultValue, Failure.of(e));
    }
  }

  /**
   * Queues a conversion (or a value, when the details carry one); the details' "flag", "variant"
   * and "experiment" say what it is for. Events without a targeting key are not sent (nobody to
   * attribute them to).
   */
  @Override
  public void track(String eventName, EvaluationContext context, TrackingEventDetails details) {
    String targetingKey = context == null ? null : context.getTargetingKey();
    if (tracking == null || targetingKey == null || targetingKey.isEmpty()) return;
    Optional<Number> value = valueOf(details);
    Map<String, Object> event = new LinkedHashMap<>();
    event.put("type", value.isPresent() ? "value" : "conversion");
    event.put("event", eventName);
    event.put("targetingKey", targetingKey);
    event.put("timestamp", Instant.now().truncatedTo(ChronoUnit.MILLIS).toString());
    for (String field : new String[] {"flag", "variant", "experiment"}) {
      Value named = details == null ? null : details.getValue(field);
      if (named != null && named.isString()) event.put(field, named.asString());
    }
    value.ifPresent(number -> event.put("value", number.doubleValue()));
    tracking.add(event);
  }

  private static Optional<Number> valueOf(TrackingEventDetails details) {
    if (details instanceof MutableTrackingEventDetails mutable) return mutable.getValue();
    if (details instanceof ImmutableTrackingEventDetails immutable) return immutable.getValue();
    return Optional.empty();
  }

  /** Sends the tracked events (and local mode's exposures) queued so far. */
  public void flush() {
    if (tracking != null) tracking.flush();
    if (local != null) local.flush();
  }

  void emitStale(String message) {
    emitProviderStale(ProviderEventDetails.builder().message(message).build());
  }

  void emitError(String message) {
    emitProviderError(ProviderEventDetails.builder().message(message).build());
  }

  void emitReady(String message) {
    emitProviderReady(ProviderEventDetails.builder().message(message).build());
  }

  void emitChanged(String message) {
    emitProviderConfigurationChanged(ProviderEventDetails.builder().message(message).build());
  }
}
