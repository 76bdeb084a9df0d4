package dev.vexil.provider;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.openfeature.sdk.ErrorCode;
import dev.openfeature.sdk.ImmutableMetadata;
import dev.openfeature.sdk.ProviderEvaluation;
import dev.openfeature.sdk.Reason;
import java.util.Map;

/**
 * One evaluated flag (an OFREP item, or an engine result put in the same shape) turned into an
 * OpenFeature evaluation of the type asked for. Reasons pass through as sent, custom ones such as
 * PREREQUISITE_FAILED included; errors answer the caller's default with the error code.
 */
final class Resolutions {
  private Resolutions() {}

  static <T> ProviderEvaluation<T> failed(T defaultValue, Failure failure) {
    return ProviderEvaluation.<T>builder().value(defaultValue).reason(Reason.ERROR.name())
        .errorCode(failure.code()).errorMessage(failure.message()).build();
  }

  /** An item for a failure, as the bulk cache stores it. */
  static ObjectNode failureItem(Failure failure) {
    ObjectNode item = Json.MAPPER.createObjectNode();
    item.put("errorCode", failure.code().name());
    item.put("errorDetails", failure.message());
    return item;
  }

  @SuppressWarnings("unchecked")
  static <T> ProviderEvaluation<T> resolve(String key, JsonNode item, Kind kind, T defaultValue) {
    JsonNode errorCode = item.path("errorCode");
    if (errorCode.isTextual()) {
      ErrorCode code = Failure.codeNamed(errorCode.textValue());
      JsonNode details = item.path("errorDetails");
      String message = details.isTextual() ? details.textValue() : errorCode.textValue();
      return failed(defaultValue, new Failure(code == null ? ErrorCode.GENERAL : code, message));
    }
    Object value = kind.convert(item.get("value"));
    if (value == null) {
      String message = "flag \"" + key + "\" is a " + Kind.jsonType(item.get("value")) + ", not a " + kind.asked();
      return failed(defaultValue, new Failure(ErrorCode.TYPE_MISMATCH, message));
    }
    ProviderEvaluation.ProviderEvaluationBuilder<T> result = ProviderEvaluation.<T>builder().value((T) value);
    if (item.path("variant").isTextual()) result.variant(item.get("variant").textValue());
    if (item.path("reason").isTextual()) result.reason(item.get("reason").textValue());
    if (item.path("metadata").isObject()) result.flagMetadata(metadata(item.get("metadata")));
    return result.build();
  }

  private static ImmutableMetadata metadata(JsonNode node) {
    ImmutableMetadata.ImmutableMetadataBuilder builder = ImmutableMetadata.builder();
    for (Map.Entry<String, JsonNode> field : node.properties()) {
      JsonNode value = field.getValue();
      if (value.isTextual()) builder.addString(field.getKey(), value.textValue());
      else if (value.isBoolean()) builder.addBoolean(field.getKey(), value.booleanValue());
      else if (value.isIntegralNumber() && value.canConvertToInt()) builder.addInteger(field.getKey(), value.intValue());
      else if (value.isNumber()) builder.addDouble(field.getKey(), value.doubleValue());
    }
    return builder.build();
  }
}
