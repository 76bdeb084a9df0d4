package dev.vexil.provider;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Change notification for remote mode: follows the evaluator's /v1/stream (server-sent events
 * naming the snapshot hash) and calls onChange when the hash moves. While the stream is down (or
 * off) it polls bulk evaluation with If-None-Match instead, and reconnects after the retry hint.
 */
final class ChangeWatcher implements AutoCloseable {
  private final Transport transport;
  private final Runnable onChange;
  private final boolean useStream;
  private final long pollMillis;
  private final ScheduledExecutorService poller;
  private ScheduledFuture<?> polling;
  private Thread follower;
  private volatile boolean closed;
  private volatile InputStream open;
  private volatile String hash;
  private volatile String pollEtag;
  private volatile long retryMillis = 1000;

  ChangeWatcher(Transport transport, VexilOptions options, Runnable onChange) {
    this.transport = transport;
    this.onChange = onChange;
    this.useStream = options.stream();
    this.pollMillis = options.pollInterval().toMillis();
    this.poller = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "vexil-poll"));
  }

  private static Thread daemon(Runnable r, String name) {
    Thread thread = new Thread(r, name);
    thread.setDaemon(true);
    return thread;
  }

  void start() {
    if (!useStream) {
      startPolling();
      return;
    }
    follower = daemon(this::follow, "vexil-stream");
    follower.start();
  }

  /** A hash seen on the stream: a new one after the first is a change (also across reconnects). */
  private void seen(String version) {
    String previous = hash;
    hash = version;
    if (previous != null && !previous.equals(version)) onChange.run();
  }

  private void follow() {
    while (!closed) {
      try {
        HttpResponse<InputStream> response = transport.stream("/v1/stream");
        open = response.body();
        if (response.statusCode() != 200) {
          response.body().close(); // refused (e.g. 401): nothing to read, poll instead
          throw new IOException("HTTP " + response.statusCode());
        }
        stopPolling();
        retryMillis = 1000;
        read(response.body());
      } catch (IOException e) {
        // unreachable, refused or cut: poll until the stream is back
      } catch (InterruptedException e) {
        return;
      }
      if (closed) return;
      startPolling();
      try {
        Thread.sleep(retryMillis);
      } catch (InterruptedException e) {
        return;
      }
      retryMillis = Math.min(retryMillis * 2, 30_000);
    }
  }

  private void read(InputStream body) throws IOException {
    try (BufferedReader reader = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8))) {
      String event = "message";
      StringBuilder data = new StringBuilder();
      for (String line = reader.readLine(); line != null; line = reader.readLine()) {
        if (line.isEmpty()) {
          if (event.equals("snapshot") && data.length() > 0) snapshotEvent(data.toString());
          event = "message";
          data.setLength(0);
        } else if (line.startsWith("event:")) {
          event = line.substring(6).trim();
        } else if (line.startsWith("data:")) {
          data.append(line.substring(5).stripLeading());
        } else if (line.startsWith("retry:")) {
          retryHint(line.substring(6).trim());
        }
      }
    }
  }

  private void retryHint(String text) {
    try {
      retryMillis = Long.parseLong(text);
    } catch (NumberFormatException e) {
      // not a number: keep the current delay
    }
  }

  private void snapshotEvent(String data) {
    try {
      var version = Json.MAPPER.readTree(data).path("hash");
      if (version.isTextual()) seen(version.textValue());
    } catch (IOException e) {
      // a malformed event is ignored; the next one carries the hash again
    }
  }

  private synchronized void startPolling() {
    if (polling != null || closed) return;
    polling = poller.scheduleWithFixedDelay(this::poll, pollMillis, pollMillis, TimeUnit.MILLISECONDS);
  }

  private synchronized void stopPolling() {
    if (polling != null) polling.cancel(false);
    polling = null;
  }

  private void poll() {
    try {
      String previous = pollEtag;
      Map<String, String> headers = previous == null ? Map.of() : Map.of("If-None-Match", previous);
      Transport.Answer answer = transport.post("/ofrep/v1/evaluate/flags", Map.of("context", Map.of()), headers);
      if (answer.status() != 200 || answer.etag() == null) return;
      pollEtag = answer.etag();
      if (previous != null && !previous.equals(answer.etag())) onChange.run();
    } catch (IOException e) {
      // still unreachable: try again next interval
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    closed = true;
    stopPolling();
    poller.shutdownNow();
    InputStream body = open;
    if (body != null) {
      try {
        body.close();
      } catch (IOException e) {
        // closing anyway
      }
    }
    if (follower != null) follower.interrupt();
  }
}
