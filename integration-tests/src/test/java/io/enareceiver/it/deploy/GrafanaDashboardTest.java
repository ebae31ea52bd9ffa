package io.enareceiver.it.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.Yaml;

/**
 * Every PromQL expression of deploy/grafana/ena-allowances-dashboard.json parses (promtool, via a
 * generated rules file with the template variables filled in) and names only metrics the
 * receiver exports through the collector's Prometheus translation.
 */
class GrafanaDashboardTest {
  private static final Path DASHBOARD = DeployFiles.deploy("grafana/ena-allowances-dashboard.json");

  /** Metric names after the collector's translation (docs/deploy.md, "Metric names"). */
  private static final Set<String> EXPORTED = Set.of(
      "aws_ena_allowance_exceeded_total", "aws_ena_allowance_throttled_time_seconds_total",
      "aws_ena_allowance_peak_rate_per_second", "aws_ena_conntrack_available", "aws_ena_srd_mode",
      "aws_ena_srd_packets_total", "aws_ena_srd_eligible_packets_total", "aws_ena_srd_resource_utilization_percent",
      "aws_ena_device_events_total", "ena_receiver_read_errors_total", "ena_receiver_export_failures_total");

  private static final Pattern METRIC = Pattern.compile("\\b((?:aws_ena|ena_receiver)_[a-z_]+)(?=\\s*[{\\[]|\\s*$)");
  private static final Pattern LABEL_VALUES = Pattern.compile("^label_values\\((.*),\\s*([a-zA-Z_][a-zA-Z0-9_]*)\\s*\\)$");

  @Test
  void everyQueryParsesAndUsesExportedMetrics(@TempDir Path tmp) throws IOException {
    Map<String, Object> dashboard = DeployFiles.yamlMap(DeployFiles.read(DASHBOARD)); // JSON is YAML
    assertThat(((Number) dashboard.get("schemaVersion")).intValue()).isGreaterThanOrEqualTo(39);

    List<String> expressions = new ArrayList<>();
    for (Object panel : (List<?>) dashboard.get("panels")) {
      Map<?, ?> p = (Map<?, ?>) panel;
      if (p.get("targets") instanceof List<?> targets) {
        for (Object target : targets) {
          expressions.add(DeployFiles.at(target, "expr"));
        }
      }
    }
    List<String> variables = new ArrayList<>();
    for (Object variable : (List<?>) DeployFiles.at(dashboard, "templating", "list")) {
      Map<?, ?> v = (Map<?, ?>) variable;
      variables.add((String) v.get("name"));
      if ("query".equals(v.get("type"))) {
        Matcher m = LABEL_VALUES.matcher((String) DeployFiles.at(v, "query", "query"));
        assertThat(m.matches()).as("variable " + v.get("name") + " uses label_values(selector, label)").isTrue();
        expressions.add(m.group(1));
      }
    }
    assertThat(variables).contains("datasource", "cluster", "instance_type", "node", "eni");
    assertThat(expressions).hasSizeGreaterThanOrEqualTo(10);

    List<Map<String, Object>> rules = new ArrayList<>();
    for (int i = 0; i < expressions.size(); i++) {
      String expr = expressions.get(i);
      Matcher m = METRIC.matcher(expr);
      assertThat(m.find()).as("query names a metric: " + expr).isTrue();
      do {
        assertThat(m.group(1)).as("metric in " + expr).isIn(EXPORTED);
      } while (m.find());
      rules.add(Map.of("record", "dashboard:query_" + i, "expr", substitute(expr)));
    }
    Path file = tmp.resolve("dashboard-queries.rules.yaml");
    Files.writeString(file, new Yaml().dump(Map.of("groups", List.of(Map.of("name", "dashboard", "rules", rules)))));

    ExternalTool promtool = ExternalTool.require("promtool");
    var result = promtool.run(tmp, "check", "rules", file.toString()).assertSuccess();
    assertThat(result.output()).contains("SUCCESS: " + expressions.size() + " rules found");
  }

  /** Grafana's built-in intervals become durations, dashboard variables a match-all regex. */
  private static String substitute(String expr) {
    return expr.replace("$__rate_interval", "1m").replace("$__range", "1h").replace("$__interval", "30s")
        .replaceAll("\\$\\{?[a-z_]+}?", ".*");
  }
}
