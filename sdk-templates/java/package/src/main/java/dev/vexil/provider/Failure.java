package dev.vexil.provider;

import com.fasterxml.jackson.databind.JsonNode;
import dev.openfeature.sdk.ErrorCode;

/** An evaluation that failed, with the OpenFeature error code it maps to. */
record Failure(ErrorCode code, String message) {
  /** The error code named code, or null when OpenFeature has no such code. */
  static ErrorCode codeNamed(String code) {
    if (code == null) return null;
    for (ErrorCode known : ErrorCode.values()) {
      if (known.name().equals(code)) return known;
    }
    return null;
  }

  /** What a non-success answer means: the body's errorCode wins over the status, on every status. */
  static Failure of(Transport.Answer answer) {
    JsonNode body = answer.body();
    JsonNode detailsNode = body.path("errorDetails");
    String details = detailsNode.isTextual() ? detailsNode.textValue() : "HTTP " + answer.status();
    ErrorCode code = codeNamed(body.path("errorCode").isTextual() ? body.path("errorCode").textValue() : null);
    if (code != null) return new Failure(code, details);
    return switch (answer.status()) {
      case 404 -> new Failure(ErrorCode.FLAG_NOT_FOUND, details);
      case 401, 403 -> new Failure(ErrorCode.GENERAL,
          "the evaluator refused the credentials (HTTP " + answer.status() + ")");
      case 429 -> new Failure(ErrorCode.GENERAL, "rate limited by the evaluator: " + details);
      default -> new Failure(ErrorCode.GENERAL, details);
    };
  }

  /** A request that got no answer. */
  static Failure of(Exception error) {
    if (Transport.isTimeout(error)) return new Failure(ErrorCode.GENERAL, "the evaluator did not answer in time");
    return new Failure(ErrorCode.GENERAL, "the evaluator could not be reached: " + error);
  }
}
