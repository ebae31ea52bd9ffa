package io.enareceiver.it.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.scheduling.v1.PriorityClass;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * The hand-written manifests of deploy/kubernetes, read strictly into the Kubernetes object model,
 * and the configuration files the pod mounts.
 */
class KubernetesManifestsTest {
  private static final Pattern PORT = Pattern.compile(":(\\d{2,5})\\b");

  @Test
  void daemonSetIsAHardenedNodeAgent() {
    DaemonSet ds = single(parse("kubernetes/daemonset.yaml"), DaemonSet.class);
    assertThat(ds.getSpec().getUpdateStrategy().getType()).isEqualTo("RollingUpdate");
    assertThat(ds.getSpec().getUpdateStrategy().getRollingUpdate().getMaxUnavailable().getStrVal()).isEqualTo("10%");
    var pod = ds.getSpec().getTemplate().getSpec();
    PodChecks.assertNodeAgentPod(pod);
    assertThat(pod.getSecurityContext().getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
    assertThat(pod.getContainers()).extracting(Container::getName).containsExactly("ena-receiver", "adot-collector");
    PodChecks.assertReceiverContainer(pod.getContainers().get(0));
    PodChecks.assertCollectorContainer(pod.getContainers().get(1));
    assertThat(ds.getSpec().getSelector().getMatchLabels()).isEqualTo(ds.getSpec().getTemplate().getMetadata().getLabels());
  }

  @Test
  void clusterPiecesAreWellFormed() {
    List<HasMetadata> common = new ArrayList<>();
    for (String f : List.of("namespace.yaml", "priorityclass.yaml", "serviceaccount.yaml")) {
      common.addAll(parse("kubernetes/common/" + f));
    }
    PriorityClass pc = single(common, PriorityClass.class);
    assertThat(pc.getMetadata().getName()).isEqualTo("ena-receiver-node-critical");
    // User-defined classes may not exceed one billion; higher values are reserved for system-*.
    assertThat(pc.getValue()).isPositive().isLessThanOrEqualTo(1_000_000_000);
    assertThat(pc.getPreemptionPolicy()).isEqualTo("PreemptLowerPriority");
    assertThat(pc.getGlobalDefault()).isFalse();
    ServiceAccount sa = single(common, ServiceAccount.class);
    assertThat(sa.getMetadata().getAnnotations())
        .containsEntry("eks.amazonaws.com/role-arn", "arn:aws:iam::ACCOUNT_ID:role/ena-receiver-amp-remote-write");
  }

  @Test
  void operatorVariantRunsTheSamePodAndTheSameCollectorConfig() {
    GenericKubernetesResource otc = single(parse("kubernetes/adot-operator/opentelemetrycollector.yaml"), GenericKubernetesResource.class);
    assertThat(otc.getApiVersion()).isEqualTo("opentelemetry.io/v1beta1");
    assertThat(otc.getKind()).isEqualTo("OpenTelemetryCollector");
    Map<String, Object> spec = DeployFiles.at(otc.getAdditionalProperties(), "spec");
    assertThat(spec).containsEntry("mode", "daemonset").containsEntry("hostNetwork", true);
    assertThat(spec.get("tolerations")).isEqualTo(List.of(Map.of("operator", "Exists")));
    assertThat(spec.get("config"))
        .as("spec.config must equal deploy/collector/collector-amp.yaml")
        .isEqualTo(DeployFiles.yamlMap(DeployFiles.deploy("collector/collector-amp.yaml")));
    List<?> extra = (List<?>) spec.get("additionalContainers");
    assertThat(extra).hasSize(1);
    Container receiver = new KubernetesSerialization().unmarshal(new Yaml().dump(extra.getFirst()), Container.class);
    KubernetesObjects.rejectUnknownFields(receiver, "additionalContainers[0]");
    PodChecks.assertReceiverContainer(receiver);
    Container collectorShape =
        new KubernetesSerialization().unmarshal(new Yaml().dump(Map.of("name", "collector", "securityContext", spec.get("securityContext"))), Container.class);
    PodChecks.assertHardened(collectorShape, null);
  }

  @Test
  void collectorConfigHasOneSourceAndStaysOffForeignPorts() throws Exception {
    Path linked = DeployFiles.deploy("collector/collector-amp.yaml");
    Path inBase = DeployFiles.deploy("kubernetes/config/collector-amp.yaml");
    assertThat(Files.isSameFile(linked, inBase) || Files.readString(linked).equals(Files.readString(inBase)))
        .as(linked + " must be the same file as " + inBase)
        .isTrue();

    Map<String, Object> amp = DeployFiles.yamlMap(inBase);
    assertThat((String) DeployFiles.at(amp, "receivers", "otlp", "protocols", "grpc", "endpoint")).isEqualTo("127.0.0.1:4319");
    assertThat((String) DeployFiles.at(amp, "extensions", "health_check", "endpoint")).isEqualTo("${env:HOST_IP}:13291");
    assertThat((String) DeployFiles.at(amp, "service", "telemetry", "metrics", "level")).isEqualTo("none");
    Map<String, Object> prw = DeployFiles.at(amp, "exporters", "prometheusremotewrite");
    assertThat(prw).containsEntry("endpoint", "${env:AMP_REMOTE_WRITE_ENDPOINT}");
    assertThat((String) DeployFiles.at(prw, "auth", "authenticator")).isEqualTo("sigv4auth");
    assertThat((Boolean) DeployFiles.at(prw, "resource_to_telemetry_conversion", "enabled")).isTrue();
    assertThat((Integer) DeployFiles.at(prw, "remote_write_queue", "num_consumers")).isEqualTo(1);
    assertThat((String) DeployFiles.at(amp, "extensions", "sigv4auth", "service")).isEqualTo("aps");
    assertThat(DeployFiles.<List<Object>>at(amp, "service", "pipelines", "metrics", "processors")).containsExactly("memory_limiter", "batch");

    for (String file : List.of("collector/collector-amp.yaml", "collector/collector-local.yaml", "collector/collector-cloudwatch.yaml", "kubernetes/config/receiver.yaml")) {
      Map<String, Object> config = DeployFiles.yamlMap(DeployFiles.deploy(file));
      assertThat(config).as(file).isNotEmpty();
      Matcher m = PORT.matcher(DeployFiles.read(DeployFiles.deploy(file)).replaceAll("(?m)#.*$", ""));
      while (m.find()) {
        assertThat(Integer.parseInt(m.group(1))).as(file + " uses port " + m.group(1)).isNotIn(PodChecks.FOREIGN_PORTS);
      }
    }
  }

  @Test
  void receiverConfigPointsAtTheCollectorAndTheProbedPort() {
    Map<String, Object> receiver = DeployFiles.yamlMap(DeployFiles.deploy("kubernetes/config/receiver.yaml"));
    assertThat((String) DeployFiles.at(receiver, "exporters", "otlp", "endpoint")).isEqualTo("http://127.0.0.1:4319");
    assertThat((String) DeployFiles.at(receiver, "exporters", "otlp", "protocol")).isEqualTo("grpc");
    assertThat((String) DeployFiles.at(receiver, "service", "telemetry", "health", "endpoint"))
        .isEqualTo("${env:HOST_IP}:" + PodChecks.RECEIVER_HEALTH_PORT);
    assertThat((String) DeployFiles.at(receiver, "receivers", "ethtool", "collection_interval")).isEqualTo("15s");
    // A short exclude list here would replace the built-in one and re-include the interfaces of
    // Calico, Cilium, flannel and the like on every node.
    assertThat(DeployFiles.<Map<String, Object>>at(receiver, "receivers", "ethtool", "interfaces"))
        .as("interfaces in deploy/kubernetes/config/receiver.yaml keep the default include/exclude")
        .doesNotContainKeys("include", "exclude")
        .containsEntry("drivers", List.of("ena"));
  }

  static List<HasMetadata> parse(String relative) {
    return KubernetesObjects.parseStrict(DeployFiles.read(DeployFiles.deploy(relative)), "deploy/" + relative);
  }

  static <T> T single(List<HasMetadata> objects, Class<T> type) {
    List<T> matching = objects.stream().filter(type::isInstance).map(type::cast).toList();
    assertThat(matching).as("one " + type.getSimpleName()).hasSize(1);
    return matching.getFirst();
  }
}
