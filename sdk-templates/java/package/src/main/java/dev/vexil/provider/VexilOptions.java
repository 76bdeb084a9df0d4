package dev.vexil.provider;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * How a VexilProvider reaches the evaluator and evaluates. REMOTE asks the evaluator over OFREP;
 * LOCAL loads its snapshot (GET /v1/snapshot, or a `vexil compile` file to start offline) and
 * evaluates in process with the Vexil engine.
 */
public record VexilOptions(
    String url,
    String token,
    String apiKey,
    Map<String, String> headers,
    Duration timeout,
    Mode mode,
    Path snapshotFile,
    int cacheSize,
    boolean stream,
    Duration pollInterval,
    int eventBatchSize,
    Duration eventFlushInterval,
    int maxQueuedEvents,
    Duration exposureInterval) {

  /** Where evaluation happens. */
  public enum Mode { REMOTE, LOCAL }

  public VexilOptions {
    headers = Map.copyOf(headers);
    Objects.requireNonNull(timeout, "timeout");
    Objects.requireNonNull(mode, "mode");
    if (url == null && (mode == Mode.REMOTE || snapshotFile == null)) {
      throw new IllegalArgumentException("url is required (only local mode from a snapshot file works without one)");
    }
    if (url != null && !url.matches("^https?://.+")) {
      throw new IllegalArgumentException("url must be an http(s) URL, got \"" + url + "\"");
    }
    if (cacheSize < 0) throw new IllegalArgumentException("cacheSize must be 0 or more, got " + cacheSize);
    if (eventBatchSize < 1 || eventBatchSize > 1000) {
      throw new IllegalArgumentException("eventBatchSize must be 1 to 1000, got " + eventBatchSize);
    }
  }

  /** Options for the evaluator at url (remote mode unless local() is called). */
  public static Builder builder(String url) {
    return new Builder(url, null);
  }

  /** Local mode from a snapshot file (`vexil compile` output), with no evaluator at all. */
  public static Builder offline(Path snapshotFile) {
    return new Builder(null, snapshotFile).local();
  }

  /** Builds VexilOptions; every setting has a default. */
  public static final class Builder {
    private final String url;
    private String token;
    private String apiKey;
    private final Map<String, String> headers = new LinkedHashMap<>();
    private Duration timeout = Duration.ofSeconds(5);
    private Mode mode = Mode.REMOTE;
    private Path snapshotFile;
    private int cacheSize = 1000;
    private boolean stream = true;
    private Duration pollInterval = Duration.ofSeconds(30);
    private int eventBatchSize = 100;
    private Duration eventFlushInterval = Duration.ofSeconds(1);
    private int maxQueuedEvents = 10_000;
    private Duration exposureInterval = Duration.ofSeconds(5);

    private Builder(String url, Path snapshotFile) {
      this.url = url;
      this.snapshotFile = snapshotFile;
    }

    /** Sent as `Authorization: Bearer <token>`. */
    public Builder token(String token) {
      this.token = token;
      return this;
    }

    /** Sent as `X-API-Key: <apiKey>`. */
    public Builder apiKey(String apiKey) {
      this.apiKey = apiKey;
      return this;
    }

    /** An extra header on every request. */
    public Builder header(String name, String value) {
      headers.put(name, value);
      return this;
    }

    /** Per-request timeout (default 5 s). */
    public Builder timeout(Duration timeout) {
      this.timeout = timeout;
      return this;
    }

    /** Evaluate in process on the evaluator's snapshot (GET /v1/snapshot, followed through /v1/stream). */
    public Builder local() {
      this.mode = Mode.LOCAL;
      return this;
    }

    /** Local mode: serve this snapshot file (`vexil compile` output) until the evaluator answers. */
    public Builder snapshotFile(Path file) {
      this.snapshotFile = file;
      return this;
    }

    /** Remote mode: contexts whose bulk evaluation is kept and revalidated with ETags (default 1000; 0: one request per evaluation). */
    public Builder cacheSize(int contexts) {
      this.cacheSize = contexts;
      return this;
    }

    /** Remote mode: follow /v1/stream (default true); false polls only. */
    public Builder stream(boolean follow) {
      this.stream = follow;
      return this;
    }

    /** Remote mode: how often to poll while the stream is down or off (default 30 s). */
    public Builder pollInterval(Duration interval) {
      this.pollInterval = interval;
      return this;
    }

    /** Tracked events per POST /v1/events (default 100, at most 1000). */
    public Builder eventBatchSize(int size) {
      this.eventBatchSize = size;
      return this;
    }

    /** How often queued tracked events are sent (default 1 s). */
    public Builder eventFlushInterval(Duration interval) {
      this.eventFlushInterval = interval;
      return this;
    }

    /** Tracked events kept while the evaluator is unreachable (default 10000; the oldest are dropped past it). */
    public Builder maxQueuedEvents(int events) {
      this.maxQueuedEvents = events;
      return this;
    }

    /** Local mode: how often exposures of experiment flags are sent (default 5 s). */
    public Builder exposureInterval(Duration interval) {
      this.exposureInterval = interval;
      return this;
    }

    public VexilOptions build() {
      return new VexilOptions(url, token, apiKey, headers, timeout, mode, snapshotFile, cacheSize, stream,
          pollInterval, eventBatchSize, eventFlushInterval, maxQueuedEvents, exposureInterval);
    }
  }
}
