package io.enareceiver.it.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The AMP and Prometheus Operator wrappers of the rules, and the alert manager definition:
 * the wrappers carry exactly the rules file (deploy/rules/render-ack.sh regenerates them), and
 * amtool accepts the Alertmanager configuration the way AMP unwraps it.
 */
class AmpWrappersTest {
  private static final Path RULES = DeployFiles.deploy("rules/ena-allowances.rules.yaml");

  @Test
  void ruleGroupsNamespaceEmbedsExactlyTheRulesFile() {
    Map<String, Object> resource = DeployFiles.yamlMap(DeployFiles.deploy("rules/ack/rule-groups-namespace.yaml"));
    assertThat((String) DeployFiles.at(resource, "apiVersion")).isEqualTo("prometheusservice.services.k8s.aws/v1alpha1");
    assertThat((String) DeployFiles.at(resource, "kind")).isEqualTo("RuleGroupsNamespace");
    assertThat((String) DeployFiles.at(resource, "spec", "workspaceID")).isNotBlank();
    String embedded = DeployFiles.at(resource, "spec", "configuration");
    assertThat(DeployFiles.yamlMap(embedded))
        .as("spec.configuration is stale: run deploy/rules/render-ack.sh")
        .isEqualTo(DeployFiles.yamlMap(RULES));
  }

  @Test
  void prometheusRuleCarriesTheSameGroups() {
    Map<String, Object> resource = DeployFiles.yamlMap(DeployFiles.deploy("rules/prometheus-rule.yaml"));
    assertThat((String) DeployFiles.at(resource, "apiVersion")).isEqualTo("monitoring.coreos.com/v1");
    assertThat((String) DeployFiles.at(resource, "kind")).isEqualTo("PrometheusRule");
    assertThat((Object) DeployFiles.at(resource, "spec", "groups"))
        .as("spec.groups is stale: run deploy/rules/render-ack.sh")
        .isEqualTo(DeployFiles.at(DeployFiles.yamlMap(RULES), "groups"));
  }

  @Test
  void amtoolAcceptsTheAlertManagerDefinition(@TempDir Path tmp) throws IOException {
    Map<String, Object> resource = DeployFiles.yamlMap(DeployFiles.deploy("rules/ack/alert-manager-definition.yaml"));
    assertThat((String) DeployFiles.at(resource, "kind")).isEqualTo("AlertManagerDefinition");
    // AMP's format: the Alertmanager configuration is a string under alertmanager_config.
    Map<String, Object> wrapper = DeployFiles.yamlMap((String) DeployFiles.at(resource, "spec", "configuration"));
    assertThat(wrapper).containsOnlyKeys("alertmanager_config");
    String config = DeployFiles.at(wrapper, "alertmanager_config");
    Map<String, Object> parsed = DeployFiles.yamlMap(config);
    assertThat((Object) DeployFiles.at(parsed, "receivers")).asString().contains("sns_configs", "sigv4");

    ExternalTool amtool = ExternalTool.require("amtool");
    Path file = Files.writeString(tmp.resolve("alertmanager.yaml"), config);
    var result = amtool.run(tmp, "check-config", file.toString()).assertSuccess();
    assertThat(result.output()).contains("SUCCESS").contains("1 receivers");
  }
}
