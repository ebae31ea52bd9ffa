package io.enareceiver.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.nodes.Node;

/** Reads {@code service}: the metrics pipeline and the receiver's own telemetry. */
final class ServiceSection {
  static final List<String> LOG_LEVELS = List.of("debug", "info", "warn", "error");
  static final String RECEIVER = "ethtool";

  private static final List<String> KEYS = List.of("pipelines", "telemetry");
  private static final List<String> PIPELINE_KEYS = List.of("metrics");
  private static final List<String> METRICS_PIPELINE_KEYS = List.of("receivers", "exporters");
  private static final List<String> TELEMETRY_KEYS = List.of("logs", "health");
  private static final String NO_OTHER_SIGNALS =
      "ena-receiver produces metrics only; the only pipeline is metrics";

  record Service(List<String> pipelineExporters, TelemetryConfig telemetry) {}

  private final NodeReader reader;

  ServiceSection(NodeReader reader) {
    this.reader = reader;
  }

  Service read(Node node, String path, List<String> configuredExporters) {
    Section section = reader.section(node, path, KEYS);
    Section pipelines =
        reader.section(
            section.get("pipelines"),
            section.path("pipelines"),
            PIPELINE_KEYS,
            Map.of("traces", NO_OTHER_SIGNALS, "logs", NO_OTHER_SIGNALS));
    Section metrics =
        reader.section(pipelines.get("metrics"), pipelines.path("metrics"), METRICS_PIPELINE_KEYS);
    receivers(metrics);
    List<String> exporters = exporters(metrics, configuredExporters);
    return new Service(exporters, telemetry(section.get("telemetry"), section.path("telemetry")));
  }

  private void receivers(Section pipeline) {
    String path = pipeline.path("receivers");
    List<String> receivers = reader.strings(pipeline.get("receivers"), path, "[ethtool]");
    if (receivers == null) {
      return;
    }
    if (receivers.isEmpty()) {
      reader.problem(pipeline.get("receivers"), path, "expected [ethtool], found an empty list");
    }
    for (int i = 0; i < receivers.size(); i++) {
      if (!receivers.get(i).equals(RECEIVER)) {
        reader.problem(
            pipeline.get("receivers"),
            path + "[" + i + "]",
            "unknown receiver '" + NodeReader.abbreviate(receivers.get(i))
                + "'; the only receiver is ethtool");
      }
    }
  }

  /** The pipeline's exporters; without a list, every configured exporter. */
  private List<String> exporters(Section pipeline, List<String> configured) {
    String path = pipeline.path("exporters");
    Node node = pipeline.get("exporters");
    List<String> named = reader.strings(node, path, "[otlp]");
    if (named == null) {
      return configured;
    }
    if (named.isEmpty()) {
      reader.problem(node, path, "expected at least one exporter, such as [otlp]");
    }
    List<String> exporters = new ArrayList<>();
    for (int i = 0; i < named.size(); i++) {
      String name = named.get(i);
      String elementPath = path + "[" + i + "]";
      if (!configured.contains(name)) {
        reader.problem(
            node,
            elementPath,
            "exporter '" + NodeReader.abbreviate(name) + "' is not configured under exporters"
                + (configured.isEmpty() ? "" : " (configured: " + String.join(", ", configured) + ")"));
      } else if (exporters.contains(name)) {
        reader.problem(node, elementPath, "exporter '" + name + "' is listed twice");
      } else {
        exporters.add(name);
      }
    }
    return exporters;
  }

  private TelemetryConfig telemetry(Node node, String path) {
    Section section = reader.section(node, path, TELEMETRY_KEYS);
    Section logs = reader.section(section.get("logs"), section.path("logs"), List.of("level"));
    String level = reader.choice(logs.get("level"), logs.path("level"), LOG_LEVELS);
    Section health = reader.section(section.get("health"), section.path("health"), List.of("endpoint"));
    String endpoint = reader.string(health.get("endpoint"), health.path("endpoint"));
    if (endpoint != null) {
      String problem = Endpoints.checkHostPort(endpoint);
      if (problem != null) {
        reader.problem(health.get("endpoint"), health.path("endpoint"), problem);
      }
    }
    return new TelemetryConfig(
        level == null ? Defaults.LOG_LEVEL : level,
        endpoint == null ? Defaults.HEALTH_ENDPOINT : endpoint);
  }
}
