package io.enareceiver.it.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.enareceiver.it.harness.PrometheusProcess;
import io.enareceiver.it.harness.RangeSeries;
import io.enareceiver.it.harness.ReceiverProcess;
import io.enareceiver.testing.imds.FakeImds;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.Testcontainers;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.utility.DockerImageName;
import org.testcontainers.utility.MountableFile;

/**
 * Scenario (a) with the collector users deploy: the ADOT collector image pinned in deploy/, running
 * the shipped {@code collector-local.yaml}, instead of the test collector built from the same
 * components. Needs a Docker engine; without one it is skipped with a message, also in CI
 * ({@code ena.requireRoot=true} is about root and the kernel tools, not Docker, which CI lacks).
 */
class AdotImageDnsThrottlingIT {
  /** The image deploy/kubernetes pins. */
  static final String ADOT_IMAGE = "public.ecr.aws/aws-observability/aws-otel-collector:v0.49.0";
  private static final int OTLP = 4319;
  private static final int HEALTH = 13291;

  @Test
  void adotCollectorDeliversTheExactBurstToPrometheus() {
    Assumptions.assumeTrue(dockerAvailable(),
        "no Docker engine reachable: the ADOT-image variant of the DNS-throttling scenario needs one "
            + "(the same scenario runs against the test collector in DnsThrottlingIT)");
    PrometheusProcess.binary();
    try (PrometheusProcess prometheus = PrometheusProcess.builder().name("adot-prometheus")
        .ruleFile(E2eStack.RULES).start()) {
      Testcontainers.exposeHostPorts(prometheus.port());
      try (GenericContainer<?> adot = new GenericContainer<>(DockerImageName.parse(ADOT_IMAGE))
          .withCopyFileToContainer(MountableFile.forHostPath(E2eStack.COLLECTOR_CONFIG), "/etc/ena/collector.yaml")
          .withCommand("--config=/etc/ena/collector.yaml")
          .withEnv(Map.of(
              "COLLECTOR_OTLP_GRPC_ENDPOINT", "0.0.0.0:" + OTLP,
              "COLLECTOR_HEALTH_ENDPOINT", "0.0.0.0:" + HEALTH,
              "PROMETHEUS_REMOTE_WRITE_URL",
              "http://host.testcontainers.internal:" + prometheus.port() + "/api/v1/write"))
          .withExposedPorts(OTLP, HEALTH)
          .waitingFor(Wait.forHttp("/").forPort(HEALTH).forStatusCode(200))
          .withStartupTimeout(Duration.ofMinutes(3))) {
        adot.start();
        String id = E2eStack.instanceId("adot");
        Instant start = Instant.now();
        String yaml = ReceiverYaml.create().replay("eth0", E2eStack.REPLAY_MAC, "builtin:dns-throttling", false)
            .otlpTo(adot.getMappedPort(OTLP)).build();
        try (FakeImds imds = FakeImds.start(E2eStack.instance());
            ReceiverProcess receiver = ReceiverProcess.builder("receiver-adot", yaml)
                .env("K8S_NODE_NAME", E2eStack.NODE)
                .env("OTEL_RESOURCE_ATTRIBUTES", "service.instance.id=" + id)
                .imds(imds.endpoint()).start()) {
          String exceeded = "aws_ena_allowance_exceeded_total{aws_ena_allowance=\"linklocal\", instance=\"" + id + "\"}";
          List<RangeSeries> series = prometheus.poll(exceeded + " reaching 9085")
              .atMost(Duration.ofSeconds(150))
              .context(() -> receiver.describe() + "\nADOT log:\n" + adot.getLogs())
              .until(() -> prometheus.rawSamples(exceeded, Duration.between(start, Instant.now()).plusSeconds(30)),
                  s -> !s.isEmpty() && E2eStack.merged(s).getLast().value() == DnsThrottlingIT.INJECTED_PACKETS);
          List<RangeSeries.Point> points = E2eStack.merged(series);
          assertThat(points.getFirst().value()).isZero();
          DnsThrottlingIT.assertIncreaseFromRawSamples(points, DnsThrottlingIT.INJECTED_PACKETS);
          assertThat(E2eStack.newestLabels(series)).containsEntry("aws_ec2_eni_id", E2eStack.ENI)
              .containsEntry("host_type", E2eStack.INSTANCE_TYPE).containsEntry("k8s_node_name", E2eStack.NODE);
        }
      }
    }
  }

  private static boolean dockerAvailable() {
    try {
      return DockerClientFactory.instance().isDockerAvailable();
    } catch (RuntimeException | LinkageError e) {
      return false;
    }
  }
}
