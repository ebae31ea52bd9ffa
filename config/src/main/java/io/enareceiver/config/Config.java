package io.enareceiver.config;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * A complete, validated ena-receiver configuration.
 *
 * @param source the file it was read from; null for {@link ConfigLoader#defaults()} and for
 *     text given to {@link ConfigLoader#parse}
 * @param otlp the OTLP exporter, null when the file configures exporters but not {@code otlp}.
 *     When the file has no {@code exporters} section at all, OTLP is configured with every field
 *     null, so the standard {@code OTEL_EXPORTER_OTLP_*} variables and SDK defaults apply.
 * @param console whether {@code exporters.console} is present
 * @param pipelineExporters {@code service.pipelines.metrics.exporters}: the exporters that receive
 *     metrics, in the order written; every one is configured
 */
public record Config(
    Path source,
    EthtoolReceiverConfig ethtool,
    OtlpExporterConfig otlp,
    boolean console,
    List<String> pipelineExporters,
    TelemetryConfig telemetry) {

  public Config {
    Objects.requireNonNull(ethtool, "ethtool");
    Objects.requireNonNull(telemetry, "telemetry");
    pipelineExporters = List.copyOf(pipelineExporters);
  }
}
