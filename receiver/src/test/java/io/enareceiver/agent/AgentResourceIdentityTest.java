package io.enareceiver.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.enareceiver.agent.Exported.Point;
import io.enareceiver.config.Config;
import io.enareceiver.testing.imds.FakeImds;
import io.enareceiver.testing.otlp.OtlpGrpcTestReceiver;
import io.enareceiver.testing.otlp.OtlpTestReceiver;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Identity on the wire: each replayed interface gets the Resource of its own ENI from a local
 * IMDSv2 (matched by MAC), plus node, instance and service attributes; IMDS being down or slow
 * never holds exports back.
 */
class AgentResourceIdentityTest {
  private static final FakeImds.Instance INSTANCE = FakeImds.Instance.sample();
  private static final String ENI1 = INSTANCE.enis().get(0).eniId();
  private static final String ENI2 = INSTANCE.enis().get(1).eniId();

  @TempDir Path dir;

  private Config twoInterfaces(OtlpTestReceiver receiver, Map<String, String> env) throws Exception {
    AgentFixture.ppsCaptures(dir.resolve("captures"), 1, 2, 3);
    return AgentFixture.load(dir, AgentFixture.yaml("grpc", receiver, "2s",
        AgentFixture.replayEntry("eth0", INSTANCE.enis().get(0).mac(), "captures", false)
            + AgentFixture.replayEntry("eth1", INSTANCE.enis().get(1).mac().toUpperCase(), "captures", false)), env);
  }

  @Test
  void eachEniHasItsOwnResourceWithNodeInstanceAndServiceAttributes() throws Exception {
    try (FakeImds imds = FakeImds.start(INSTANCE); OtlpTestReceiver receiver = OtlpGrpcTestReceiver.start()) {
      Map<String, String> env = AgentFixture.imdsAt(imds.endpoint());
      env.put("K8S_NODE_NAME", "ip-10-0-1-23.ec2.internal");
      env.put("OTEL_RESOURCE_ATTRIBUTES", "service.instance.id=pod-uid-42,team=network");
      env.put("OTEL_SERVICE_NAME", "ena-receiver-test");
      Config config = twoInterfaces(receiver, env);

      ExportMetricsServiceRequest identified;
      try (Agent agent = AgentFixture.start(config, env)) {
        identified = await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
            .until(() -> firstWithEni(receiver.requests()), Optional::isPresent).orElseThrow();
      }

      ResourceMetrics eth0 = resourceOf(identified, "eth0");
      ResourceMetrics eth1 = resourceOf(identified, "eth1");
      assertThat(eth0).as("one Resource per ENI").isNotSameAs(eth1);
      Map<String, Object> r0 = Exported.attributes(eth0.getResource().getAttributesList());
      Map<String, Object> r1 = Exported.attributes(eth1.getResource().getAttributesList());
      assertThat(r0).containsEntry("aws.ec2.eni.id", ENI1).containsEntry("aws.ec2.eni.device_index", 0L);
      assertThat(r1).containsEntry("aws.ec2.eni.id", ENI2).containsEntry("aws.ec2.eni.device_index", 1L);
      for (Map<String, Object> r : List.of(r0, r1)) {
        assertThat(r)
            .containsEntry("host.id", INSTANCE.instanceId())
            .containsEntry("host.type", INSTANCE.instanceType())
            .containsEntry("cloud.provider", "aws")
            .containsEntry("cloud.platform", "aws_eks")
            .containsEntry("cloud.region", INSTANCE.region())
            .containsEntry("cloud.availability_zone", INSTANCE.availabilityZone())
            .containsEntry("cloud.account.id", INSTANCE.accountId())
            .containsEntry("k8s.node.name", "ip-10-0-1-23.ec2.internal")
            .containsEntry("service.name", "ena-receiver-test")
            .containsEntry("service.instance.id", "pod-uid-42")
            .containsEntry("team", "network")
            .containsKey("service.version");
        assertThat(r.get("service.version").toString()).isNotBlank();
      }
      // Each ENI's Resource carries only its own interface's points.
      assertThat(Exported.points(List.of(ExportMetricsServiceRequest.newBuilder().addResourceMetrics(eth0).build())))
          .extracting(p -> p.attr(Exported.INTERFACE)).containsOnly("eth0");
      assertThat(Exported.points(List.of(ExportMetricsServiceRequest.newBuilder().addResourceMetrics(eth1).build())))
          .extracting(p -> p.attr(Exported.INTERFACE)).containsOnly("eth1");
      // IMDSv2 only: every metadata read carried a token the fake had issued.
      assertThat(imds.requests()).filteredOn(r -> !r.path().equals(FakeImds.TOKEN_PATH))
          .isNotEmpty().allMatch(FakeImds.Request::validToken);
    }
  }

  @Test
  void imdsDownAtStartExportsFlowThenIdentityAppearsOnceItAnswers() throws Exception {
    try (FakeImds imds = FakeImds.start(INSTANCE); OtlpTestReceiver receiver = OtlpGrpcTestReceiver.start()) {
      imds.down();
      Map<String, String> env = AgentFixture.imdsAt(imds.endpoint());
      Config config = twoInterfaces(receiver, env);

      try (Agent agent = AgentFixture.start(config, env)) {
        List<ExportMetricsServiceRequest> early = receiver.awaitRequests(2, Duration.ofSeconds(20));
        assertThat(Exported.points(early)).as("exports flow without identity")
            .filteredOn(p -> p.metric().getName().equals("aws.ena.allowance.exceeded"))
            .isNotEmpty()
            .allSatisfy(p -> assertThat(p.resource()).doesNotContainKeys("host.id", "aws.ec2.eni.id", "cloud.region"));

        imds.up();
        ExportMetricsServiceRequest identified = await().atMost(Duration.ofSeconds(40)).pollInterval(Duration.ofMillis(100))
            .until(() -> firstWithEni(receiver.requests()), Optional::isPresent).orElseThrow();
        assertThat(Exported.attributes(resourceOf(identified, "eth0").getResource().getAttributesList()))
            .containsEntry("aws.ec2.eni.id", ENI1).containsEntry("host.id", INSTANCE.instanceId());
        // Identity came late but the counters kept their series: same start time before and after.
        long before = startOf(early, "eth0");
        assertThat(startOf(List.of(identified), "eth0")).isEqualTo(before);
      }
    }
  }

  @Test
  void aSlowImdsDoesNotDelayTheFirstExport() throws Exception {
    try (FakeImds imds = FakeImds.start(INSTANCE); OtlpTestReceiver receiver = OtlpGrpcTestReceiver.start()) {
      imds.delay(Duration.ofSeconds(4));
      Map<String, String> env = AgentFixture.imdsAt(imds.endpoint());
      Config config = twoInterfaces(receiver, env);

      try (Agent agent = AgentFixture.start(config, env)) {
        List<ExportMetricsServiceRequest> first = receiver.awaitRequests(1, Duration.ofSeconds(15));
        // Ordering: the first export is in while no IMDS answer has been given yet.
        List<FakeImds.Request> answeredByThen = imds.requests();
        assertThat(answeredByThen).as("IMDS answers completed before the first export").isEmpty();
        assertThat(Exported.points(first)).isNotEmpty()
            .allSatisfy(p -> assertThat(p.resource()).doesNotContainKey("host.id"));
        // ... and IMDS was really being asked and slow: its (late) answers do complete afterwards.
        await().atMost(Duration.ofSeconds(20)).until(() -> imds.count(FakeImds.TOKEN_PATH) >= 1 && !imds.requests().isEmpty());
      }
    }
  }

  private static Optional<ExportMetricsServiceRequest> firstWithEni(List<ExportMetricsServiceRequest> requests) {
    return requests.stream()
        .filter(r -> r.getResourceMetricsList().stream()
            .map(rm -> Exported.attributes(rm.getResource().getAttributesList()))
            .filter(a -> a.containsKey("aws.ec2.eni.id")).count() >= 2)
        .findFirst();
  }

  private static ResourceMetrics resourceOf(ExportMetricsServiceRequest request, String iface) {
    List<ResourceMetrics> matching = request.getResourceMetricsList().stream()
        .filter(rm -> Exported.points(List.of(ExportMetricsServiceRequest.newBuilder().addResourceMetrics(rm).build()))
            .stream().anyMatch(p -> iface.equals(p.attr(Exported.INTERFACE))))
        .toList();
    assertThat(matching).as("Resources carrying %s points", iface).hasSize(1);
    return matching.getFirst();
  }

  private static long startOf(List<ExportMetricsServiceRequest> requests, String iface) {
    return Exported.series(Exported.points(requests), "aws.ena.allowance.exceeded", Exported.ALLOWANCE, "pps").stream()
        .filter(p -> iface.equals(p.attr(Exported.INTERFACE)))
        .map(Point::start).distinct().reduce((a, b) -> {
          throw new AssertionError("start time changed: " + a + " then " + b);
        }).orElseThrow();
  }
}
