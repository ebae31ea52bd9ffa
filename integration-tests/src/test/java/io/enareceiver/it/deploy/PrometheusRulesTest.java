package io.enareceiver.it.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * deploy/rules/ena-allowances.rules.yaml: promtool accepts it, its unit tests pass, and every
 * alert is covered by a test that fires it and one that expects silence, and carries what an
 * on-call engineer needs (severity, node, instance type, interface, the ENI or the receiver's
 * error, remedy).
 */
class PrometheusRulesTest {
  private static final Path RULES = DeployFiles.deploy("rules/ena-allowances.rules.yaml");
  private static final Path TESTS = DeployFiles.deploy("rules/tests");

  @Test
  void promtoolAcceptsTheRules() {
    ExternalTool promtool = ExternalTool.require("promtool");
    var result = promtool.run(RULES.getParent(), "check", "rules", RULES.toString()).assertSuccess();
    assertThat(result.output()).contains("SUCCESS: " + ruleCount() + " rules found");
  }

  @Test
  void promtoolUnitTestsPass() throws IOException {
    ExternalTool promtool = ExternalTool.require("promtool");
    List<String> args = new ArrayList<>(List.of("test", "rules"));
    testFiles().forEach(f -> args.add(f.getFileName().toString()));
    var result = promtool.run(TESTS, args.toArray(String[]::new)).assertSuccess();
    assertThat(result.output()).doesNotContain("FAILED");
  }

  @Test
  void everyAlertHasAFiringTestAndAQuietTest() throws IOException {
    Set<String> fired = new HashSet<>();
    Set<String> quiet = new HashSet<>();
    for (Path file : testFiles()) {
      Map<String, Object> doc = DeployFiles.yamlMap(file);
      assertThat(DeployFiles.<List<Object>>at(doc, "rule_files")).as(file + " rule_files").containsExactly("../ena-allowances.rules.yaml");
      for (Object test : (List<?>) DeployFiles.at(doc, "tests")) {
        List<?> alertTests = ((Map<?, ?>) test).containsKey("alert_rule_test") ? DeployFiles.at(test, "alert_rule_test") : List.of();
        for (Object at : alertTests) {
          String name = DeployFiles.at(at, "alertname");
          List<?> expected = DeployFiles.at(at, "exp_alerts");
          (expected.isEmpty() ? quiet : fired).add(name);
        }
      }
    }
    Set<String> alerts = new HashSet<>(alertNames());
    assertThat(alerts).hasSize(7);
    assertThat(fired).as("alerts with a test that fires them").containsAll(alerts);
    assertThat(quiet).as("alerts with a test that expects silence").containsAll(alerts);
  }

  @Test
  void everyAlertNamesNodeInstanceTypeAndInterfaceAndGivesARemedy() {
    for (Map<?, ?> group : groups()) {
      String groupName = DeployFiles.at(group, "name");
      for (Object r : (List<?>) DeployFiles.at(group, "rules")) {
        Map<?, ?> rule = (Map<?, ?>) r;
        if (!rule.containsKey("alert")) {
          continue;
        }
        String name = (String) rule.get("alert");
        assertThat((String) DeployFiles.at(rule, "labels", "severity")).as(name).isIn("critical", "warning");
        String summary = DeployFiles.at(rule, "annotations", "summary");
        assertThat(summary).as(name + " summary")
            .contains("{{ $labels.k8s_node_name }}", "{{ $labels.host_type }}", "{{ $labels.network_interface_name }}");
        // Allowance alerts come from the ENI's resource; the receiver's own carry the node's
        // resource and say which error instead.
        switch (groupName) {
          case "ena-allowances.alerts" -> assertThat(summary).as(name + " summary").contains("{{ $labels.aws_ec2_eni_id }}");
          case "ena-receiver.alerts" -> assertThat(summary).as(name + " summary").contains("{{ $labels.error_type }}");
          default -> throw new AssertionError(name + " is in an unexpected group " + groupName);
        }
        assertThat((String) DeployFiles.at(rule, "annotations", "description")).as(name).isNotBlank();
        assertThat((String) DeployFiles.at(rule, "annotations", "runbook")).as(name).isNotBlank();
        assertThat((String) rule.get("expr")).as(name + " must watch every interface").doesNotContain("network_interface_name=");
      }
    }
  }

  private static List<Path> testFiles() throws IOException {
    try (Stream<Path> files = Files.list(TESTS)) {
      List<Path> list = files.filter(f -> f.getFileName().toString().endsWith(".test.yaml")).sorted().toList();
      assertThat(list).as("rule unit tests in " + TESTS).isNotEmpty();
      return list;
    }
  }

  private static List<Map<?, ?>> groups() {
    return DeployFiles.<List<Object>>at(DeployFiles.yamlMap(RULES), "groups").stream().<Map<?, ?>>map(g -> (Map<?, ?>) g).toList();
  }

  static List<Map<?, ?>> rules() {
    List<Map<?, ?>> all = new ArrayList<>();
    for (Object group : groups()) {
      for (Object rule : (List<?>) DeployFiles.at(group, "rules")) {
        all.add((Map<?, ?>) rule);
      }
    }
    return all;
  }

  private static int ruleCount() {
    return rules().size();
  }

  private static List<String> alertNames() {
    return rules().stream().filter(r -> r.containsKey("alert")).map(r -> (String) r.get("alert")).toList();
  }
}
