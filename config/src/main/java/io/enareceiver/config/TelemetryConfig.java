package io.enareceiver.config;

import java.util.Objects;

/**
 * {@code service.telemetry}: the receiver's own logs and health endpoint.
 *
 * @param logLevel {@code debug}, {@code info}, {@code warn} or {@code error} (default info)
 * @param healthEndpoint {@code host:port} of the health HTTP endpoint (default
 *     {@code 127.0.0.1:13133}); an empty host means loopback, port 0 picks a free port
 */
public record TelemetryConfig(String logLevel, String healthEndpoint) {

  public TelemetryConfig {
    Objects.requireNonNull(logLevel, "logLevel");
    Objects.requireNonNull(healthEndpoint, "healthEndpoint");
  }
}
