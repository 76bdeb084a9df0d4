package dev.vexil.provider;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/** HTTP to the Vexil evaluator: auth headers on every request, a timeout per request, JSON bodies. */
final class Transport {
  /** One answer: its status, ETag (or null) and JSON body (MissingNode when empty or not JSON). */
  record Answer(int status, String etag, JsonNode body) {}

  private final String base;
  private final Map<String, String> headers = new LinkedHashMap<>();
  private final Duration timeout;
  private final HttpClient client;

  Transport(VexilOptions options) {
    this.base = options.url().replaceAll("/+$", "");
    this.timeout = options.timeout();
    headers.putAll(options.headers());
    if (options.token() != null) headers.put("Authorization", "Bearer " + options.token());
    if (options.apiKey() != null) headers.put("X-API-Key", options.apiKey());
    this.client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(timeout).build();
  }

  String base() {
    return base;
  }

  Map<String, String> headers() {
    return Map.copyOf(headers);
  }

  Duration timeout() {
    return timeout;
  }

  HttpClient client() {
    return client;
  }

  private HttpRequest.Builder request(String path) {
    HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(base + path));
    headers.forEach(builder::header);
    return builder;
  }

  /** POSTs a JSON body; answers every status (failing to connect or timing out throws). */
  Answer post(String path, Object body, Map<String, String> extraHeaders) throws IOException, InterruptedException {
    HttpRequest.Builder builder = request(path).timeout(timeout).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofByteArray(Json.bytes(body)));
    extraHeaders.forEach(builder::header);
    HttpResponse<byte[]> response = client.send(builder.build(), HttpResponse.BodyHandlers.ofByteArray());
    JsonNode parsed = MissingNode.getInstance();
    if (response.body().length > 0) {
      try {
        parsed = Json.MAPPER.readTree(response.body());
      } catch (IOException e) {
        parsed = MissingNode.getInstance();
      }
    }
    return new Answer(response.statusCode(), response.headers().firstValue("ETag").orElse(null), parsed);
  }

  /** Opens a streaming GET (server-sent events); the caller reads and closes the body. */
  HttpResponse<InputStream> stream(String path) throws IOException, InterruptedException {
    HttpRequest request = request(path).header("Accept", "text/event-stream").GET().build();
    return client.send(request, HttpResponse.BodyHandlers.ofInputStream());
  }

  static boolean isTimeout(Exception e) {
    return e instanceof HttpTimeoutException;
  }
}
