package io.enareceiver.reliability;

import io.enareceiver.agent.Agent;
import io.enareceiver.config.Config;
import io.enareceiver.config.ConfigLoader;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Starts the real {@link Agent} the way {@code run} does, from a configuration file written to a
 * temporary directory: one replayed ENA interface playing {@code builtin:dns-throttling} once
 * (no loop, so after the burst the totals stand at 9085 packets over 20 s), OTLP (HTTP/protobuf
 * unless told otherwise) to a loopback endpoint, health on a free loopback port. The environment is
 * exactly {@code env}: nothing of the build machine's leaks in, and IMDS is either disabled or a
 * loopback fake.
 */
final class AgentRun {
  /** The scenario's totals after its burst (see scenarios/dns-throttling/README.md). */
  static final long BURST_PACKETS = 9085;
  static final double BURST_SECONDS = 20;

  private AgentRun() {}

  static Agent start(Path dir, int otlpPort, String collectionInterval, String exportTimeout, Map<String, String> env)
      throws Exception {
    return start(dir, "http/protobuf", otlpPort, collectionInterval, exportTimeout, env);
  }

  /** Like {@link #start(Path, int, String, String, Map)} with {@code protocol} "grpc" or "http/protobuf". */
  static Agent start(
      Path dir, String protocol, int otlpPort, String collectionInterval, String exportTimeout, Map<String, String> env)
      throws Exception {
    String yaml = """
        receivers:
          ethtool:
            collection_interval: %s
            sampling_interval: 1s
            replay:
              - name: ens5
                mac: "02:00:00:00:00:05"
                captures: builtin:dns-throttling
                loop: false
        exporters:
          otlp:
            endpoint: http://127.0.0.1:%d
            protocol: %s
            timeout: %s
        service:
          pipelines:
            metrics: {receivers: [ethtool], exporters: [otlp]}
          telemetry:
            logs: {level: info}
            health: {endpoint: "127.0.0.1:0"}
        """.formatted(collectionInterval, otlpPort, protocol, exportTimeout);
    Path file = dir.resolve("receiver.yaml");
    Files.writeString(file, yaml);
    Config config = ConfigLoader.load(file, env::get);
    return Agent.start(config, Set.of(), env::get, new PrintStream(OutputStream.nullOutputStream()));
  }

  /** The value of {@code metric} for allowance {@code allowance} in one request, if present. */
  static Optional<NumberDataPoint> point(ExportMetricsServiceRequest request, String metric, String allowance) {
    for (ResourceMetrics rm : request.getResourceMetricsList()) {
      for (ScopeMetrics sm : rm.getScopeMetricsList()) {
        for (Metric m : sm.getMetricsList()) {
          if (!m.getName().equals(metric)) {
            continue;
          }
          var points = m.hasSum() ? m.getSum().getDataPointsList() : m.getGauge().getDataPointsList();
          for (NumberDataPoint p : points) {
            for (KeyValue kv : p.getAttributesList()) {
              if (kv.getKey().equals("aws.ena.allowance") && kv.getValue().getStringValue().equals(allowance)) {
                return Optional.of(p);
              }
            }
          }
        }
      }
    }
    return Optional.empty();
  }

  /** A resource attribute of the first resource that has it, if any. */
  static Optional<String> resourceAttribute(ExportMetricsServiceRequest request, String key) {
    for (ResourceMetrics rm : request.getResourceMetricsList()) {
      for (KeyValue kv : rm.getResource().getAttributesList()) {
        if (kv.getKey().equals(key)) {
          return Optional.of(kv.getValue().getStringValue());
        }
      }
    }
    return Optional.empty();
  }
}
