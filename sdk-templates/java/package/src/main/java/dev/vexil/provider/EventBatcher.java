package dev.vexil.provider;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * OpenFeature tracking sent to the evaluator's POST /v1/events in batches: a batch leaves when it
 * is full, on a timer, on flush() and on close. A failed send keeps the events for the next try,
 * bounded so an unreachable evaluator cannot grow memory without limit (the oldest are dropped).
 */
final class EventBatcher implements AutoCloseable {
  private final Transport transport;
  private final int batchSize;
  private final int maxQueued;
  private final ArrayDeque<Map<String, Object>> queue = new ArrayDeque<>();
  private final ScheduledExecutorService sender;

  EventBatcher(Transport transport, VexilOptions options) {
    this.transport = transport;
    this.batchSize = options.eventBatchSize();
    this.maxQueued = options.maxQueuedEvents();
    this.sender = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread thread = new Thread(r, "vexil-events");
      thread.setDaemon(true);
      return thread;
    });
    long millis = options.eventFlushInterval().toMillis();
    sender.scheduleWithFixedDelay(this::sendAll, millis, millis, TimeUnit.MILLISECONDS);
  }

  void add(Map<String, Object> event) {
    boolean full;
    synchronized (queue) {
      queue.addLast(event);
      while (queue.size() > maxQueued) queue.removeFirst();
      full = queue.size() >= batchSize;
    }
    if (full && !sender.isShutdown()) sender.execute(this::sendAll);
  }

  /** Sends everything queued now; events that failed stay queued. */
  void flush() {
    try {
      sender.submit(this::sendAll).get();
    } catch (java.util.concurrent.RejectedExecutionException e) {
      sendAll(); // closed or closing: send from this thread
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (java.util.concurrent.ExecutionException e) {
      // sendAll does not throw
    }
  }

  private synchronized void sendAll() {
    for (;;) {
      List<Map<String, Object>> batch = new ArrayList<>();
      synchronized (queue) {
        while (batch.size() < batchSize && !queue.isEmpty()) batch.add(queue.removeFirst());
      }
      if (batch.isEmpty()) return;
      try {
        Transport.Answer answer = transport.post("/v1/events", batch, Map.of());
        // 4xx other than 429 will not get better on retry: the batch is dropped
        if (answer.status() == 429 || answer.status() >= 500) throw new IOException("HTTP " + answer.status());
      } catch (IOException e) {
        requeue(batch);
        return;
      } catch (InterruptedException e) {
        requeue(batch);
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  private void requeue(List<Map<String, Object>> batch) {
    synchronized (queue) {
      for (int i = batch.size() - 1; i >= 0; i--) queue.addFirst(batch.get(i));
      while (queue.size() > maxQueued) queue.removeFirst();
    }
  }

  /** Stops the timer after sending what is queued. */
  @Override
  public void close() {
    sender.shutdown();
    try {
      sender.awaitTermination(transport.timeout().toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    sendAll();
  }
}
