package io.enareceiver.testing.otlp;

import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One export request as a test receiver saw it.
 *
 * @param request the decoded body, or null when it could not be decoded (outcome REJECTED)
 * @param headers request headers (gRPC metadata), names lower-cased, binary metadata left out
 * @param gzip whether the body arrived gzip-compressed
 * @param outcome how the receiver answered
 * @param detail why a request was rejected or failed, empty when accepted
 */
public record ReceivedRequest(
    ExportMetricsServiceRequest request,
    Map<String, List<String>> headers,
    boolean gzip,
    Outcome outcome,
    String detail) {

  /** How the receiver answered. */
  public enum Outcome {
    /** Answered with success (HTTP 200 / gRPC OK), possibly after a configured delay. */
    ACCEPTED,
    /** Told to fail: HTTP 503 / gRPC UNAVAILABLE, both retryable for an OTLP client. */
    FAILED,
    /** Not a valid OTLP metrics request (wrong path, method, content type or body). */
    REJECTED
  }

  public ReceivedRequest {
    headers = Map.copyOf(headers);
  }

  /** First value of header {@code name} (any case), or null. */
  public String header(String name) {
    List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
    return values == null || values.isEmpty() ? null : values.getFirst();
  }
}
