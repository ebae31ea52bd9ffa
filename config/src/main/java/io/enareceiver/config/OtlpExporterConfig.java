package io.enareceiver.config;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code exporters.otlp}. Every field is null when the file does not set it, so the exporter
 * can fall back to the standard {@code OTEL_EXPORTER_OTLP_*} variables and then the SDK defaults.
 *
 * @param endpoint an http or https URL
 * @param protocol {@code grpc} or {@code http/protobuf}
 * @param compression {@code gzip} or {@code none}
 * @param headers extra request headers, in the order written
 */
public record OtlpExporterConfig(
    String endpoint,
    String protocol,
    Duration timeout,
    String compression,
    Map<String, String> headers,
    TlsConfig tls) {

  public OtlpExporterConfig {
    headers = headers == null ? null : Collections.unmodifiableMap(new LinkedHashMap<>(headers));
  }

  /** The exporter with nothing set: environment variables and SDK defaults decide. */
  static OtlpExporterConfig unset() {
    return new OtlpExporterConfig(null, null, null, null, null, null);
  }
}
