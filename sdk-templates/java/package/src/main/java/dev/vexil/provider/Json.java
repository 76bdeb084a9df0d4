package dev.vexil.provider;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.openfeature.sdk.EvaluationContext;
import dev.openfeature.sdk.MutableStructure;
import dev.openfeature.sdk.Structure;
import dev.openfeature.sdk.Value;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** JSON to and from OpenFeature values, and evaluation contexts as the evaluator reads them. */
public final class Json {
  static final ObjectMapper MAPPER = new ObjectMapper();

  private Json() {}

  /** The OpenFeature value of a JSON text (the generated accessors' json defaults). */
  public static Value value(String json) {
    try {
      return value(MAPPER.readTree(json));
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("not JSON: " + json, e);
    }
  }

  /** The OpenFeature value of a parsed JSON node (numbers become doubles, as JSON has one number type). */
  public static Value value(JsonNode node) {
    if (node == null || node.isNull() || node.isMissingNode()) return new Value();
    if (node.isBoolean()) return new Value(node.booleanValue());
    if (node.isNumber()) return new Value(node.doubleValue());
    if (node.isTextual()) return new Value(node.textValue());
    if (node.isArray()) {
      List<Value> items = new ArrayList<>();
      node.forEach(item -> items.add(value(item)));
      return new Value(items);
    }
    MutableStructure structure = new MutableStructure();
    for (Map.Entry<String, JsonNode> field : node.properties()) structure.add(field.getKey(), value(field.getValue()));
    return new Value(structure);
  }

  /** The OpenFeature value of a plain Java value (maps, lists, strings, numbers, booleans, null). */
  public static Value value(Object plain) {
    return value(MAPPER.valueToTree(plain));
  }

  /** The context as a JSON object: attributes with their plain values, instants as ISO-8601 text. */
  public static Map<String, Object> context(EvaluationContext context) {
    Map<String, Object> out = new LinkedHashMap<>();
    if (context == null) return out;
    for (String key : context.keySet()) out.put(key, plain(context.getValue(key)));
    String targetingKey = context.getTargetingKey();
    if (targetingKey != null && !targetingKey.isEmpty()) out.put("targetingKey", targetingKey);
    return out;
  }

  private static Object plain(Value value) {
    if (value == null || value.isNull()) return null;
    if (value.isInstant()) {
      Instant instant = value.asInstant();
      return instant.toString();
    }
    if (value.isList()) {
      List<Object> items = new ArrayList<>();
      for (Value item : value.asList()) items.add(plain(item));
      return items;
    }
    if (value.isStructure()) {
      Structure structure = value.asStructure();
      Map<String, Object> out = new LinkedHashMap<>();
      for (String key : structure.keySet()) out.put(key, plain(structure.getValue(key)));
      return out;
    }
    return value.asObject();
  }

  /** Bytes of a JSON text for a plain value. */
  static byte[] bytes(Object plain) {
    try {
      return MAPPER.writeValueAsBytes(plain);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("not serialisable as JSON", e);
    }
  }

  /** JSON with object keys sorted, so equal contexts share one cache entry. */
  static String canonical(Object plain) {
    return canonicalNode(MAPPER.valueToTree(plain));
  }

  private static String canonicalNode(JsonNode node) {
    if (node.isObject()) {
      List<String> keys = new ArrayList<>();
      for (Map.Entry<String, JsonNode> field : node.properties()) keys.add(field.getKey());
      keys.sort(null);
      StringBuilder out = new StringBuilder("{");
      for (String key : keys) {
        if (out.length() > 1) out.append(',');
        out.append(MAPPER.valueToTree(key).toString()).append(':').append(canonicalNode(node.get(key)));
      }
      return out.append('}').toString();
    }
    if (node.isArray()) {
      StringBuilder out = new StringBuilder("[");
      for (JsonNode item : node) {
        if (out.length() > 1) out.append(',');
        out.append(canonicalNode(item));
      }
      return out.append(']').toString();
    }
    return node.toString();
  }
}
