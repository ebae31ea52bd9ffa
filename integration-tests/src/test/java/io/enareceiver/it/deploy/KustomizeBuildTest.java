package io.enareceiver.it.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.junit.jupiter.api.Test;

/**
 * {@code kustomize build} of both variants renders objects the Kubernetes model accepts, with
 * the generated ConfigMaps wired into the pod and carrying the files of deploy/.
 */
class KustomizeBuildTest {
  private static final String VERSION = "v5.8.2";

  @Test
  void baseRendersAHardenedDaemonSetWithItsConfigs() {
    List<HasMetadata> objects = build("kubernetes");
    assertThat(objects).extracting(HasMetadata::getKind)
        .containsExactlyInAnyOrder("Namespace", "ServiceAccount", "ConfigMap", "ConfigMap", "ConfigMap", "PriorityClass", "DaemonSet");
    objects.stream().filter(o -> !o.getKind().equals("Namespace") && !o.getKind().equals("PriorityClass"))
        .forEach(o -> assertThat(o.getMetadata().getNamespace()).as(o.getKind()).isEqualTo("ena-receiver"));
    assertThat(KubernetesManifestsTest.single(objects, Namespace.class).getMetadata().getName()).isEqualTo("ena-receiver");

    DaemonSet ds = KubernetesManifestsTest.single(objects, DaemonSet.class);
    var pod = ds.getSpec().getTemplate().getSpec();
    PodChecks.assertNodeAgentPod(pod);
    PodChecks.assertReceiverContainer(pod.getContainers().get(0));
    PodChecks.assertCollectorContainer(pod.getContainers().get(1));
    assertThat(pod.getContainers().get(0).getImage()).as("images: transformer applied").contains("/ena-receiver:");

    Map<String, ConfigMap> byVolume = new java.util.HashMap<>();
    for (var volume : pod.getVolumes()) {
      String name = volume.getConfigMap().getName();
      byVolume.put(volume.getName(), configMap(objects, name));
    }
    assertThat(byVolume.get("receiver-config").getData())
        .containsEntry("config.yaml", DeployFiles.read(DeployFiles.deploy("kubernetes/config/receiver.yaml")));
    assertThat(byVolume.get("collector-config").getData())
        .containsEntry("collector.yaml", DeployFiles.read(DeployFiles.deploy("collector/collector-amp.yaml")));
    String ampMap = PodChecks.env(pod.getContainers().get(1).getEnv(), "AMP_REMOTE_WRITE_ENDPOINT").getValueFrom().getConfigMapKeyRef().getName();
    assertThat(configMap(objects, ampMap).getData()).containsKeys("AWS_REGION", "AMP_REMOTE_WRITE_ENDPOINT");
  }

  @Test
  void operatorVariantRendersTheCollectorResourceWithResolvedNames() {
    List<HasMetadata> objects = build("kubernetes/adot-operator");
    assertThat(objects).extracting(HasMetadata::getKind).doesNotContain("DaemonSet").contains("OpenTelemetryCollector");
    GenericKubernetesResource otc = KubernetesManifestsTest.single(objects, GenericKubernetesResource.class);
    assertThat(otc.getMetadata().getNamespace()).isEqualTo("ena-receiver");
    String volumeMap = DeployFiles.at(((List<?>) DeployFiles.at(otc.getAdditionalProperties(), "spec", "volumes")).getFirst(), "configMap", "name");
    assertThat(configMap(objects, volumeMap).getData()).containsKey("config.yaml");
    Object receiver = ((List<?>) DeployFiles.at(otc.getAdditionalProperties(), "spec", "additionalContainers")).getFirst();
    assertThat((String) DeployFiles.at(receiver, "image")).contains("/ena-receiver:");
    assertThat(objects).filteredOn(o -> o.getKind().equals("ConfigMap"))
        .extracting(o -> o.getMetadata().getName())
        .noneMatch(n -> n.startsWith("ena-receiver-collector-config"));
  }

  private static ConfigMap configMap(List<HasMetadata> objects, String name) {
    return objects.stream().filter(ConfigMap.class::isInstance).map(ConfigMap.class::cast)
        .filter(c -> Objects.equals(c.getMetadata().getName(), name)).findFirst()
        .orElseThrow(() -> new AssertionError("no ConfigMap " + name + " in the rendered output"));
  }

  private static List<HasMetadata> build(String dir) {
    Path cache = Path.of(System.getProperty("user.home"), ".cache", "ena-receiver", "tools", "kustomize-" + VERSION, "kustomize");
    String custom = System.getProperty("ena.kustomize");
    List<Path> locations = custom == null ? List.of(cache) : List.of(Path.of(custom), cache);
    String toolsDir = System.getenv("ENA_TOOLS_DIR");
    if (toolsDir != null) {
      locations = new java.util.ArrayList<>(locations);
      locations.addFirst(Path.of(toolsDir, "kustomize-" + VERSION, "kustomize"));
    }
    ExternalTool kustomize = ExternalTool.require("kustomize", locations);
    Path target = DeployFiles.deploy(dir);
    var result = kustomize.run(target, "build", target.toString()).assertSuccess();
    return KubernetesObjects.parseStrict(result.output(), "kustomize build deploy/" + dir);
  }
}
