package dev.vexil.engine;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiConsumer;
import java.util.stream.Stream;

/**
 * Local evaluation against a Vexil evaluator: the snapshot comes from GET /v1/snapshot (ETag /
 * If-None-Match), GET /v1/stream says when it changes, and every evaluation runs in process on the
 * snapshot in force. When the evaluator is unreachable the last good snapshot keeps serving and the
 * state turns STALE; without any snapshot it is ERROR. A snapshot file (`vexil compile` output)
 * allows an offline start. Exposures of experiment flags are batched to POST /v1/events. Listeners
 * get "ready", "changed", "stale" and "error": the OpenFeature provider maps them to PROVIDER_READY,
 * PROVIDER_CONFIGURATION_CHANGED, PROVIDER_STALE and PROVIDER_ERROR.
 */
public final class LocalEvaluator implements AutoCloseable {
  public enum State { NOT_READY, READY, STALE, ERROR }

  /** Options; url or snapshotFile (or both) must be set. */
  public record Options(String url, String token, String apiKey, Path snapshotFile, Duration timeout, Duration retry,
      Duration exposureInterval) {
    public static Options remote(String url, String token) {
      return new Options(url, token, null, null, Duration.ofSeconds(5), Duration.ofSeconds(1), Duration.ofSeconds(5));
    }

    public static Options offline(Path snapshotFile) {
      return new Options(null, null, null, snapshotFile, Duration.ofSeconds(5), Duration.ofSeconds(1), Duration.ofSeconds(5));
    }
  }

  private final SnapshotHolder holder = new SnapshotHolder();
  private final Options options;
  private final String url;
  private final Map<String, String> headers = new LinkedHashMap<>();
  private final HttpClient client;
  private final ExposureBatcher exposures;
  private final List<BiConsumer<String, String>> listeners = new CopyOnWriteArrayList<>();
  private volatile State state = State.NOT_READY;
  private volatile String etag;
  private volatile boolean closed;
  private volatile InputStream stream;
  private Thread follower;

  public LocalEvaluator(Options options) {
    this.options = options;
    this.url = options.url() == null ? null : options.url().replaceAll("/+$", "");
    if (options.token() != null) headers.put("Authorization", "Bearer " + options.token());
    if (options.apiKey() != null) headers.put("X-API-Key", options.apiKey());
    this.client = HttpClient.newBuilder().connectTimeout(options.timeout()).build();
    this.exposures = url == null ? null : new ExposureBatcher(url, headers, options.exposureInterval(), client, options.timeout());
  }

  /** Calls listener.accept(event, message) for "ready", "changed", "stale" and "error". */
  public void on(BiConsumer<String, String> listener) {
    listeners.add(listener);
  }

  public State state() {
    return state;
  }

  public SnapshotHolder holder() {
    return holder;
  }

  public ExposureBatcher exposures() {
    return exposures;
  }

  private synchronized void setState(State next, String message) {
    State previous = state;
    state = next;
    if (previous == next) return;
    String event = switch (next) {
      case READY -> "ready";
      case STALE -> "stale";
      case ERROR -> "error";
      case NOT_READY -> null;
    };
    if (event != null) listeners.forEach(l -> l.accept(event, message));
  }

  private void failed(String message) {
    setState(holder.current() != null ? State.STALE : State.ERROR, message);
  }

  /** Loads the snapshot file (if any), fetches the snapshot (if a URL is set) and follows the stream. */
  public void start() {
    if (options.snapshotFile() != null) {
      try {
        holder.swap(Snapshot.load(options.snapshotFile()));
        setState(State.READY, "loaded " + options.snapshotFile());
      } catch (Snapshot.SnapshotException e) {
        setState(State.ERROR, e.getMessage());
      }
    }
    if (url == null) return;
    refresh();
    follower = new Thread(this::follow, "vexil-stream");
    follower.setDaemon(true);
    follower.start();
  }

  private HttpRequest.Builder request(String path) {
    HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(url + path));
    headers.forEach(builder::header);
    return builder;
  }

  /** Fetches the snapshot unless the ETag says it is unchanged; false when that failed. */
  public boolean refresh() {
    HttpRequest.Builder builder = request("/v1/snapshot").timeout(options.timeout()).GET();
    if (etag != null && holder.current() != null) builder.header("If-None-Match", etag);
    try {
      HttpResponse<byte[]> response = client.send(builder.build(), HttpResponse.BodyHandlers.ofByteArray());
      if (response.statusCode() == 304) {
        setState(State.READY, "");
        return true;
      }
      if (response.statusCode() != 200) {
        failed("GET /v1/snapshot answered " + response.statusCode());
        return false;
      }
      boolean wasReady = state == State.READY;
      boolean changed = holder.load(response.body());
      etag = response.headers().firstValue("ETag").orElse(null);
      setState(State.READY, "");
      if (changed && wasReady) listeners.forEach(l -> l.accept("changed", holder.current().hash()));
      return true;
    } catch (IOException | Snapshot.SnapshotException e) {
      failed("GET /v1/snapshot failed: " + e.getMessage());
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private void follow() {
    while (!closed) {
      try {
        readStream();
        if (!closed) failed("the evaluator closed /v1/stream");
      } catch (IOException e) {
        if (!closed) failed("/v1/stream failed: " + e.getMessage());
      } catch (InterruptedException e) {
        return;
      }
      try {
        Thread.sleep(options.retry().toMillis());
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  private void readStream() throws IOException, InterruptedException {
    HttpRequest streamRequest = request("/v1/stream").header("Accept", "text/event-stream").GET().build();
    HttpResponse<InputStream> response = client.send(streamRequest, HttpResponse.BodyHandlers.ofInputStream());
    if (response.statusCode() != 200) throw new IOException("GET /v1/stream answered " + response.statusCode());
    stream = response.body();
    refresh();
    try (Stream<String> lines = new java.io.BufferedReader(new java.io.InputStreamReader(stream,
        java.nio.charset.StandardCharsets.UTF_8)).lines()) {
      String[] event = {""};
      lines.forEach(line -> {
        if (line.startsWith("event:")) {
          event[0] = line.substring(6).trim();
        } else if (line.startsWith("id:") && event[0].equals("snapshot")) {
          Snapshot current = holder.current();
          if (current == null || !current.hash().equals(line.substring(3).trim())) refresh();
        } else if (line.isEmpty()) {
          event[0] = "";
        }
      });
    } catch (java.io.UncheckedIOException e) {
      throw e.getCause();
    }
  }

  /** Evaluates on the snapshot in force (PROVIDER_NOT_READY before the first one). */
  public EvaluationResult evaluate(String key, Object context, Object defaultValue, String expectedType) {
    EvaluationResult result = Engine.evaluate(holder.current(), key, context, defaultValue, expectedType);
    if (exposures != null && result.metadata() != null && context instanceof Map<?, ?> map) {
      exposures.record(result, map.get("targetingKey"));
    }
    return result;
  }

  /** Stops following the stream and flushes the exposures. */
  @Override
  public void close() {
    closed = true;
    InputStream open = stream;
    if (open != null) {
      try {
        open.close();
      } catch (IOException e) {
        // closing anyway
      }
    }
    if (follower != null) follower.interrupt();
    if (exposures != null) exposures.close();
  }
}
