package dev.vexil.provider;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Remote evaluation over OFREP: bulk evaluation kept per context (least recently used first out)
 * and revalidated with its ETag once the flags changed, or one single-flag request per evaluation
 * when the cache size is 0.
 */
final class RemoteFlags {
  private record Bulk(String etag, long generation, Map<String, JsonNode> items) {}

  private final Transport transport;
  private final int cacheSize;
  private final LinkedHashMap<String, Bulk> cache = new LinkedHashMap<>(16, 0.75f, true);
  private volatile long generation;

  RemoteFlags(Transport transport, int cacheSize) {
    this.transport = transport;
    this.cacheSize = cacheSize;
  }

  /** The flags changed: every cached bulk answer is revalidated on its next use. */
  void invalidate() {
    generation++;
  }

  /** The OFREP item for key in context: a value or an errorCode. */
  JsonNode item(String key, Map<String, Object> context) throws IOException, InterruptedException {
    return cacheSize > 0 ? fromBulk(key, context) : single(key, context);
  }

  private JsonNode single(String key, Map<String, Object> context) throws IOException, InterruptedException {
    String path = "/ofrep/v1/evaluate/flags/" + URLEncoder.encode(key, StandardCharsets.UTF_8).replace("+", "%20");
    Transport.Answer answer = transport.post(path, Map.of("context", context), Map.of());
    return answer.status() == 200 ? answer.body() : Resolutions.failureItem(Failure.of(answer));
  }

  private JsonNode fromBulk(String key, Map<String, Object> context) throws IOException, InterruptedException {
    String cacheKey = Json.canonical(context);
    Bulk entry;
    synchronized (cache) {
      entry = cache.get(cacheKey);
    }
    long current = generation;
    if (entry == null || entry.generation() != current) {
      Map<String, String> headers = entry == null || entry.etag() == null ? Map.of() : Map.of("If-None-Match", entry.etag());
      Transport.Answer answer = transport.post("/ofrep/v1/evaluate/flags", Map.of("context", context), headers);
      if (answer.status() == 304 && entry != null) entry = new Bulk(entry.etag(), current, entry.items());
      else if (answer.status() == 200) entry = new Bulk(answer.etag(), current, itemsOf(answer.body()));
      else return Resolutions.failureItem(Failure.of(answer));
      remember(cacheKey, entry);
    }
    JsonNode item = entry.items().get(key);
    if (item != null) return item;
    return Resolutions.failureItem(new Failure(dev.openfeature.sdk.ErrorCode.FLAG_NOT_FOUND, "flag \"" + key + "\" not found"));
  }

  private void remember(String cacheKey, Bulk entry) {
    synchronized (cache) {
      cache.put(cacheKey, entry);
      while (cache.size() > cacheSize) cache.remove(cache.keySet().iterator().next());
    }
  }

  private static Map<String, JsonNode> itemsOf(JsonNode body) {
    Map<String, JsonNode> items = new HashMap<>();
    for (JsonNode item : body.path("flags")) {
      if (item.path("key").isTextual()) items.put(item.get("key").textValue(), item);
    }
    return items;
  }
}
