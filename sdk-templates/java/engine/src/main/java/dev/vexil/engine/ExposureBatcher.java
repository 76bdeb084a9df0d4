package dev.vexil.engine;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Exposures of experiment flags evaluated locally, sent in batches to POST /v1/events (the evaluator
 * counts them for the experiment's statistics). A scheduler thread flushes every interval or as soon
 * as a batch is full; a failed post keeps the events for the next try, up to a capacity (the oldest
 * are dropped beyond it, and counted).
 */
public final class ExposureBatcher implements AutoCloseable {
  /** The evaluator takes at most 1000 events per request. */
  static final int MAX_BATCH = 500;

  private static final ObjectMapper JSON = new ObjectMapper();
  private final URI uri;
  private final Map<String, String> headers;
  private final HttpClient client;
  private final Duration timeout;
  private final int capacity = 10_000;
  private final ArrayDeque<Map<String, String>> queue = new ArrayDeque<>();
  private final ScheduledExecutorService scheduler;
  private long sent;
  private long dropped;

  public ExposureBatcher(String baseUrl, Map<String, String> headers, Duration interval, HttpClient client, Duration timeout) {
    this.uri = URI.create(baseUrl.replaceAll("/+$", "") + "/v1/events");
    this.headers = Map.copyOf(headers);
    this.client = client;
    this.timeout = timeout;
    this.scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread thread = new Thread(r, "vexil-exposures");
      thread.setDaemon(true);
      return thread;
    });
    long millis = interval.toMillis();
    scheduler.scheduleWithFixedDelay(this::flushQuietly, millis, millis, TimeUnit.MILLISECONDS);
  }

  /** Queues an exposure when the result was served by a running experiment. */
  public void record(EvaluationResult result, Object targetingKey) {
    Map<String, Object> metadata = result.metadata();
    if (metadata == null || !(metadata.get("experiment") instanceof String experiment) || result.variant() == null) return;
    if (!(targetingKey instanceof String key) || key.isEmpty()) return;
    Map<String, String> event = new LinkedHashMap<>();
    event.put("type", "exposure");
    event.put("flag", result.key());
    event.put("experiment", experiment);
    event.put("variant", result.variant());
    event.put("targetingKey", key);
    event.put("timestamp", Instant.now().truncatedTo(ChronoUnit.MILLIS).toString());
    boolean full;
    synchronized (queue) {
      queue.addLast(event);
      while (queue.size() > capacity) {
        queue.removeFirst();
        dropped++;
      }
      full = queue.size() >= MAX_BATCH;
    }
    if (full) scheduler.execute(this::flushQuietly);
  }

  private void flushQuietly() {
    try {
      flush();
    } catch (IOException e) {
      // kept for the next try
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Posts what is queued now; on failure the events stay queued. */
  public synchronized void flush() throws IOException, InterruptedException {
    for (;;) {
      List<Map<String, String>> batch = new ArrayList<>();
      synchronized (queue) {
        for (Map<String, String> e : queue) {
          if (batch.size() == MAX_BATCH) break;
          batch.add(e);
        }
      }
      if (batch.isEmpty()) return;
      HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(timeout)
          .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofByteArray(body(batch)));
      headers.forEach(request::header);
      HttpResponse<Void> response = client.send(request.build(), HttpResponse.BodyHandlers.discarding());
      if (response.statusCode() >= 300) throw new IOException("POST /v1/events answered " + response.statusCode());
      synchronized (queue) {
        for (int i = 0; i < batch.size() && !queue.isEmpty(); i++) queue.removeFirst();
        sent += batch.size();
      }
    }
  }

  private static byte[] body(List<Map<String, String>> batch) {
    try {
      return JSON.writeValueAsBytes(batch);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  public long sent() {
    synchronized (queue) {
      return sent;
    }
  }

  public long dropped() {
    synchronized (queue) {
      return dropped;
    }
  }

  /** Stops the scheduler after a last flush. */
  @Override
  public void close() {
    scheduler.shutdown();
    try {
      scheduler.awaitTermination(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    flushQuietly();
  }
}
