package dev.vexil.engine;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * A loaded, prepared snapshot (`vexil compile` output, GET /v1/snapshot bodies); immutable and safe
 * to share between threads. Each flag is prepared once, when loaded: into its runtime form, or the
 * message saying why it is malformed (evaluating it gives PARSE_ERROR). A document that is not a
 * snapshot at all is refused with SnapshotException, so a holder keeps the last good one.
 */
public final class Snapshot {
  public static final int SCHEMA_VERSION = 1;
  private static final ObjectMapper JSON = new ObjectMapper();

  /** The bytes or document given are not a usable Vexil snapshot. */
  public static final class SnapshotException extends Exception {
    private static final long serialVersionUID = 1L;

    public SnapshotException(String message, Throwable cause) {
      super(message, cause);
    }
  }

  private final String namespace;
  private final String environment;
  private final String hash;
  /** flag key → Flag, or the String saying why the flag is malformed */
  private final Map<String, Object> flags = new HashMap<>();

  private Snapshot(Map<String, Object> document, Map<String, Object> rawFlags) {
    this.namespace = document.get("namespace") instanceof String s ? s : "";
    this.environment = document.get("environment") instanceof String s ? s : "";
    this.hash = document.get("hash") instanceof String s ? s : "";
    for (Map.Entry<String, Object> e : rawFlags.entrySet()) flags.put(e.getKey(), prepare(e.getKey(), e.getValue()));
  }

  private static Object prepare(String key, Object raw) {
    try {
      return new Flag(key, Shape.expectObject(raw, "flag"));
    } catch (Shape.Malformed | ClassCastException e) {
      return "flag \"" + key + "\" is malformed: " + e.getMessage();
    }
  }

  /** A snapshot from a decoded JSON document (Maps, Lists, Strings, Numbers, Booleans, nulls). */
  @SuppressWarnings("unchecked")
  public static Snapshot of(Object document) throws SnapshotException {
    if (!(document instanceof Map<?, ?> doc)) throw new SnapshotException("snapshot must be a JSON object", null);
    Double version = Values.number(doc.get("schemaVersion"));
    if (version == null || version != SCHEMA_VERSION) {
      throw new SnapshotException("snapshot schemaVersion must be " + SCHEMA_VERSION + ", got " + doc.get("schemaVersion"), null);
    }
    if (!(doc.get("flags") instanceof Map<?, ?> rawFlags)) throw new SnapshotException("snapshot.flags must be an object", null);
    return new Snapshot((Map<String, Object>) doc, (Map<String, Object>) rawFlags);
  }

  /** A snapshot from JSON bytes. */
  public static Snapshot parse(byte[] json) throws SnapshotException {
    try {
      return of(JSON.readValue(json, Object.class));
    } catch (JsonProcessingException e) {
      throw new SnapshotException("snapshot is not valid JSON: " + e.getOriginalMessage(), e);
    } catch (IOException e) {
      throw new SnapshotException("cannot read snapshot: " + e.getMessage(), e);
    }
  }

  /** A snapshot from a file written by `vexil compile`. */
  public static Snapshot load(Path file) throws SnapshotException {
    try {
      return parse(Files.readAllBytes(file));
    } catch (IOException e) {
      throw new SnapshotException("cannot read snapshot file " + file + ": " + e.getMessage(), e);
    }
  }

  Object entry(String key) {
    return flags.get(key);
  }

  public String namespace() {
    return namespace;
  }

  public String environment() {
    return environment;
  }

  /** The content hash, also the evaluator's ETag for this snapshot. */
  public String hash() {
    return hash;
  }

  public Set<String> keys() {
    return flags.keySet();
  }
}
