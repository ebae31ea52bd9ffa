package io.enareceiver.it.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.SecurityContext;
import java.util.List;
import java.util.Set;

/** What every ena-receiver pod must look like, whichever manifest or variant produced it. */
final class PodChecks {
  /** Ports other node agents commonly hold on the host network (OTLP, collector telemetry, health). */
  static final Set<Integer> FOREIGN_PORTS = Set.of(4317, 4318, 8888, 13133);

  static final int RECEIVER_HEALTH_PORT = 13290;
  static final int COLLECTOR_HEALTH_PORT = 13291;

  private PodChecks() {}

  static void assertNodeAgentPod(PodSpec pod) {
    assertThat(pod.getHostNetwork()).as("hostNetwork").isTrue();
    assertThat(pod.getDnsPolicy()).isEqualTo("ClusterFirstWithHostNet");
    assertThat(pod.getTolerations())
        .as("tolerate every taint so the agent runs on every node")
        .anySatisfy(t -> {
          assertThat(t.getOperator()).isEqualTo("Exists");
          assertThat(t.getKey()).isNull();
          assertThat(t.getEffect()).isNull();
        });
    assertThat(pod.getPriorityClassName()).isEqualTo("ena-receiver-node-critical");
    assertThat(pod.getServiceAccountName()).isEqualTo("ena-receiver");
  }

  static void assertReceiverContainer(Container c) {
    assertHardened(c, 65532L);
    assertThat(c.getArgs()).containsExactly("run", "--config", "/etc/ena-receiver/config.yaml");
    assertThat(env(c.getEnv(), "K8S_NODE_NAME").getValueFrom().getFieldRef().getFieldPath()).isEqualTo("spec.nodeName");
    assertThat(env(c.getEnv(), "HOST_IP").getValueFrom().getFieldRef().getFieldPath()).isEqualTo("status.hostIP");
    assertHttpProbe(c.getLivenessProbe(), "/healthz", c);
    assertHttpProbe(c.getReadinessProbe(), "/readyz", c);
    assertThat(c.getPorts()).extracting(ContainerPort::getContainerPort).containsExactly(RECEIVER_HEALTH_PORT);
    assertResources(c);
  }

  static void assertCollectorContainer(Container c) {
    assertHardened(c, null);
    assertThat(c.getImage()).matches("public\\.ecr\\.aws/aws-observability/aws-otel-collector:v\\d+\\.\\d+\\.\\d+");
    assertThat(c.getArgs()).containsExactly("--config=/conf/collector.yaml");
    assertThat(c.getEnv()).extracting(EnvVar::getName).contains("AWS_REGION", "AMP_REMOTE_WRITE_ENDPOINT", "HOST_IP");
    assertHttpProbe(c.getLivenessProbe(), "/", c);
    assertThat(c.getPorts()).extracting(ContainerPort::getContainerPort).containsExactly(COLLECTOR_HEALTH_PORT);
    assertResources(c);
  }

  static void assertHardened(Container c, Long uid) {
    SecurityContext sc = c.getSecurityContext();
    assertThat(sc).as(c.getName() + " securityContext").isNotNull();
    assertThat(sc.getRunAsNonRoot()).as(c.getName() + " runAsNonRoot").isTrue();
    if (uid != null) {
      assertThat(sc.getRunAsUser()).as(c.getName() + " runAsUser").isEqualTo(uid);
    } else {
      assertThat(sc.getRunAsUser()).as(c.getName() + " runAsUser").isNotNull().isPositive();
    }
    assertThat(sc.getReadOnlyRootFilesystem()).as(c.getName() + " readOnlyRootFilesystem").isTrue();
    assertThat(sc.getAllowPrivilegeEscalation()).as(c.getName() + " allowPrivilegeEscalation").isFalse();
    assertThat(sc.getPrivileged()).as(c.getName() + " privileged").isNotEqualTo(Boolean.TRUE);
    assertThat(sc.getCapabilities().getDrop()).as(c.getName() + " capabilities.drop").containsExactly("ALL");
    assertThat(sc.getCapabilities().getAdd()).as(c.getName() + " capabilities.add").isNullOrEmpty();
    assertThat(sc.getSeccompProfile().getType()).as(c.getName() + " seccompProfile").isEqualTo("RuntimeDefault");
  }

  private static void assertHttpProbe(Probe probe, String path, Container c) {
    assertThat(probe).as(c.getName() + " probe " + path).isNotNull();
    assertThat(probe.getHttpGet().getPath()).isEqualTo(path);
    // The probe's port: a named port of the container or a number; either way one of its own.
    var port = probe.getHttpGet().getPort();
    int number =
        port.getIntVal() != null
            ? port.getIntVal()
            : c.getPorts().stream().filter(p -> port.getStrVal().equals(p.getName())).findFirst().orElseThrow(
                () -> new AssertionError(c.getName() + ": probe port " + port.getStrVal() + " is not a named port")).getContainerPort();
    assertThat(number).as(c.getName() + " probe port").isNotIn(FOREIGN_PORTS);
    // hostNetwork: no host override, kubelet connects to the pod IP, which is the node IP.
    assertThat(probe.getHttpGet().getHost()).isNull();
  }

  private static void assertResources(Container c) {
    assertThat(c.getResources().getRequests()).as(c.getName() + " requests").containsKeys("cpu", "memory");
    assertThat(c.getResources().getLimits()).as(c.getName() + " limits").containsKey("memory");
  }

  static EnvVar env(List<EnvVar> env, String name) {
    return env.stream().filter(e -> e.getName().equals(name)).findFirst().orElseThrow(() -> new AssertionError("no env " + name));
  }
}
