package dev.vexil.engine;

import java.util.concurrent.atomic.AtomicReference;

/** The snapshot in force; reads and swaps are atomic, so an evaluation sees one whole snapshot. */
public final class SnapshotHolder {
  private final AtomicReference<Snapshot> current = new AtomicReference<>();

  /** The snapshot in force, or null before the first load. */
  public Snapshot current() {
    return current.get();
  }

  /** Puts snapshot in force; true when its hash differs from the previous one's. */
  public boolean swap(Snapshot snapshot) {
    Snapshot previous = current.getAndSet(snapshot);
    return previous == null || !previous.hash().equals(snapshot.hash()) || snapshot.hash().isEmpty();
  }

  /** Parses and swaps in a snapshot; on error the previous snapshot stays in force. */
  public boolean load(byte[] json) throws Snapshot.SnapshotException {
    return swap(Snapshot.parse(json));
  }

  /** Evaluates against the snapshot in force (PROVIDER_NOT_READY before the first load). */
  public EvaluationResult evaluate(String key, Object context, Object defaultValue, String expectedType) {
    return Engine.evaluate(current.get(), key, context, defaultValue, expectedType);
  }
}
